package respond

import (
	"mime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestContentDisposition(t *testing.T) {
	tests := []struct {
		name        string
		disposition string
		filename    string
		want        string
	}{
		{"plain", "", "report.csv", `attachment; filename="report.csv"`},
		{"attachment", "attachment", "report.csv", `attachment; filename="report.csv"`},
		{"inline", "inline", "manual.pdf", `inline; filename="manual.pdf"`},
		{"inline in capitals", "INLINE", "manual.pdf", `inline; filename="manual.pdf"`},
		{"unknown type is attachment (RFC 6266, section 4.2)", "form-data\r\nX: y", "a.txt", `attachment; filename="a.txt"`},
		{"no filename", "", "", "attachment"},
		{"inline, no filename", "inline", "", "inline"},
		{"spaces and separators kept", "", "my report; v=2.csv", `attachment; filename="my report; v=2.csv"`},
		{"quote escaped", "", `say "hi".txt`, `attachment; filename="say \"hi\".txt"`},
		{
			"backslash escaped, and filename* added (RFC 6266, appendix D)", "", `a\b.txt`,
			`attachment; filename="a\\b.txt"; filename*=UTF-8''a%5Cb.txt`,
		},
		{
			"percent escape sequence gets filename*", "", "100%25.txt",
			`attachment; filename="100%25.txt"; filename*=UTF-8''100%2525.txt`,
		},
		{"lone percent stays plain", "", "100%.txt", `attachment; filename="100%.txt"`},
		{
			"non-ASCII: fallback and filename* (RFC 8187)", "", "résumé.pdf",
			`attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
		},
		{
			"CJK", "inline", "報告.txt",
			`inline; filename="__.txt"; filename*=UTF-8''%E5%A0%B1%E5%91%8A.txt`,
		},
		{
			"emoji kept, its invisible joiner removed", "", "👩\u200d💻.png",
			`attachment; filename="__.png"; filename*=UTF-8''%F0%9F%91%A9%F0%9F%92%BB.png`,
		},
		{
			"attr-chars unescaped, others escaped", "", "ü !#$&+-.^_`|~'()*,/:;<=>?@[]{}",
			`attachment; filename="_ !#$&+-.^_` + "`" + `|~'()*,/:;<=>?@[]{}"; filename*=UTF-8''%C3%BC%20!#$&+-.^_` + "`" + `|~%27%28%29%2A%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5D%7B%7D`,
		},
		{"CR LF removed", "", "a.txt\r\nSet-Cookie: x=1", `attachment; filename="a.txtSet-Cookie: x=1"`},
		{"NUL, tab, DEL removed", "", "a\x00b\tc\x7fd.txt", `attachment; filename="abcd.txt"`},
		{"C1 control removed", "", "a\u0085b.txt", `attachment; filename="ab.txt"`},
		{"line separator removed", "", "a\u2028b.txt", `attachment; filename="ab.txt"`},
		{"bidi override removed", "", "invoice\u202Efdp.exe", `attachment; filename="invoicefdp.exe"`},
		// Invisible characters: every format character (Cf) and every
		// default-ignorable code point, which can make two names look
		// alike or hide an extension.
		{"zero width space removed (Cf)", "", "a\u200bb.txt", `attachment; filename="ab.txt"`},
		{"word joiner removed (Cf)", "", "a\u2060b.txt", `attachment; filename="ab.txt"`},
		{"byte order mark removed (Cf)", "", "\ufeffa.txt", `attachment; filename="a.txt"`},
		{"soft hyphen removed (Cf)", "", "pay\u00adroll.exe", `attachment; filename="payroll.exe"`},
		{"Hangul filler removed (default ignorable, not Cf)", "", "a\u3164.txt", `attachment; filename="a.txt"`},
		{"tag character removed (Cf)", "", "a\U000E0041.txt", `attachment; filename="a.txt"`},
		{"combining grapheme joiner removed (default ignorable, Mn)", "", "a\u034fb.txt", `attachment; filename="ab.txt"`},
		{"variation selector removed", "", "a\ufe0fb.txt", `attachment; filename="ab.txt"`},
		{"ideographic variation selector removed", "", "a\U000E0100b.txt", `attachment; filename="ab.txt"`},
		{"invisible characters only", "", "\u200b\u2060\ufeff", "attachment"},
		{
			"invalid UTF-8 replaced", "", "a\xffb.txt",
			`attachment; filename="a_b.txt"; filename*=UTF-8''a%EF%BF%BDb.txt`,
		},
		{"only control characters", "", "\r\n\x00", "attachment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ContentDisposition(tt.disposition, tt.filename); got != tt.want {
				t.Errorf("ContentDisposition(%q, %q)\n got %s\nwant %s", tt.disposition, tt.filename, got, tt.want)
			}
		})
	}
}

func TestCleanFilenameNoAlloc(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = cleanFilename("report-2024.csv") })
	if allocs != 0 {
		t.Errorf("cleanFilename of a clean name: %v allocations, want 0", allocs)
	}
}

// FuzzContentDisposition checks, for any disposition and name:
//   - the value is printable ASCII, so it can never break a header;
//   - mime.ParseMediaType parses it, with the type "inline" if
//     disposition is "inline" in any case and "attachment" otherwise;
//   - its filename parameter (after RFC 8187 decoding) is exactly the
//     cleaned name, cleanFilename(name), and there is no parameter when
//     that is empty: what survives cleaning round-trips;
//   - the cleaned name has no control, line-separator or bidi
//     characters, no format character (Cf) and no default-ignorable
//     code point, and is valid UTF-8; cleaning is idempotent and leaves a
//     name without such characters unchanged.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{
		"report.csv", "résumé.pdf", `a"b\c`, "a\r\nb", "100%41", "%", "%%", "'", "''", "\x00",
		"\xff", "\u202e", "日本語", " ", "a;b=c", "filename*=x", `\"`, "\u0085", "👩‍💻",
		"\u200b", "\u2060", "\ufeff", "a\u00adb", "\u3164", "\U000E0041", "\u034f", "\ufe0f", "\U000E01EF",
	} {
		f.Add("", s)
		f.Add("inline", s)
	}
	f.Add("Inline", "x")
	f.Add("form-data", "x")
	f.Fuzz(func(t *testing.T, disposition, name string) {
		v := ContentDisposition(disposition, name)
		for i := 0; i < len(v); i++ {
			if v[i] < 0x20 || v[i] > 0x7e {
				t.Fatalf("ContentDisposition(%q, %q) = %q: byte %#x is not printable ASCII", disposition, name, v, v[i])
			}
		}
		typ, params, err := mime.ParseMediaType(v)
		if err != nil {
			t.Fatalf("ContentDisposition(%q, %q) = %q: ParseMediaType: %v", disposition, name, v, err)
		}
		wantType := "attachment"
		if strings.EqualFold(disposition, "inline") {
			wantType = "inline"
		}
		if typ != wantType {
			t.Fatalf("ContentDisposition(%q, %q) = %q: type %q, want %q", disposition, name, v, typ, wantType)
		}
		clean := cleanFilename(name)
		if clean == "" {
			if len(params) != 0 {
				t.Fatalf("ContentDisposition(%q, %q) = %q: parameters for an empty name", disposition, name, v)
			}
		} else if got := params["filename"]; got != clean || len(params) != 1 {
			t.Fatalf("ContentDisposition(%q, %q) = %q: filename %q (params %q), want %q", disposition, name, v, got, params, clean)
		}

		if !utf8.ValidString(clean) {
			t.Fatalf("cleanFilename(%q) = %q: invalid UTF-8", name, clean)
		}
		dropped := !utf8.ValidString(name)
		for _, r := range name {
			dropped = dropped || dropFilenameRune(r)
		}
		for _, r := range clean {
			if unicode.IsControl(r) || dropFilenameRune(r) || invisible(r) {
				t.Fatalf("cleanFilename(%q) = %q: kept %U", name, clean, r)
			}
		}
		if !dropped && clean != name {
			t.Fatalf("cleanFilename(%q) = %q: changed a clean name", name, clean)
		}
		if again := cleanFilename(clean); again != clean {
			t.Fatalf("cleanFilename not idempotent: %q -> %q -> %q", name, clean, again)
		}
	})
}

// invisible reports whether r is a format character or a default-ignorable
// code point (Unicode's Default_Ignorable_Code_Point is derived from
// these three sets), written independently of dropFilenameRune.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}
