// The lesson's exports router: file downloads, confined to a folder.
//
//	curl -OJ http://127.0.0.1:8000/exports/report-2026-q1.csv
//	curl -i -H 'Range: bytes=0-9' http://127.0.0.1:8000/exports/report-2026-q1.csv
//	curl -i http://127.0.0.1:8000/exports/..%2F..%2Fetc%2Fpasswd

package lesson

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/go-respond/respond"
)

// Exports registers GET /exports/{filename}, which downloads a file from
// folder: a FileResponse with Root (a directory opened with os.OpenRoot)
// or FS set. The name comes from the URL, and FileResponse confines it to
// the folder — no basename trick, and no symbolic link leads out. A
// missing file answers 404 {"detail":"File not found"}.
func Exports(mux *http.ServeMux, folder respond.FileResponse) {
	mux.Handle("GET /exports/{filename}", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		download := folder // a copy per request; Respond never changes it
		download.Name = r.PathValue("filename")
		download.Filename = download.Name // sets Content-Disposition: attachment
		download.MediaType = "application/octet-stream"
		return download, nil
	}))
}

//go:embed sample-exports
var sample embed.FS

// started stands in for the embedded files' modification time, which
// embed.FS does not keep, so that they get an ETag and Last-Modified
// (and so 304s) that change when the program is rebuilt and restarted.
var started = time.Now()

// SampleExports is the folder served when no -exports folder is given.
func SampleExports() respond.FileResponse {
	files, err := fs.Sub(sample, "sample-exports")
	if err != nil {
		panic(err) // the folder is embedded above; it cannot be missing
	}
	return respond.FileResponse{FS: files, ModTime: started}
}
