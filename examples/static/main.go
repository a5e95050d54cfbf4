// Command static serves a small single-page app, built into the binary
// with embed, through static.Handler: a hashed asset cached for good,
// precompressed .br, .zst and .gz siblings, content-hash ETags, and the
// app's own routes answered with index.html.
//
//	go run ./examples/static
//	curl -i http://127.0.0.1:8080/                                   # index.html, no-cache, ETag
//	curl -i http://127.0.0.1:8080/about                              # a route of the app: index.html
//	curl -i -H 'Accept-Encoding: br' http://127.0.0.1:8080/assets/app.54d04e9f.js   # br, immutable
//	curl -i -H 'If-None-Match: "…"' http://127.0.0.1:8080/           # the ETag above: 304
//	curl -i http://127.0.0.1:8080/missing.js                         # an asset: 404
//	curl -i -X POST http://127.0.0.1:8080/                           # 405, Allow: GET, HEAD
//
// With -dir it serves a folder from disk instead, through an os.Root,
// as a safe "python -m http.server": no listing, nothing outside the
// folder, no dot files.
//
//	go run ./examples/static -dir . -mode plain
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-respond/respond/examples/lesson"
	"github.com/go-respond/respond/static"
)

//go:embed dist
var dist embed.FS

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "`host:port` to listen on")
	dir := flag.String("dir", "", "`folder` to serve from disk instead of the embedded app")
	mode := flag.String("mode", "", "what a missing file gets: plain (404), html (404.html) or spa (index.html); default spa for the app, plain with -dir")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	h, closeFolder, err := newHandler(*dir, *mode)
	if err != nil {
		log.Error("static failed", "error", err)
		os.Exit(1)
	}
	defer closeFolder()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := lesson.Run(ctx, *addr, h, log); err != nil {
		log.Error("static failed", "error", err)
		os.Exit(1)
	}
}

// newHandler returns the handler for the embedded app, or for dir when
// it is set, with the mode named, and what closes the folder.
func newHandler(dir, mode string) (http.Handler, func(), error) {
	h := &static.Handler{Mode: static.SPA}
	closeFolder := func() {}
	if dir != "" {
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("folder: %w", err)
		}
		h = &static.Handler{Root: root}
		closeFolder = func() { root.Close() }
	} else {
		app, err := fs.Sub(dist, "dist")
		if err != nil {
			return nil, nil, err
		}
		h.FS = app
	}
	switch mode {
	case "":
	case "plain":
		h.Mode = static.Plain
	case "html":
		h.Mode = static.HTML
	case "spa":
		h.Mode = static.SPA
	default:
		closeFolder()
		return nil, nil, fmt.Errorf("-mode %q: want plain, html or spa", mode)
	}
	return h, closeFolder, nil
}
