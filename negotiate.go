package respond

import (
	"net/http"
	"strings"
)

// Negotiated offers several representations of one resource, JSON for
// API clients and HTML for browsers, say, and sends the one that the
// request's Accept header prefers, as [Negotiate] picks it:
//
//	return respond.Negotiated{Offers: []respond.Offer{
//		{MediaType: "application/json", Response: respond.JSONResponse{Content: summary}},
//		{MediaType: "text/html", Response: respond.TemplateResponse{Template: page, Data: summary}},
//	}}, nil
//
// Every answer, the 406 too, carries "Vary: Accept", added to any Vary
// that is already set, whatever the offer's Header says, so that a cache
// keeps one copy per representation. Only the chosen offer is rendered.
//
// When no offer is acceptable, Respond fails, writing nothing, with a
// 406 Not Acceptable [HTTPError] whose Detail lists the media types
// offered, unless Fallback is set. Respond fails too when there is no
// offer or an offer has no Response.
type Negotiated struct {
	// Offers are the representations, in the server's order of
	// preference, which breaks ties.
	Offers []Offer
	// Fallback sends the first offer when none is acceptable, instead of
	// failing with 406. False means 406.
	Fallback bool
}

// Offer is one representation of a [Negotiated] resource.
type Offer struct {
	// MediaType is the type that Accept is matched against, such as
	// "application/json" or "text/csv; header=present". It does not set
	// the Content-Type, which is the Response's.
	MediaType string
	// Response is what is sent when the offer is chosen.
	Response Responder
}

// Respond sends the offer that the request prefers, as described on
// [Negotiated].
func (n Negotiated) Respond(w http.ResponseWriter, r *http.Request) error {
	if len(n.Offers) == 0 {
		return errNoOffersError
	}
	var buf [maxOffers]string
	types := buf[:0]
	for _, o := range n.Offers {
		if o.Response == nil {
			return errNilOfferError
		}
		types = append(types, o.MediaType)
	}
	i := Negotiate(r, types...)
	if i < 0 && !n.Fallback {
		addVary(w.Header(), "Accept") // for the error response
		return HTTPError{
			Status: http.StatusNotAcceptable,
			Detail: "Not Acceptable; available: " + strings.Join(types, ", "),
		}
	}
	return respondVarying(w, r, n.Offers[max(i, 0)].Response, "Accept")
}

// respondVarying writes resp with field in Vary: added before resp runs,
// so that an error response carries it too, and again by the
// trackingWriter when the response starts, after resp's own Header may
// have replaced Vary.
func respondVarying(w http.ResponseWriter, r *http.Request, resp Responder, field string) error {
	addVary(w.Header(), field)
	tw := getTrackingWriter(w)
	defer putTrackingWriter(tw)
	tw.vary = field
	return resp.Respond(tw, r)
}

var (
	errNoOffersError = &offerError{"Negotiated has no Offers"}
	errNilOfferError = &offerError{"an Offer of Negotiated has no Response"}
)

type offerError struct{ msg string }

func (e *offerError) Error() string { return "respond: " + e.msg }

// addVary adds field to the Vary header of h unless it lists it, or *.
func addVary(h http.Header, field string) {
	for _, v := range h["Vary"] {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name == "*" || strings.EqualFold(name, field) {
				return
			}
		}
	}
	h["Vary"] = append(h["Vary"], field)
}
