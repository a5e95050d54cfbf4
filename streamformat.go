package respond

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"net/http"
)

// CSVStream returns a [StreamingResponse] that writes each record of rows
// as one line of CSV (RFC 4180 quoting, by [encoding/csv] with its
// defaults: comma-separated, LF line ends), flushed as it is produced,
// with Content-Type "text/csv; charset=utf-8". If filename is not empty,
// it also sets Content-Disposition to attachment with that filename, by
// [ContentDisposition], so that a browser saves the file:
//
//	return respond.CSVStream("products.csv", rows), nil
//
// rows yields the records, a header first if there is one, or an error
// that ends the body: before the first record it is a normal error
// response, after it the response is aborted (see [StreamingResponse]).
// A record with no fields is such an error, because it would be a blank
// line, which CSV readers skip. A record of one empty field is written
// as "" for the same reason.
//
// The result's fields can be changed before it is returned; set its
// FlushInterval to coalesce many small records into fewer writes.
func CSVStream(filename string, rows iter.Seq2[[]string, error]) StreamingResponse {
	return csvStream(filename, rows, false)
}

// CSVStreamCRLF is [CSVStream] with CRLF line ends, as RFC 4180 has them
// and Python's csv module writes them (the FastAPI lesson's export).
func CSVStreamCRLF(filename string, rows iter.Seq2[[]string, error]) StreamingResponse {
	return csvStream(filename, rows, true)
}

func csvStream(filename string, rows iter.Seq2[[]string, error], crlf bool) StreamingResponse {
	emptyField := "\"\"\n"
	if crlf {
		emptyField = "\"\"\r\n"
	}
	resp := StreamingResponse{
		MediaType: "text/csv",
		Func: func(_ context.Context, w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.UseCRLF = crlf
			n := 0
			for rec, err := range rows {
				if err != nil {
					return err
				}
				n++
				switch {
				case len(rec) == 0:
					return fmt.Errorf("respond: CSV record %d has no fields", n)
				case len(rec) == 1 && rec[0] == "":
					if _, err := io.WriteString(w, emptyField); err != nil {
						return err
					}
					continue
				}
				if err := cw.Write(rec); err != nil {
					return err
				}
				cw.Flush() // one chunk per record
				if err := cw.Error(); err != nil {
					return err
				}
			}
			return nil
		},
	}
	if filename != "" {
		resp.Header = http.Header{"Content-Disposition": {ContentDisposition("attachment", filename)}}
	}
	return resp
}

// NDJSONStream returns a [StreamingResponse] that writes each value of
// values as one line of JSON (newline-delimited JSON, each value
// followed by "\n"), flushed as it is produced, with Content-Type
// "application/x-ndjson". Values are encoded by [encoding/json] with <,
// > and & escaped, as [JSONResponse] does, and each that implements
// [Validator] is validated first; a value that fails or cannot be
// encoded writes nothing and ends the body with its error.
//
// application/x-ndjson is the default because it is the type that
// ndjson.org names and that Elasticsearch's bulk API requires; JSON
// Lines' application/jsonl, which FastAPI streams, is newer, and
// neither is registered. Set MediaType on the result to choose.
//
// values yields the values, or an error that ends the body: before the
// first value it is a normal error response, after it the response is
// aborted (see StreamingResponse).
//
// The result's fields can be changed before it is returned; set its
// FlushInterval to coalesce many small values into fewer writes.
func NDJSONStream[T any](values iter.Seq2[T, error]) StreamingResponse {
	return StreamingResponse{
		MediaType: "application/x-ndjson",
		Func: func(ctx context.Context, w io.Writer) error {
			_, err := writeJSONValues(ctx, w, values, 0, 0, '\n')
			return err
		},
	}
}

// JSONArrayStream returns a [StreamingResponse] that writes values as
// one JSON array, "[" v1 "," v2 … "]", each value flushed as it is
// produced, with Content-Type application/json: a huge result for a
// client that wants one JSON document. Values are encoded and validated
// as by [NDJSONStream].
//
// The array opens with the first value, so an error (or a done
// context) before it is a normal error response; an error after it
// aborts the response, so a client never sees a truncated array as a
// whole one: without its "]" it is not valid JSON, and the chunked body
// has no terminating chunk. No value at all sends "[]".
//
// The result's fields can be changed before it is returned; set its
// FlushInterval to coalesce many small values into fewer writes.
func JSONArrayStream[T any](values iter.Seq2[T, error]) StreamingResponse {
	return StreamingResponse{
		MediaType: "application/json",
		Func: func(ctx context.Context, w io.Writer) error {
			n, err := writeJSONValues(ctx, w, values, '[', ',', 0)
			switch {
			case err != nil:
				return err
			case n == 0:
				_, err = io.WriteString(w, "[]")
			default:
				_, err = io.WriteString(w, "]")
			}
			return err
		},
	}
}

// writeJSONValues writes each value of values to w with one Write:
// first (before the first value) or next (before the others), the value
// encoded and validated with the encoder of ctx (see encodeJSON), then
// after; a zero byte is none. It returns how many values it wrote, and
// the producer's, the encoding's or the write's error.
func writeJSONValues[T any](ctx context.Context, w io.Writer, values iter.Seq2[T, error], first, next, after byte) (int, error) {
	enc := encoderOf(ctx)
	buf := getBuffer()
	defer putBuffer(buf)
	n := 0
	for v, err := range values {
		if err != nil {
			return n, err
		}
		buf.Reset()
		sep := next
		if n == 0 {
			sep = first
		}
		if sep != 0 {
			buf.WriteByte(sep)
		}
		if err := encodeJSON(buf, v, enc, true); err != nil {
			return n, err
		}
		if after != 0 {
			buf.WriteByte(after)
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
