package stripeemu

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Stripe keeps idempotency keys for at least 24 hours.
const idempotencyTTL = 24 * time.Hour

// maxIdempotencyKeyLen is Stripe's limit on Idempotency-Key.
const maxIdempotencyKeyLen = 255

// idempotencyStore records the first result of each idempotent request of
// one account and serializes requests that share a key.
type idempotencyStore struct {
	mu        sync.Mutex
	slots     map[string]*idemSlot
	lastSweep time.Time
}

// idemSlot is the state of one key. Its mutex is held for the whole
// execution of a request under that key, so a concurrent request with the
// same key waits and then sees the recorded result.
type idemSlot struct {
	mu   sync.Mutex
	refs int         // requests holding or waiting for mu; guarded by idempotencyStore.mu
	rec  *idemRecord // guarded by mu
}

// idemRecord is the saved first result of a key.
type idemRecord struct {
	method, path string
	params       string // canonical form encoding of query and body
	resp         *apiResponse
	requestID    string
	at           time.Time
}

// idemRequest identifies a request for comparison against a saved record.
type idemRequest struct {
	method, path, params string
}

// do runs exec at most once per key within the TTL. A repeat with the same
// request gets the saved response and replayed=true; a repeat with a
// different request gets Stripe's idempotency_error. exec reports whether
// its result may be saved (validation failures are not, as on Stripe).
func (st *idempotencyStore) do(now time.Time, key string, req idemRequest, requestID string,
	exec func() (resp *apiResponse, save bool)) (resp *apiResponse, rec *idemRecord, replayed bool) {
	slot := st.acquire(now, key)
	defer st.release(key, slot)
	slot.mu.Lock()
	defer slot.mu.Unlock()

	if slot.rec != nil && now.Sub(slot.rec.at) >= idempotencyTTL {
		slot.rec = nil
	}
	if r := slot.rec; r != nil {
		if r.method != req.method || r.path != req.path {
			return errorResponse(&apiError{
				status: http.StatusBadRequest,
				Type:   errTypeIdempotency,
				Message: fmt.Sprintf("Keys for idempotent requests can only be used for the same endpoint they were first used for ('%s %s' vs '%s %s'). Try using a key other than '%s' if you meant to execute a different request.",
					r.method, r.path, req.method, req.path, key),
			}), nil, false
		}
		if r.params != req.params {
			return errorResponse(&apiError{
				status: http.StatusBadRequest,
				Type:   errTypeIdempotency,
				Message: fmt.Sprintf("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '%s' if you meant to execute a different request.",
					key),
			}), nil, false
		}
		return r.resp, r, true
	}
	resp, save := exec()
	if save {
		slot.rec = &idemRecord{
			method: req.method, path: req.path, params: req.params,
			resp: resp, requestID: requestID, at: now,
		}
		return resp, slot.rec, false
	}
	return resp, nil, false
}

func (st *idempotencyStore) acquire(now time.Time, key string) *idemSlot {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.slots == nil {
		st.slots = map[string]*idemSlot{}
	}
	if now.Sub(st.lastSweep) > time.Minute {
		st.sweepLocked(now)
		st.lastSweep = now
	}
	s, ok := st.slots[key]
	if !ok {
		s = &idemSlot{}
		st.slots[key] = s
	}
	s.refs++
	return s
}

func (st *idempotencyStore) release(key string, s *idemSlot) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s.refs--
	if s.refs == 0 && s.rec == nil {
		// Reading rec without s.mu is safe: refs == 0 means nobody holds
		// or waits for s.mu, and new users must first take st.mu.
		delete(st.slots, key)
	}
}

// sweepLocked drops expired records nobody is using. st.mu must be held.
func (st *idempotencyStore) sweepLocked(now time.Time) {
	for k, s := range st.slots {
		if s.refs == 0 && (s.rec == nil || now.Sub(s.rec.at) >= idempotencyTTL) {
			delete(st.slots, k)
		}
	}
}
