package respond

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAcceptEncoding(t *testing.T) {
	// Qualities are br, zstd, gzip, identity, in thousandths.
	tests := []struct {
		name   string
		header []string // nil: no Accept-Encoding
		want   codingQualities
	}{
		{"absent", nil, codingQualities{0, 0, 0, 1000}},
		{"empty: identity only, at the lowest quality", []string{""}, codingQualities{0, 0, 0, 1}},
		{"chrome", []string{"gzip, deflate, br, zstd"}, codingQualities{1000, 1000, 1000, 1}},
		{"qualities", []string{"br;q=0.5, gzip;q=0.8"}, codingQualities{500, 0, 800, 1}},
		{"case and x-gzip", []string{"BR, X-GZIP;Q=0.3"}, codingQualities{1000, 0, 300, 1}},
		{"star covers what is not listed", []string{"gzip;q=0.2, *;q=0.7"}, codingQualities{700, 700, 200, 700}},
		{"star q=0 refuses identity", []string{"br, *;q=0"}, codingQualities{1000, 0, 0, 0}},
		{"identity listed", []string{"identity;q=0.9, br;q=0.1"}, codingQualities{100, 0, 0, 900}},
		{"identity refused", []string{"gzip, identity;q=0"}, codingQualities{0, 0, 1000, 0}},
		{"several lines", []string{"br;q=0.4", "zstd"}, codingQualities{400, 1000, 0, 1}},
		{"malformed elements skipped", []string{"br;q=2, gzip;q=, zstd;q=0.25, ;q=1, deflate"}, codingQualities{0, 250, 0, 1}},
		{"extension after q ignored", []string{`gzip;q=0.5;ext="a,b", br`}, codingQualities{1000, 0, 500, 1}},
		{"spaces and tabs", []string{" br ;\tq=0.5 ,\tgzip "}, codingQualities{500, 0, 1000, 1}},
		// A quoted value cut off by the end of the header, after a
		// backslash too, ends the element (it once panicked).
		{"unclosed quote with a backslash", []string{`br, gzip;q="\`}, codingQualities{1000, 0, 0, 1}},
		{"unclosed quote", []string{`gzip;ext="a, br`}, codingQualities{0, 0, 1000, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "/", nil)
			if tt.header != nil {
				r.Header["Accept-Encoding"] = tt.header
			}
			if diff := cmp.Diff(tt.want, acceptEncoding(r)); diff != "" {
				t.Errorf("acceptEncoding(%q) mismatch (-want +got):\n%s", tt.header, diff)
			}
		})
	}
}

func TestChooseCoding(t *testing.T) {
	all := [len(codings)]int64{100, 120, 150} // br, zstd, gzip
	tests := []struct {
		name  string
		q     codingQualities
		sizes [len(codings)]int64
		size  int64
		want  int // index in codings, -1 for the file itself
	}{
		{"smallest on a tie", codingQualities{1000, 1000, 1000, 1}, all, 1000, 0},
		{"zstd smaller than br", codingQualities{1000, 1000, 1000, 1}, [3]int64{130, 120, 150}, 1000, 1},
		{"quality before size", codingQualities{500, 1000, 800, 1}, all, 1000, 1},
		{"only gzip accepted", codingQualities{0, 0, 1000, 1}, all, 1000, 2},
		{"accepted coding has no sibling", codingQualities{1000, 0, 0, 1}, [3]int64{-1, -1, 150}, 1000, -1},
		{"identity preferred", codingQualities{100, 0, 0, 900}, all, 1000, -1},
		{"identity smaller on a tie", codingQualities{1000, 0, 0, 1000}, all, 50, -1},
		{"nothing acceptable: the file", codingQualities{0, 0, 0, 0}, all, 1000, -1},
		{"identity refused", codingQualities{0, 0, 1000, 0}, all, 10, 2},
		{"no siblings", codingQualities{1000, 1000, 1000, 1}, [3]int64{-1, -1, -1}, 1000, -1},
		{"empty sibling", codingQualities{1000, 0, 0, 1}, [3]int64{0, -1, -1}, 1000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.choose(&tt.sizes, tt.size); got != tt.want {
				t.Errorf("choose = %d, want %d", got, tt.want)
			}
		})
	}
}

func FuzzAcceptEncoding(f *testing.F) {
	for _, s := range []string{"gzip, deflate, br, zstd", `br;q=0.5;x="a,\"b"`, "*;q=0", ";;,,=q", "identity;q=0.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header["Accept-Encoding"] = []string{header}
		q := acceptEncoding(r)
		for j, v := range q {
			if v < 0 || v > 1000 {
				t.Fatalf("quality %d of coding %d out of range for %q", v, j, header)
			}
		}
		sizes := [len(codings)]int64{3, 2, 1}
		if j := q.choose(&sizes, 4); j >= 0 && q[j] <= 0 {
			t.Fatalf("chose coding %d with quality 0 for %q", j, header)
		}
	})
}
