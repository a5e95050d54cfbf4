package respond

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func redirectResult(status int, location string) result {
	return result{Status: status, Header: http.Header{"Location": {location}, "Content-Length": {"0"}}}
}

func TestRedirect(t *testing.T) {
	tests := []struct {
		name   string
		resp   RedirectResponse
		target string // the request, "/" when empty
		want   result
	}{
		{"zero status is 307", RedirectResponse{URL: "/new-path"}, "", redirectResult(307, "/new-path")},
		{"lesson 301", RedirectResponse{URL: "/new-path", Status: 301}, "/old-path", redirectResult(301, "/new-path")},
		{"lesson 302", RedirectResponse{URL: "/auth/login", Status: 302}, "/login-required", redirectResult(302, "/auth/login")},
		{"303", RedirectResponse{URL: "/done", Status: 303}, "", redirectResult(303, "/done")},
		{"308", RedirectResponse{URL: "/moved", Status: 308}, "", redirectResult(308, "/moved")},
		{"spaces and non-ASCII escaped once", RedirectResponse{URL: "/a b/café?q=x y"}, "",
			redirectResult(307, "/a%20b/caf%C3%A9?q=x%20y")},
		{"existing escapes kept", RedirectResponse{URL: "/a%20b?next=%2Fhome"}, "", redirectResult(307, "/a%20b?next=%2Fhome")},
		{"stray percent escaped", RedirectResponse{URL: "/100%"}, "", redirectResult(307, "/100%25")},
		{"CR LF cannot inject a header", RedirectResponse{URL: "/x\r\nSet-Cookie: a=b"}, "",
			redirectResult(307, "/x%0D%0ASet-Cookie:%20a=b")},
		{"absolute URL", RedirectResponse{URL: "https://example.com/a?b=c#d"}, "", redirectResult(307, "https://example.com/a?b=c#d")},
		{"same path other query is not a loop", RedirectResponse{URL: "/login?next=%2F"}, "/login", redirectResult(307, "/login?next=%2F")},
		{"escaped slash is not a loop", RedirectResponse{URL: "/a%2Fb"}, "/a/b", redirectResult(307, "/a%2Fb")},
		{"slash is not a loop to an escaped one", RedirectResponse{URL: "/a/b"}, "/a%2Fb", redirectResult(307, "/a/b")},
		{"longer path is not a loop", RedirectResponse{URL: "/a/b/"}, "/a/b", redirectResult(307, "/a/b/")},
		{"local only accepts a path", RedirectResponse{URL: "/home", LocalOnly: true}, "", redirectResult(307, "/home")},
		{"local only accepts a relative path", RedirectResponse{URL: "next?page=2", LocalOnly: true}, "/list/", redirectResult(307, "next?page=2")},
		{"allowed host", RedirectResponse{URL: "https://Accounts.example.com/login", AllowedHosts: []string{"accounts.example.com"}}, "",
			redirectResult(307, "https://Accounts.example.com/login")},
		{"cookies and headers", RedirectResponse{URL: "/", Header: http.Header{"Cache-Control": {"no-store"}}, Cookies: []*http.Cookie{{Name: "a", Value: "1"}}}, "/login",
			result{Status: 307, Header: http.Header{"Location": {"/"}, "Content-Length": {"0"}, "Cache-Control": {"no-store"}, "Set-Cookie": {"a=1"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target
			if target == "" {
				target = "/"
			}
			got := record(t, HandlerFunc(func(*http.Request) (Responder, error) { return tt.resp, nil }), httptest.NewRequest("GET", target, nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRedirectRejects(t *testing.T) {
	tests := []struct {
		name    string
		resp    RedirectResponse
		request string
		want    error // nil: any error
	}{
		{"loop to own path", RedirectResponse{URL: "/login"}, "/login", ErrRedirectLoop},
		{"loop with query", RedirectResponse{URL: "/a?x=1"}, "/a?x=1", ErrRedirectLoop},
		{"loop ignoring fragment", RedirectResponse{URL: "/a#top"}, "/a", ErrRedirectLoop},
		{"loop through dot segments", RedirectResponse{URL: "/b/../a"}, "/a", ErrRedirectLoop},
		{"loop relative", RedirectResponse{URL: "a"}, "/dir/a", ErrRedirectLoop},
		{"loop through escaping", RedirectResponse{URL: "/%61"}, "/a", ErrRedirectLoop},
		{"loop through escaping in a later segment", RedirectResponse{URL: "/x/caf%C3%A9/%7Ey"}, "/x/café/~y", ErrRedirectLoop},
		{"loop through an escaped slash", RedirectResponse{URL: "/a%2fb"}, "/a%2Fb", ErrRedirectLoop},
		{"loop absolute same host", RedirectResponse{URL: "http://example.com/a"}, "/a", ErrRedirectLoop},
		{"local only: absolute", RedirectResponse{URL: "https://evil.example/", LocalOnly: true}, "/", ErrRedirectNotAllowed},
		{"local only: scheme-relative", RedirectResponse{URL: "//evil.example/", LocalOnly: true}, "/", ErrRedirectNotAllowed},
		{"local only: javascript", RedirectResponse{URL: "javascript:alert(1)", LocalOnly: true}, "/", ErrRedirectNotAllowed},
		{"local only: userinfo trick", RedirectResponse{URL: "https://good.example@evil.example/", AllowedHosts: []string{"good.example"}}, "/", ErrRedirectNotAllowed},
		{"allowed hosts: other host", RedirectResponse{URL: "https://evil.example/", AllowedHosts: []string{"good.example"}}, "/", ErrRedirectNotAllowed},
		{"allowed hosts: other scheme", RedirectResponse{URL: "ftp://good.example/", AllowedHosts: []string{"good.example"}}, "/", ErrRedirectNotAllowed},
		{"status 200", RedirectResponse{URL: "/x", Status: 200}, "/", nil},
		{"status 304", RedirectResponse{URL: "/x", Status: 304}, "/", nil},
		{"empty URL", RedirectResponse{}, "/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := tt.resp.Respond(rec, httptest.NewRequest("GET", tt.request, nil))
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if len(rec.Header()) != 0 || rec.Body.Len() != 0 {
				t.Errorf("wrote before failing: header %v, body %q", rec.Header(), rec.Body)
			}
		})
	}
}

// TestRedirectLocalOnlyBackslash checks that "/\host", which browsers read
// as "//host", is escaped into a harmless path.
func TestRedirectLocalOnlyBackslash(t *testing.T) {
	rec := httptest.NewRecorder()
	err := RedirectResponse{URL: `/\evil.example`, LocalOnly: true}.Respond(rec, httptest.NewRequest("GET", "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Header().Get("Location"); got != "/%5Cevil.example" {
		t.Errorf("Location = %q, want /%%5Cevil.example", got)
	}
}

func TestEscapeURLNoCopy(t *testing.T) {
	in := "/already/clean?x=%2F"
	if got := EscapeURL(in); got != in {
		t.Errorf("EscapeURL(%q) = %q", in, got)
	}
	if n := testing.AllocsPerRun(100, func() { EscapeURL(in) }); n != 0 {
		t.Errorf("EscapeURL allocates %v times for a clean URL", n)
	}
}

// FuzzRedirect checks, for any target, request path and allowed host,
// that Respond never panics; that a Location it writes holds no byte a
// header or URL may not carry and is unchanged by escaping again; that a
// LocalOnly or AllowedHosts redirect, resolved as a browser would, never
// leaves for a host not allowed; and that ErrRedirectLoop is returned
// exactly when the target resolves to the request's own URL.
func FuzzRedirect(f *testing.F) {
	for _, s := range []string{"/new-path", "//evil.com", `/\evil.com`, "/\t/evil.com", "https://x.y/", "/a%2", "%zz", "javascript:x",
		"/café", "?q=1", "#f", "http:evil.com", "/a/../../b", "\x00", "\r\n", "http://[::1]:80/", "/here?q=1", "here?q=1", "/a%2Fb"} {
		f.Add(s, "/here?q=1", false, "")
		f.Add(s, "/a/b", true, "")
		f.Add(s, "/a%2Fb", false, "x.y")
	}
	f.Fuzz(func(t *testing.T, target, request string, localOnly bool, allowed string) {
		reqURL, err := url.ParseRequestURI(request)
		if err != nil || !strings.HasPrefix(request, "/") {
			return
		}
		req := httptest.NewRequest("GET", "http://site.example/", nil)
		req.URL, req.RequestURI = reqURL, request
		resp := RedirectResponse{URL: target, LocalOnly: localOnly}
		if allowed != "" {
			resp.AllowedHosts = []string{allowed}
		}
		rec := httptest.NewRecorder()
		err = resp.Respond(rec, req)
		var loc string
		switch {
		case err == nil:
			loc = rec.Header().Get("Location")
		case errors.Is(err, ErrRedirectLoop):
			loc = EscapeURL(target)
		default:
			return
		}
		for i := 0; i < len(loc); i++ {
			if c := loc[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>\^{|}`+"`", c) >= 0 {
				t.Fatalf("Location %q has byte %q", loc, c)
			}
		}
		if again := EscapeURL(loc); again != loc {
			t.Fatalf("escaping twice changed %q to %q", loc, again)
		}
		u, perr := url.Parse(loc)
		if perr != nil {
			if localOnly || allowed != "" {
				t.Fatalf("LocalOnly accepted unparsable %q", loc)
			}
			return
		}
		base := *req.URL
		base.Scheme, base.Host = "http", "site.example"
		got := base.ResolveReference(u)
		if (localOnly || allowed != "") && !(got.Scheme == "http" && got.Host == "site.example" && !strings.HasPrefix(loc, "//")) &&
			!(allowed != "" && strings.EqualFold(got.Host, allowed) && (got.Scheme == "http" || got.Scheme == "https")) {
			t.Fatalf("%q (LocalOnly %v, AllowedHosts %q) resolves to %v, off the site", target, localOnly, allowed, got)
		}
		self := strings.EqualFold(got.Host, "site.example") && (u.Scheme == "" || strings.EqualFold(u.Scheme, "http")) &&
			sameSegments(got.EscapedPath(), req.URL.EscapedPath()) && got.RawQuery == req.URL.RawQuery
		if isLoop := errors.Is(err, ErrRedirectLoop); isLoop != self {
			t.Fatalf("redirect from %q to %q (%q resolves to %v): ErrRedirectLoop %v, but a loop %v", request, target, loc, got, isLoop, self)
		}
	})
}

// sameSegments reports whether two escaped paths name the same segments,
// each compared unescaped: the test's own statement of a loop.
func sameSegments(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	if len(as) != len(bs) {
		return false
	}
	for i := range as {
		x, errX := url.PathUnescape(as[i])
		y, errY := url.PathUnescape(bs[i])
		if errX != nil || errY != nil || x != y {
			return false
		}
	}
	return true
}

// TestRedirectLoopByMethod checks that a loop is a redirect that repeats
// the same request: a redirect to the request's own URL is refused for
// GET and HEAD, and for any method with 307 or 308, which keep the
// method; Post/Redirect/Get (301, 302 or 303 after an unsafe method)
// turns the next request into a GET, so it is no loop.
func TestRedirectLoopByMethod(t *testing.T) {
	tests := []struct {
		method string
		status int // 0 is 307
		loop   bool
	}{
		{"GET", 303, true},
		{"GET", 301, true},
		{"HEAD", 302, true},
		{"GET", 0, true},
		{"POST", 303, false},
		{"POST", 302, false},
		{"POST", 301, false},
		{"PUT", 303, false},
		{"DELETE", 303, false},
		{"PATCH", 302, false},
		{"POST", 307, true},
		{"POST", 308, true},
		{"PUT", 0, true},
		{"DELETE", 308, true},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+http.StatusText(tt.status), func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := RedirectResponse{URL: "/items?page=2", Status: tt.status}.Respond(rec, httptest.NewRequest(tt.method, "/items?page=2", nil))
			if got := errors.Is(err, ErrRedirectLoop); got != tt.loop {
				t.Fatalf("%s answered with %d: ErrRedirectLoop %v, want %v (err %v)", tt.method, tt.status, got, tt.loop, err)
			}
			if !tt.loop && rec.Header().Get("Location") != "/items?page=2" {
				t.Errorf("Location = %q, want /items?page=2", rec.Header().Get("Location"))
			}
		})
	}
}

// TestRedirectHeaderLocationRefused checks that Header cannot replace the
// target that Respond escaped and LocalOnly checked, whatever the key's
// spelling.
func TestRedirectHeaderLocationRefused(t *testing.T) {
	for _, key := range []string{"Location", "location", "LOCATION"} {
		t.Run(key, func(t *testing.T) {
			rec := httptest.NewRecorder()
			resp := RedirectResponse{URL: "/home", LocalOnly: true, Header: http.Header{key: {"https://evil.example/"}}}
			err := resp.Respond(rec, httptest.NewRequest("GET", "/login", nil))
			if err == nil {
				t.Fatalf("Respond accepted Header[%q]; Location = %q", key, rec.Header().Get("Location"))
			}
			if len(rec.Header()) != 0 || rec.Code != http.StatusOK || rec.Body.Len() != 0 {
				t.Errorf("wrote before failing: %d %v %q", rec.Code, rec.Header(), rec.Body)
			}
		})
	}
}

// TestRedirectRefusalIsClientError checks that a target refused by
// LocalOnly or AllowedHosts, and a loop through a target that is marked
// as coming from the request, are answered 400 and not logged as server
// errors; a loop in a fixed target is the application's bug, a logged 500.
func TestRedirectRefusalIsClientError(t *testing.T) {
	tests := []struct {
		name     string
		resp     RedirectResponse
		target   string
		want     result
		errorLog bool
	}{
		{"local only refuses another host", RedirectResponse{URL: "https://evil.example/", LocalOnly: true}, "/login",
			jsonResult(400, `{"detail":"Redirect target not allowed"}`), false},
		{"allowed hosts refuses another host", RedirectResponse{URL: "//evil.example/", AllowedHosts: []string{"good.example"}}, "/login",
			jsonResult(400, `{"detail":"Redirect target not allowed"}`), false},
		{"local only loop", RedirectResponse{URL: "/login", LocalOnly: true}, "/login",
			jsonResult(400, `{"detail":"Redirect target not allowed"}`), false},
		{"fixed loop", RedirectResponse{URL: "/login"}, "/login",
			jsonResult(500, `{"detail":"Internal Server Error"}`), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slogTo(&logs)
			a := Adapter{Logger: logger}
			got := record(t, a.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), httptest.NewRequest("GET", tt.target, nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if logged := bytes.Contains(logs.Bytes(), []byte("level=ERROR")); logged != tt.errorLog {
				t.Errorf("logged an error: %v, want %v; log:\n%s", logged, tt.errorLog, logs.Bytes())
			}
		})
	}
}

// TestRedirectLocationNotShared checks that middleware that rewrites
// a redirect's Location in place (a proxy adding its path prefix, say)
// rewrites only its own response's: the value is not shared, unlike
// the package's other header values (see headervalue.go), because
// rewriting Location is common.
func TestRedirectLocationNotShared(t *testing.T) {
	resp := RedirectResponse{URL: "/target", Status: http.StatusSeeOther}
	r := httptest.NewRequest(http.MethodGet, "/from", nil)
	first := newDiscardWriter()
	if err := resp.Respond(first, r); err != nil {
		t.Fatal(err)
	}
	first.header["Location"][0] = "/prefix" + first.header["Location"][0]
	second := newDiscardWriter()
	if err := resp.Respond(second, r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/target"}, second.header["Location"]); diff != "" {
		t.Errorf("Location after middleware rewrote another response's in place (-want +got):\n%s", diff)
	}
}
