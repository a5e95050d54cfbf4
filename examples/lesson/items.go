// The lesson's items router: headers added to a JSON response, and
// FastAPI's 422 validation error for a path parameter that is not an
// integer.
//
//	curl -i http://127.0.0.1:8000/items/42
//	curl -i http://127.0.0.1:8000/items/abc

package lesson

import (
	"net/http"
	"strconv"

	"github.com/go-respond/respond"
)

// Items registers GET /items/{item_id}.
func Items(mux *http.ServeMux) {
	mux.Handle("GET /items/{item_id}", respond.HandlerFunc(getItem))
}

// Item is the lesson's item.
type Item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func getItem(r *http.Request) (respond.Responder, error) {
	raw := r.PathValue("item_id")
	id, err := strconv.Atoi(raw)
	if err != nil {
		return nil, intParsingError("path", "item_id", raw)
	}
	return respond.JSONResponse{
		Content: Item{ID: id, Name: "Widget"},
		Header: http.Header{
			"X-Item-ID":     {strconv.Itoa(id)},
			"Cache-Control": {"max-age=60"},
		},
	}, nil
}

// validationIssue is one entry of FastAPI's 422 body.
type validationIssue struct {
	Type  string   `json:"type"`
	Loc   []string `json:"loc"`
	Msg   string   `json:"msg"`
	Input string   `json:"input"`
}

// intParsingError is the 422 that FastAPI sends when a parameter is not
// an integer.
func intParsingError(where, name, input string) respond.HTTPError {
	return respond.HTTPError{
		Status: http.StatusUnprocessableEntity,
		Detail: []validationIssue{{
			Type:  "int_parsing",
			Loc:   []string{where, name},
			Msg:   "Input should be a valid integer, unable to parse string as an integer",
			Input: input,
		}},
	}
}
