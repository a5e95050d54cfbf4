package static

import (
	"path"
	"strings"
)

// HashedName reports whether the last element of name carries a content
// hash, as bundlers name their output, so that a new version has a new
// name and the file can be cached for good. The element without its
// extension is split at "." and "-"; it carries a hash when one of the
// parts is:
//   - 8 to 64 lowercase hexadecimal digits with at least one digit and
//     one letter: webpack and Parcel ("app.3f2a1c9b.js",
//     "main.3f2a1c9b.chunk.js"), Django's manifest ("logo.8b1a9953c461.png"),
//     Hugo's fingerprints;
//   - 8 letters and digits with at least one digit and both cases:
//     Vite and Rollup ("index-BmFcQ2xL.js");
//   - 8 uppercase letters and digits with at least one of each: esbuild
//     ("chunk-5QXWNN7Q.js").
//
// A hash that happens to have no digit, or to contain "-" or "_", is not
// recognised, and that file gets no-cache: the safe side, since a name
// taken for hashed wrongly is cached for a year.
func HashedName(name string) bool {
	base := path.Base(name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	for part := range strings.FieldsFuncSeq(base, func(r rune) bool { return r == '.' || r == '-' }) {
		if hashPart(part) {
			return true
		}
	}
	return false
}

// hashPart reports whether part looks like a content hash (see
// HashedName).
func hashPart(part string) bool {
	if len(part) < 8 || len(part) > 64 {
		return false
	}
	var digits, lowerHex, lower, upper, other int
	for _, c := range []byte(part) {
		switch {
		case '0' <= c && c <= '9':
			digits++
		case 'a' <= c && c <= 'f':
			lowerHex++
			lower++
		case 'g' <= c && c <= 'z':
			lower++
		case 'A' <= c && c <= 'Z':
			upper++
		default:
			other++
		}
	}
	switch {
	case other > 0 || digits == 0:
		return false
	case lower == lowerHex && upper == 0:
		return lowerHex > 0
	case len(part) != 8:
		return false
	case lower > 0 && upper > 0:
		return true
	}
	return lower == 0 && upper > 0
}
