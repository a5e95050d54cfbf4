// Package static serves a folder of files, such as a site's frontend
// built into the binary with [embed] or deployed beside it, over HTTP:
//
//	//go:embed dist
//	var dist embed.FS
//
//	sub, _ := fs.Sub(dist, "dist")
//	mux.Handle("GET /static/", &static.Handler{FS: sub})
//	mux.Handle("GET /", &static.Handler{FS: sub, Mode: static.SPA})
//
// A [Handler] sends each file with [respond.FileResponse], so it has
// every guarantee of FileResponse: names confined to the folder, also
// under races; conditional and range requests (RFC 9110); HEAD. On top
// of that it maps URL paths to names, serves index.html for a directory
// and never lists one, answers what is missing by its [Mode] (plain 404,
// a 404.html page, or a single-page app's index.html), sends
// precompressed siblings (app.js.br, app.js.zst, app.js.gz) by
// Accept-Encoding, tags every file by a hash of its content, so that
// embed.FS files revalidate and replicas agree, and sets Cache-Control:
// immutable for names that carry a content hash, no-cache for others.
//
// It is what [net/http.FileServer], gin's Static and Starlette's
// StaticFiles do, without their directory listings, /index.html
// redirects, or unvalidated embedded files.
package static
