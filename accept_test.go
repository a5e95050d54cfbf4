package respond

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// browserAccept is what Chrome and Firefox send for a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

func TestNegotiate(t *testing.T) {
	jsonHTML := []string{"application/json", "text/html"}
	tests := []struct {
		name   string
		accept []string // nil means no Accept header
		offers []string
		want   int
	}{
		{"no Accept: the first offer", nil, jsonHTML, 0},
		{"no offers", []string{"*/*"}, nil, -1},
		{"browser: HTML over */*", []string{browserAccept}, jsonHTML, 1},
		{"curl's */*: server order", []string{"*/*"}, jsonHTML, 0},
		{"API client", []string{"application/json"}, jsonHTML, 0},
		{"exact type only, not offered", []string{"text/csv"}, jsonHTML, -1},
		{"q-values", []string{"application/json;q=0.5, text/html;q=0.9"}, jsonHTML, 1},
		{"equal q: server order", []string{"text/html;q=0.5, application/json;q=0.5"}, jsonHTML, 0},
		{"q=0 excludes", []string{"application/json;q=0, */*"}, jsonHTML, 1},
		{"q=0 on */* leaves the named type", []string{"*/*;q=0, text/html"}, jsonHTML, 1},
		{"everything excluded", []string{"*/*;q=0"}, jsonHTML, -1},
		{"specific beats wildcard: text/* q=1 but text/html q=0", []string{"text/*, text/html;q=0"}, []string{"text/html", "text/plain"}, 1},
		{"type/* matches", []string{"text/*"}, jsonHTML, 1},
		{"case-insensitive", []string{"TEXT/HTML"}, jsonHTML, 1},
		{"parameters must match", []string{"text/html;level=1"}, []string{"text/html", "text/html;level=1"}, 1},
		{"parameters more specific", []string{"text/html;level=1;q=0.2, text/html;q=0.9"}, []string{"text/html;level=1", "text/html"}, 1},
		{"parameter not offered: no match", []string{"text/plain;format=flowed"}, []string{"text/plain; charset=utf-8"}, -1},
		{"offer's parameters need not be asked for", []string{"text/plain"}, []string{"text/plain; charset=utf-8"}, 0},
		{"unclosed quote with a backslash", []string{`text/html, application/json;q="\`}, jsonHTML, 1},
		{"quoted parameter value", []string{`text/plain;charset="UTF-8"`}, []string{"text/plain; charset=utf-8"}, 0},
		{"accept-ext after q ignored", []string{"text/html;q=0.5;ext=1, application/json;q=0.4"}, jsonHTML, 1},
		{"several Accept lines", []string{"application/json;q=0.1", "text/html"}, jsonHTML, 1},
		{"malformed elements skipped", []string{"garbage, text/html;q=2, /, */html, application/json;q=0.3"}, jsonHTML, 0},
		{"q with three decimals", []string{"application/json;q=0.001, text/html;q=0.002"}, jsonHTML, 1},
		{"q with four decimals is malformed", []string{"text/html;q=0.0001, application/json;q=0.5"}, jsonHTML, 0},
		{"q=1.000", []string{"text/html;q=1.000"}, jsonHTML, 1},
		{"q=1.001 is malformed", []string{"text/html;q=1.001"}, jsonHTML, -1},
		{"empty elements", []string{" , ,text/html"}, jsonHTML, 1},
		{"spaces around, even around =", []string{"  application/json ; q=0.2 ,  text/html ; q = 0.3"}, jsonHTML, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.accept != nil {
				r.Header["Accept"] = tt.accept
			}
			if got := Negotiate(r, tt.offers...); got != tt.want {
				t.Errorf("Negotiate(%q, %q) = %d, want %d", tt.accept, tt.offers, got, tt.want)
			}
		})
	}
}

// FuzzNegotiate checks that any Accept header gives an index in range,
// the same one every time, that an offer chosen is not excluded, and
// that offering the winner alone still picks it.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{browserAccept, "*/*", "application/json;q=0", "text/*;q=0.5, text/html;level=1", `a/b;c="d;e", f/g;q=1.0`, ""} {
		f.Add(s, "application/json", "text/html;level=1")
	}
	f.Fuzz(func(t *testing.T, accept, a, b string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Accept"] = []string{accept}
		offers := []string{a, b, "text/plain"}
		got := Negotiate(r, offers...)
		if got < -1 || got >= len(offers) {
			t.Fatalf("Negotiate(%q) = %d", accept, got)
		}
		if again := Negotiate(r, offers...); again != got {
			t.Fatalf("Negotiate(%q) = %d, then %d", accept, got, again)
		}
		if got >= 0 {
			if alone := Negotiate(r, offers[got]); alone != 0 {
				t.Fatalf("Negotiate(%q) chose %q among %q, but not alone", accept, offers[got], offers)
			}
		}
		// The cached ranges rank as the scan does.
		type ranking struct {
			Spec []int8
			Q    []int16
		}
		scanned := ranking{[]int8{-1, -1, -1}, make([]int16, 3)}
		rankScanned(accept, offers, scanned.Spec, scanned.Q)
		cached := ranking{[]int8{-1, -1, -1}, make([]int16, 3)}
		for _, rng := range parseAccept(accept) {
			rng.rank(offers, cached.Spec, cached.Q)
		}
		if diff := cmp.Diff(scanned, cached); diff != "" {
			t.Fatalf("Accept %q: cached ranges rank otherwise than the scan (-scanned +cached):\n%s", accept, diff)
		}
	})
}

// TestNegotiateAllocs checks that Negotiate allocates nothing, for an
// Accept value from the cache of parsed values and for one too long
// for it, which is scanned as it is ranked.
func TestNegotiateAllocs(t *testing.T) {
	long := strings.Repeat("x/y;q=0.1, ", 30) + "text/html"
	if _, ok := acceptRanges.lookup(long); ok {
		t.Fatalf("a %d-byte Accept was cached", len(long))
	}
	for _, accept := range []string{browserAccept, long} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Accept"] = []string{accept}
		if got := Negotiate(r, "application/json", "text/html"); got != 1 {
			t.Errorf("Negotiate(%.20q…) = %d, want 1", accept, got)
		}
		if n := testing.AllocsPerRun(100, func() { Negotiate(r, "application/json", "text/html") }); n != 0 {
			t.Errorf("Negotiate(%.20q…): %v allocations, want 0", accept, n)
		}
	}
}

func BenchmarkNegotiate(b *testing.B) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept", browserAccept)
	b.ReportAllocs()
	for b.Loop() {
		if Negotiate(r, "application/json", "text/html", "text/csv") != 1 {
			b.Fatal("wrong offer")
		}
	}
}

// TestNegotiated checks the Responder over the adapter: the chosen
// offer, Vary on every answer even when the offer's Header replaces it,
// the 406 with what is available, Fallback, and the misconfigurations.
func TestNegotiated(t *testing.T) {
	offers := []Offer{
		{MediaType: "application/json", Response: JSONResponse{Content: map[string]int{"n": 1}}},
		{MediaType: "text/html", Response: HTMLResponse{Content: "<p>1</p>", Header: http.Header{"Vary": {"Cookie"}}}},
	}
	tests := []struct {
		name   string
		resp   Negotiated
		accept string
		want   result
	}{
		{"JSON for an API client", Negotiated{Offers: offers}, "application/json",
			result{Status: 200, Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"7"}, "Vary": {"Accept"}}, Body: `{"n":1}`}},
		{"HTML for a browser, Vary kept with the offer's", Negotiated{Offers: offers}, browserAccept,
			result{Status: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {"8"}, "Vary": {"Cookie", "Accept"}}, Body: "<p>1</p>"}},
		{"406 lists the types", Negotiated{Offers: offers}, "text/csv",
			withVary(errorResult(406, "Not Acceptable; available: application/json, text/html"))},
		{"Fallback sends the first", Negotiated{Offers: offers, Fallback: true}, "text/csv",
			result{Status: 200, Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"7"}, "Vary": {"Accept"}}, Body: `{"n":1}`}},
		{"no offers", Negotiated{}, "*/*", errorResult(500, "Internal Server Error")},
		{"an offer without a Response", Negotiated{Offers: []Offer{{MediaType: "text/plain"}}}, "*/*", errorResult(500, "Internal Server Error")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept", tt.accept)
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func withVary(r result) result {
	r.Header["Vary"] = []string{"Accept"}
	return r
}

func TestAddVary(t *testing.T) {
	tests := []struct {
		have []string
		want []string
	}{
		{nil, []string{"Accept"}},
		{[]string{"Origin"}, []string{"Origin", "Accept"}},
		{[]string{"origin, accept"}, []string{"origin, accept"}},
		{[]string{"*"}, []string{"*"}},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.have != nil {
			h["Vary"] = tt.have
		}
		addVary(h, "Accept")
		if diff := cmp.Diff(tt.want, h["Vary"]); diff != "" {
			t.Errorf("addVary(%q) (-want +got):\n%s", strings.Join(tt.have, "|"), diff)
		}
	}
}
