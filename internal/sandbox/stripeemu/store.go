package stripeemu

import (
	"net/http"
	"sync"
)

// account is the state behind one API key. Each secret key is its own
// Stripe account, so nothing is shared between keys.
//
// A resource kind joins the store as one more table field here plus its
// routes in Server.routes; tables, list pagination and the idempotency layer
// are generic.
type account struct {
	mu                sync.Mutex // guards the tables; held while an endpoint runs
	customers         *table[*customer]
	products          *table[*product]
	prices            *table[*price]
	meters            *table[*meter]
	meterEvents       *table[*meterEvent]        // keyed by identifier
	usage             map[usageKey][]*meterEvent // meterEvents by meter and customer, by timestamp
	subscriptions     *table[*subscription]
	subscriptionItems *table[*subscriptionItem]

	idem idempotencyStore // has its own locking
}

func newAccount() *account {
	return &account{
		customers:         newTable[*customer]("customer"),
		products:          newTable[*product]("product"),
		prices:            newTable[*price]("price"),
		meters:            newTable[*meter]("billing.meter"),
		meterEvents:       newTable[*meterEvent]("billing.meter_event"),
		usage:             map[usageKey][]*meterEvent{},
		subscriptions:     newTable[*subscription]("subscription"),
		subscriptionItems: newTable[*subscriptionItem]("subscription_item"),
	}
}

// row is one stored object. Deleted objects stay as tombstones: Stripe
// answers retrieval of a deleted object with {"id", "object", "deleted"},
// and a deleted object still works as a pagination cursor.
type row[T any] struct {
	id      string
	seq     uint64 // creation order, the tie-breaker for equal created times
	deleted bool
	obj     T
}

// table is the ordered collection of one kind of Stripe object in an
// account.
type table[T any] struct {
	noun string // as in "No such customer: 'cus_x'"
	byID map[string]*row[T]
	rows []*row[T] // in creation order, oldest first
	seq  uint64
}

func newTable[T any](noun string) *table[T] {
	return &table[T]{noun: noun, byID: map[string]*row[T]{}}
}

// insert stores a new object under id.
func (t *table[T]) insert(id string, obj T) {
	t.seq++
	r := &row[T]{id: id, seq: t.seq, obj: obj}
	t.byID[id] = r
	t.rows = append(t.rows, r)
}

// live returns the live object with the given id, or Stripe's 404 when it
// does not exist or was deleted.
func (t *table[T]) live(id string) (T, *apiError) {
	r, ok := t.byID[id]
	if !ok || r.deleted {
		var zero T
		return zero, resourceMissing(http.StatusNotFound, t.noun, "id", id)
	}
	return r.obj, nil
}

// retrieve answers GET of the object id: the live object, the tombstone
// of a deleted one, or Stripe's 404. The table's noun is the object type.
func (t *table[T]) retrieve(id string) (any, *apiError) {
	if r, ok := t.byID[id]; ok && r.deleted {
		return deletedObject{ID: id, Object: t.noun, Deleted: true}, nil
	}
	return t.live(id)
}

// remove deletes the live object id, leaving a tombstone, and returns
// Stripe's answer to the DELETE. The table's noun is the object type.
func (t *table[T]) remove(id string) (deletedObject, *apiError) {
	if _, err := t.live(id); err != nil {
		return deletedObject{}, err
	}
	t.byID[id].deleted = true
	return deletedObject{ID: id, Object: t.noun, Deleted: true}, nil
}

// each calls f for every live object in creation order, oldest first.
func (t *table[T]) each(f func(T)) {
	for _, r := range t.rows {
		if !r.deleted {
			f(r.obj)
		}
	}
}

// listQuery holds Stripe's cursor pagination parameters.
type listQuery struct {
	limit         int
	startingAfter string
	endingBefore  string
}

// Stripe's list limits.
const (
	defaultListLimit = 10
	maxListLimit     = 100
)

// paginationParams are the parameters every list endpoint accepts.
var paginationParams = []string{"limit", "starting_after", "ending_before"}

// parseListQuery reads limit, starting_after and ending_before.
func parseListQuery(p params) (listQuery, *apiError) {
	q := listQuery{limit: defaultListLimit}
	if n, ok, err := p.integer("limit"); err != nil {
		return q, err
	} else if ok {
		if n < 1 {
			return q, invalidParam("limit", codeParameterInvalidInteger, "This value must be greater than or equal to 1.")
		}
		if n > maxListLimit {
			return q, invalidParam("limit", codeParameterInvalidInteger, "This value must be less than or equal to %d.", maxListLimit)
		}
		q.limit = int(n)
	}
	var err *apiError
	if q.startingAfter, _, err = p.str("starting_after"); err != nil {
		return q, err
	}
	if q.endingBefore, _, err = p.str("ending_before"); err != nil {
		return q, err
	}
	if q.startingAfter != "" && q.endingBefore != "" {
		return q, invalidRequest("You may only specify one of these parameters: ending_before, starting_after.")
	}
	return q, nil
}

// list returns one page of live objects accepted by match, newest first,
// and whether more objects lie beyond the page in the direction of travel.
//
// starting_after pages towards older objects; ending_before returns the
// limit objects immediately newer than the cursor, still newest first.
func (t *table[T]) list(q listQuery, match func(T) bool) ([]T, bool, *apiError) {
	// Candidates in Stripe's order: newest first.
	lo, hi := uint64(0), ^uint64(0) // exclusive seq bounds
	switch {
	case q.startingAfter != "":
		r, ok := t.byID[q.startingAfter]
		if !ok {
			return nil, false, resourceMissing(http.StatusBadRequest, t.noun, "starting_after", q.startingAfter)
		}
		hi = r.seq
	case q.endingBefore != "":
		r, ok := t.byID[q.endingBefore]
		if !ok {
			return nil, false, resourceMissing(http.StatusBadRequest, t.noun, "ending_before", q.endingBefore)
		}
		lo = r.seq
	}
	var out []T
	if q.endingBefore == "" {
		for i := len(t.rows) - 1; i >= 0; i-- {
			r := t.rows[i]
			if r.deleted || r.seq >= hi || (match != nil && !match(r.obj)) {
				continue
			}
			if len(out) == q.limit {
				return out, true, nil
			}
			out = append(out, r.obj)
		}
		return out, false, nil
	}
	// Walk upwards from the cursor, then reverse into newest-first order.
	more := false
	for _, r := range t.rows {
		if r.deleted || r.seq <= lo || (match != nil && !match(r.obj)) {
			continue
		}
		if len(out) == q.limit {
			more = true
			break
		}
		out = append(out, r.obj)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, more, nil
}

// dataFields returns the expandable fields of an object as a list endpoint
// names them: "data." + field.
func dataFields(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = "data." + f
	}
	return out
}

// listObject is Stripe's list envelope.
type listObject[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

func newList[T any](url string, data []T, hasMore bool) listObject[T] {
	if data == nil {
		data = []T{}
	}
	return listObject[T]{Object: "list", Data: data, HasMore: hasMore, URL: url}
}

// deletedObject is what Stripe returns for a deleted object, both from the
// DELETE call and from later retrievals.
type deletedObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}
