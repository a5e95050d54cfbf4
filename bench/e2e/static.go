package e2e

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/go-respond/respond/static"
)

// StaticServers are the folder servers BenchmarkStatic compares, the
// standard library first: http.FileServerFS and static.Handler, each on
// the same folder at /static/.
var StaticServers = []string{"fileserver", "static"}

// SmallFileSize is the size of the small file of BenchmarkStatic.
const SmallFileSize = 1 << 10

// StaticCase is one request of BenchmarkStatic.
type StaticCase struct {
	Name   string
	Path   string // under /static/
	Status int
	Size   int64 // the body, for MB/s; 0 for none
	// Revalidate sends the validator of a first response back: If-None-Match
	// with its ETag when it has one (static.Handler), else
	// If-Modified-Since with its Last-Modified (http.FileServer sends no
	// ETag), as a browser does.
	Revalidate bool
}

// StaticCases are the requests of BenchmarkStatic: a 1 KiB file, its
// revalidation, and the 10 MiB download's file (through sendfile).
var StaticCases = []StaticCase{
	{Name: "1KiB", Path: "small.js", Status: 200, Size: SmallFileSize},
	{Name: "304", Path: "small.js", Status: 304, Revalidate: true},
	{Name: "10MiB", Path: "big.bin", Status: 200, Size: BigFileSize},
}

// writeSmallFile writes the small file of BenchmarkStatic into dir.
func writeSmallFile(dir string) error {
	b := make([]byte, SmallFileSize)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return os.WriteFile(filepath.Join(dir, "small.js"), b, 0o644)
}

// staticServer returns the folder server name for dir, at /static/.
func staticServer(name string, root *os.Root, dir string) http.Handler {
	mux := http.NewServeMux()
	switch name {
	case "fileserver":
		mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(os.DirFS(dir))))
	case "static":
		mux.Handle("GET /static/", &static.Handler{Root: root})
	}
	return mux
}
