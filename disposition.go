package respond

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ContentDisposition returns a Content-Disposition header value (RFC 6266)
// that offers filename to the client: the file is saved (disposition
// "attachment") or shown in the browser ("inline").
//
// disposition is "attachment" or "inline", compared case-insensitively;
// empty means "attachment", and so does any other value, as RFC 6266
// tells clients to treat an unknown type.
//
// The name is first cleaned: control characters (including CR, LF, NUL,
// DEL and the C1 range), Unicode line and paragraph separators, and
// invisible characters are removed, and invalid UTF-8 becomes U+FFFD.
// The invisible characters are every format character (category Cf:
// bidirectional controls, which can disguise "evil.exe" as "evil.pdf",
// zero width spaces and joiners, U+FEFF, the soft hyphen, tag
// characters) and every other default-ignorable code point (U+3164
// HANGUL FILLER, variation selectors...), which can make two different
// names look the same. An emoji sequence joined by U+200D thus loses
// its joiner. An empty
// name yields the bare disposition type. The result is always printable
// ASCII, so a name can never inject a header.
//
// A plain ASCII name is sent as a quoted string with '"' and '\'
// escaped:
//
//	attachment; filename="report.csv"
//
// Any other name also gets an RFC 8187 filename* parameter with the
// exact name in percent-encoded UTF-8, after an ASCII fallback in which
// each non-ASCII character becomes '_' for old clients:
//
//	attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
//
// filename* is also added when the name contains '\' or a "%XX"
// sequence, which some clients misread in the plain form (RFC 6266,
// Appendix D).
func ContentDisposition(disposition, filename string) string {
	typ := "attachment"
	if strings.EqualFold(disposition, "inline") {
		typ = "inline"
	}
	name := cleanFilename(filename)
	if name == "" {
		return typ
	}
	extended := needsExtended(name)
	var b strings.Builder
	n := len(typ) + len(`; filename=""`) + len(name) + strings.Count(name, `"`)
	if extended {
		n += len(name) + len(`; filename*=UTF-8''`) + 2*len(name)
	}
	b.Grow(n)
	b.WriteString(typ)
	b.WriteString(`; filename="`)
	for _, r := range name {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r >= utf8.RuneSelf:
			b.WriteByte('_')
		default:
			b.WriteByte(byte(r))
		}
	}
	b.WriteByte('"')
	if extended {
		b.WriteString("; filename*=UTF-8''")
		for i := 0; i < len(name); i++ {
			c := name[i]
			if isAttrChar(c) {
				b.WriteByte(c)
				continue
			}
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		}
	}
	return b.String()
}

// cleanFilename removes the characters described on [ContentDisposition]
// and replaces invalid UTF-8 with U+FFFD. It returns s itself, without
// allocating, when there is nothing to remove.
func cleanFilename(s string) string {
	clean := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				clean = false
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || dropFilenameRune(r) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // invalid UTF-8 arrives as U+FFFD
		if !dropFilenameRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dropFilenameRune reports whether r is removed from a download name:
// a control character, a line or paragraph separator, or an invisible
// one. The invisible ones are the format characters (Unicode category
// Cf, which holds the bidirectional marks, embeddings, overrides and
// isolates, zero width spaces and joiners, U+FEFF, the soft hyphen and
// the tag characters) and the other default-ignorable code points (such
// as U+3164 HANGUL FILLER and the variation selectors): together a
// superset of Unicode's Default_Ignorable_Code_Point.
func dropFilenameRune(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL, C1
		return true
	case r < utf8.RuneSelf:
		return false
	case r == '\u2028' || r == '\u2029': // line and paragraph separators
		return true
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// needsExtended reports whether name cannot be sent faithfully as a
// plain filename parameter: it has non-ASCII characters, a backslash, or
// a "%XX" sequence that some clients decode.
func needsExtended(name string) bool {
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= utf8.RuneSelf, c == '\\':
			return true
		case c == '%' && i+2 < len(name) && isHex(name[i+1]) && isHex(name[i+2]):
			return true
		}
	}
	return false
}

// isAttrChar reports whether c may appear unencoded in an RFC 8187
// ext-value (attr-char).
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
