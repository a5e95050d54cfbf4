package respond

import (
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

const lessonPage = `
<html>
    <head><title>Hello</title></head>
    <body><h1>Hello from FastAPI</h1></body>
</html>
`

// benchServe runs h once per iteration against a reused discardWriter.
func benchServe(b *testing.B, h http.Handler, method string) {
	b.Helper()
	benchServeRequest(b, h, httptest.NewRequest(method, "/old-path", nil))
}

// benchServeRequest is benchServe for a request of the caller's.
func benchServeRequest(b *testing.B, h http.Handler, req *http.Request) {
	b.Helper()
	w := newDiscardWriter()
	h.ServeHTTP(w, req)
	b.SetBytes(int64(w.n))
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, req)
	}
	if w.status == 0 || w.status >= 500 {
		b.Fatalf("status %d", w.status)
	}
}

// The floors are what a skilled engineer writes by hand with net/http to
// do the same job: same headers, Content-Length, same body.

func BenchmarkJSONSmall(b *testing.B) {
	data := map[string]string{"key": "value"}
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := json.Marshal(data)
			if err != nil {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set("X-Request-Id", "abc-123")
			h.Set("Cache-Control", "no-store")
			h.Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		resp := JSONResponse{Content: data, Header: http.Header{"X-Request-Id": {"abc-123"}, "Cache-Control": {"no-store"}}}
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil }), "GET")
	})
}

// product is an item of the json_medium workload.
type product struct {
	ID    int     `json:"id"`
	Name  string  `json:"name"`
	Price float64 `json:"price"`
	Tags  []string
}

// mediumProducts is the json_medium workload: 100 products, 6 KiB.
func mediumProducts() []product {
	data := make([]product, 100)
	for i := range data {
		data[i] = product{ID: i, Name: "Product " + strconv.Itoa(i), Price: float64(i) * 9.99, Tags: []string{"a", "b"}}
	}
	return data
}

func BenchmarkJSONMedium(b *testing.B) {
	data := mediumProducts()
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := json.Marshal(data)
			if err != nil {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) { return JSONResponse{Content: data}, nil }), "GET")
	})
}

func BenchmarkHTML(b *testing.B) {
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(lessonPage)))
			io.WriteString(w, lessonPage)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) { return HTMLResponse{Content: lessonPage}, nil }), "GET")
	})
}

func BenchmarkText(b *testing.B) {
	const text = "Hello, World!"
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(text)))
			io.WriteString(w, text)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) { return PlainTextResponse{Content: text}, nil }), "GET")
	})
}

func BenchmarkRedirect(b *testing.B) {
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "/new-path")
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusMovedPermanently)
		}), "GET")
	})
	b.Run("net-http-redirect", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/new-path", http.StatusMovedPermanently)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		resp := RedirectResponse{URL: "/new-path", Status: http.StatusMovedPermanently}
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil }), "GET")
	})
}

func BenchmarkRaw(b *testing.B) {
	body := []byte(`<?xml version="1.0"?><item id="7">Widget</item>`)
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) {
			return Response{Content: body, MediaType: "application/xml"}, nil
		}), "GET")
	})
}

func BenchmarkTemplate(b *testing.B) {
	page := template.Must(template.New("page").Parse(`<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>`))
	items := []string{"Widget", "Gadget <b>", "Doohickey & co"}
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			buf := getBuffer() // the same pool, so the floor pays no more for its buffer
			defer putBuffer(buf)
			if err := page.Execute(buf, items); err != nil {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
			w.Write(buf.Bytes())
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) {
			return TemplateResponse{Template: page, Data: items}, nil
		}), "GET")
	})
}

func BenchmarkCookie(b *testing.B) {
	session := &http.Cookie{Name: "session", Value: "abc123", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, session)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Length", "2")
			io.WriteString(w, "ok")
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		cookies := []*http.Cookie{session}
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) {
			return PlainTextResponse{Content: "ok", Cookies: cookies}, nil
		}), "GET")
	})
}

// BenchmarkErrorResponse is the 404 of a missing item: FastAPI's
// {"detail": ...} body.
func BenchmarkErrorResponse(b *testing.B) {
	b.Run("floor", func(b *testing.B) {
		benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := json.Marshal(map[string]string{"detail": "Item not found"})
			if err != nil {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusNotFound)
			w.Write(body)
		}), "GET")
	})
	b.Run("respond", func(b *testing.B) {
		benchServe(b, HandlerFunc(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: http.StatusNotFound, Detail: "Item not found"}
		}), "GET")
	})
}
