package respond_test

import (
	"embed"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/go-respond/respond"
)

// The lesson's download_export, without the basename trick: the name
// from the URL is confined to the exports directory by an os.Root, so
// "..", separators and symbolic links cannot leave it.
func ExampleFileResponse() {
	exports, err := os.OpenRoot("testdata/files")
	if err != nil {
		log.Fatal(err)
	}
	defer exports.Close()

	mux := http.NewServeMux()
	mux.Handle("GET /exports/{filename}", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		name := r.PathValue("filename")
		return respond.FileResponse{Root: exports, Name: name, Filename: name, MediaType: "application/octet-stream"}, nil
	}))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/exports/report.csv", nil))
	fmt.Println(rec.Result().Status)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println("Content-Disposition:", rec.Header().Get("Content-Disposition"))
	fmt.Print(rec.Body)

	// r.PathValue decodes %2F, so the handler receives "../../go.mod".
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/exports/..%2F..%2Fgo.mod", nil))
	fmt.Println(rec.Result().Status)
	fmt.Println(rec.Body)
	// Output:
	// 200 OK
	// Content-Type: application/octet-stream
	// Content-Disposition: attachment; filename="report.csv"
	// id,product,sales,revenue
	// 1,Widget,120,1198.80
	// 2,Gadget,75,1124.25
	// 404 Not Found
	// {"detail":"File not found"}
}

// A PDF shown in the browser rather than saved: Inline with a Filename
// for when the user saves it anyway. The media type comes from the
// extension.
func ExampleFileResponse_inline() {
	resp := respond.FileResponse{Path: "testdata/files/manual.pdf", Filename: "manual.pdf", Inline: true}

	rec := httptest.NewRecorder()
	respond.Serve(rec, httptest.NewRequest("GET", "/manual", nil), resp)
	fmt.Println(rec.Result().Status)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println("Content-Disposition:", rec.Header().Get("Content-Disposition"))
	fmt.Println("Content-Length:", rec.Header().Get("Content-Length"))
	fmt.Println("Accept-Ranges:", rec.Header().Get("Accept-Ranges"))
	// Output:
	// 200 OK
	// Content-Type: application/pdf
	// Content-Disposition: inline; filename="manual.pdf"
	// Content-Length: 83
	// Accept-Ranges: bytes
}

// A Range request, as a PDF viewer or a resumed download sends: 206 with
// the part asked for.
func ExampleFileResponse_range() {
	resp := respond.FileResponse{Path: "testdata/files/manual.pdf"}

	req := httptest.NewRequest("GET", "/manual", nil)
	req.Header.Set("Range", "bytes=0-7")
	rec := httptest.NewRecorder()
	respond.Serve(rec, req, resp)
	fmt.Println(rec.Result().Status)
	fmt.Println("Content-Range:", rec.Header().Get("Content-Range"))
	fmt.Println("Content-Length:", rec.Header().Get("Content-Length"))
	fmt.Println(rec.Body)
	// Output:
	// 206 Partial Content
	// Content-Range: bytes 0-7/83
	// Content-Length: 8
	// %PDF-1.4
}

//go:embed testdata/files
var files embed.FS

// Files built into the binary. An embed.FS has no modification times, so
// there is no ETag or Last-Modified unless you set one: here the build's
// version, which changes whenever the files can.
func ExampleFileResponse_embed() {
	static, err := fs.Sub(files, "testdata/files")
	if err != nil {
		log.Fatal(err)
	}
	const version = "v1.4.2"

	mux := http.NewServeMux()
	mux.Handle("GET /static/{path...}", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.FileResponse{
			FS:     static,
			Name:   r.PathValue("path"),
			ETag:   version,
			Header: http.Header{"Cache-Control": {"no-cache"}},
		}, nil
	}))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/static/hello.txt", nil))
	fmt.Println(rec.Result().Status)
	fmt.Println("Content-Type:", rec.Header().Get("Content-Type"))
	fmt.Println("Etag:", rec.Header().Get("Etag"))
	fmt.Print(rec.Body)

	// The browser revalidates with the ETag and gets 304, no body.
	req := httptest.NewRequest("GET", "/static/hello.txt", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("Etag"))
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	fmt.Println(rec.Result().Status, len(rec.Body.Bytes()), "bytes")
	// Output:
	// 200 OK
	// Content-Type: text/plain; charset=utf-8
	// Etag: "v1.4.2"
	// Hello, world!
	// 304 Not Modified 0 bytes
}

// ContentDisposition builds the header for any response, such as a
// streamed CSV export. Names that are not plain ASCII get an RFC 8187
// filename* with an ASCII fallback; control characters never reach the
// header.
func ExampleContentDisposition() {
	fmt.Println(respond.ContentDisposition("attachment", "report.csv"))
	fmt.Println(respond.ContentDisposition("inline", "résumé.pdf"))
	fmt.Println(respond.ContentDisposition("", "evil.csv\r\nSet-Cookie: session=x"))

	// For a StreamingResponse or any other response:
	header := http.Header{"Content-Disposition": {respond.ContentDisposition("attachment", "export.csv")}}
	fmt.Println(header.Get("Content-Disposition"))
	// Output:
	// attachment; filename="report.csv"
	// inline; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
	// attachment; filename="evil.csvSet-Cookie: session=x"
	// attachment; filename="export.csv"
}
