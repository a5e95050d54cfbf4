package events

import "testing"

func TestParseID(t *testing.T) {
	tests := []struct {
		in   string
		want id
		ok   bool
	}{
		{"0-0", id{}, true},
		{"1700000000000-3", id{1700000000000, 3}, true},
		{"18446744073709551615-18446744073709551615", id{1<<64 - 1, 1<<64 - 1}, true},
		{"18446744073709551616-0", id{}, false}, // overflow
		{"", id{}, false},
		{"5", id{}, false},
		{"-5", id{}, false},
		{"5-", id{}, false},
		{"+5-1", id{}, false},
		{"5-1-2", id{}, false},
		{" 5-1", id{}, false},
		{"1_0-1", id{}, false},
		{"0x1-1", id{}, false},
	}
	for _, tt := range tests {
		got, ok := parseID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseID(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseID: an ID that parses prints back as a canonical ID that
// parses to the same value, and order is that of the numbers.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"0-0", "1700000000000-3", "05-1", "abc", "1-2-3", "18446744073709551615-1"} {
		f.Add(s, "1-1")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		x, ok := parseID(a)
		if !ok {
			return
		}
		y, ok := parseID(x.String())
		if !ok || y != x {
			t.Fatalf("parseID(%q) = %v, whose String %q parses to %v, %v", a, x, x.String(), y, ok)
		}
		if z, ok := parseID(b); ok && x.less(z) && z.less(x) {
			t.Fatalf("%v and %v each less than the other", x, z)
		}
	})
}
