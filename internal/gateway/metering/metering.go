// Package metering reports the gateway's usage to Stripe as billing meter events, durably and
// exactly once across crashes.
//
// # What is reported
//
// For every completed request of a tenant with billing, the gateway calls [Meter.Report] with a
// [Record]. Each record becomes up to three Stripe billing meter events
// (POST /v1/billing/meter_events) for the tenant's Stripe customer:
//
//	octollm_api_calls        value 1                                  identifier <RequestID>-api_calls
//	octollm_llm_tokens       value InputTokens+OutputTokens           identifier <RequestID>-llm_tokens
//	octollm_compute_seconds  value UpstreamSeconds (millisecond prec.) identifier <RequestID>-compute_seconds
//
// The payload is {stripe_customer_id: CustomerID, value: "<value>"} (the meters' customer
// mapping and value keys, as internal/billing creates them) and the timestamp is Record.At in
// unix seconds. Events whose value is zero (no tokens, or less than half a millisecond upstream)
// are not sent: they would add nothing to a sum meter. The api_calls event is always sent.
//
// Tenants without billing have no Stripe customer: the gateway does not call Report for them,
// and Report refuses a record without CustomerID ([ErrNoCustomer]).
//
// # Durability: the spool and group commit
//
// Report returns only once its record is in the spool on disk (written and fsynced). Syncing
// once per request would cap the gateway at the disk's fsync rate (a few hundred to a few
// thousand per second, each taking ~0.1-10 ms) and make every request pay a full fsync. Report
// instead hands its record to a single writer goroutine, which takes every record queued
// meanwhile, writes them in one write(2) and makes them durable with one fsync, then releases
// all their callers: while one fsync runs the next batch gathers, so at ~1,000 req/s a few
// dozen requests share a sync and each waits at most about two fsync times. The trade-off:
// Report's latency is an fsync plus the wait for the batch in progress (never less than one
// fsync), in exchange for a sync rate independent of the request rate; [Config.FlushInterval]
// can widen the batches further (more latency, fewer syncs). A record whose Report returned
// nil survives a SIGKILL or a power loss; one whose Report did not return may or may not be
// reported, which is fine since the gateway never counted it as completed.
//
// # Delivery: exactly once
//
// A sender reads the spool in order and sends the events with at most [Config.Concurrency]
// requests in flight (Stripe's v1 API has no batch endpoint for meter events: records are read
// from disk in batches and their events sent concurrently). 429, 5xx, 401/403 (a key being
// rotated), 409 and connection errors are retried with capped exponential backoff and full
// jitter, without limit: the records are safe on disk, and Close bounds the wait. Stripe's 400
// "A meter event with identifier `X` already exists." means an earlier attempt (whose answer was
// lost, or which ran before a crash) got through, and counts as delivered. Any other 4xx (no
// such customer, no active meter, a timestamp older than Stripe's 35 days) will not get better
// by retrying: the event is logged (no secrets: names, IDs and Stripe's message) and appended
// to the dead-letter file, and the record is counted as dead-lettered.
//
// Once all of a record's events are delivered or dead-lettered, the record is acknowledged in
// the ack file of its segment (fsynced, again by one goroutine for many acknowledgements).
// After a crash the next [Open] on the same directory resends exactly the records without an
// acknowledgement; deterministic identifiers and Stripe's identifier deduplication make the
// events of a record that was partly sent count once. Stripe deduplicates identifiers within a
// rolling 24 hours: a spool left unsent for longer than that could double-report the events
// that were in flight at the crash (at most Concurrency of them).
//
// # Throughput
//
// One request carries one event, so the sender's rate is about Concurrency / Stripe's latency:
// 8 in flight at ~100 ms is ~80 events/s, ~27 requests/s. Raise Concurrency to follow a busier
// gateway, within Stripe's rate limit for v1 meter events (429s are retried with backoff, and
// the spool absorbs bursts and outages: ~250 bytes per record on disk). Sustained 1,000
// requests/s (3,000 events/s) is beyond what v1 meter events are meant for; that rate needs
// Stripe's v2 meter event stream or pre-aggregation per customer and minute, both of which fit
// behind the same spool and ack log.
//
// # Files in the spool directory
//
//   - LOCK: flock(2)ed by the open Meter, so that two processes never share a spool.
//   - seg-<16 hex digits>.spool: a spool segment. One line per record:
//     "<crc32c 8 hex> <index> <JSON record>\n", where index counts the segment's records from 0
//     and the CRC (Castagnoli) covers "<index> <JSON record>". The JSON record has the fields
//     request_id, tenant, customer_id, input_tokens, output_tokens, upstream_seconds and at
//     (RFC 3339). A line that does not end in "\n" or whose CRC does not match is ignored: after
//     a crash that is the torn last write, whose Report had not returned. Every Open starts a new
//     segment, and a segment is sealed and a new one started when it reaches
//     [Config.SegmentBytes].
//   - seg-<16 hex digits>.ack: the segment's acknowledgements, one line per finished record:
//     "<crc32c 8 hex> <index>\n". A torn last line is cut off at Open.
//   - deadletter.jsonl: one JSON object per event Stripe refused, appended and fsynced before
//     the record is acknowledged: {"time","request_id","tenant","customer_id","event_name",
//     "identifier","value","timestamp","status","code","param","message","stripe_request_id"}.
//     It is never compacted: an operator reads it, fixes the cause (a deleted customer) and
//     removes it. A crash between the dead letter and the acknowledgement repeats the line.
//
// Compaction: a sealed segment all of whose records are acknowledged is deleted together with
// its ack file, so a spool holds at most the unacknowledged records plus one segment; a clean
// [Meter.Close] that delivered everything leaves only LOCK (and deadletter.jsonl if any).
package metering

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/billing/meterevent"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// Meter event names and payload keys, as the octollm_billing_plan resource creates the meters.
const (
	EventAPICalls       = contract.MeterAPICalls
	EventLLMTokens      = contract.MeterLLMTokens
	EventComputeSeconds = contract.MeterComputeSeconds
	PayloadCustomerKey  = contract.MeterCustomerPayloadKey
	PayloadValueKey     = contract.MeterValuePayloadKey
)

// Defaults for the zero values of [Config].
const (
	DefaultSegmentBytes = 8 << 20
	DefaultConcurrency  = 8
	DefaultRetryBase    = 200 * time.Millisecond
	DefaultRetryMax     = 30 * time.Second
	DefaultAPIBase      = stripe.APIURL
)

// maxRecordBytes bounds one record's JSON, so that a spool line is always read whole.
const maxRecordBytes = 16 << 10

var (
	// ErrClosed is returned by Report after Close started.
	ErrClosed = errors.New("metering: meter is closed")
	// ErrNoCustomer is returned by Report for a record without a Stripe customer: tenants
	// without billing are not metered.
	ErrNoCustomer = errors.New("metering: record has no Stripe customer (tenants without billing are not reported)")
)

// Record is the usage of one completed request.
type Record struct {
	// RequestID is unique per request (the gateway generates it); event identifiers derive
	// from it, so reporting the same RequestID twice bills once.
	RequestID       string
	Tenant          string
	CustomerID      string // the tenant's Stripe customer, cus_...
	InputTokens     int64
	OutputTokens    int64
	UpstreamSeconds float64
	// At is when the request completed; the zero time means now.
	At time.Time
}

// Config configures [Open].
type Config struct {
	// Dir is the spool directory, created if missing. It must survive restarts (a persistent
	// volume) for the exactly-once guarantee.
	Dir string
	// StripeKey is the secret key (STRIPE_API_KEY). Never logged.
	StripeKey string
	// StripeAPIBase is the API's base URL (OCTOLLM_STRIPE_API_BASE); empty means
	// https://api.stripe.com.
	StripeAPIBase string
	// FlushInterval, when positive, makes the spool writer wait up to this long after the
	// first record of a batch for more records before it writes and syncs: fewer fsyncs, more
	// Report latency. Zero batches only what queued during the previous sync.
	FlushInterval time.Duration
	// SegmentBytes is the size at which a spool segment is sealed (default 8 MiB).
	SegmentBytes int64
	// Concurrency bounds the meter event requests in flight (default 8).
	Concurrency int
	// RetryBase and RetryMax shape the retry backoff: attempt n waits a random duration up to
	// min(RetryMax, RetryBase*2^n) (defaults 200ms and 30s).
	RetryBase, RetryMax time.Duration
	// HTTPClient is used for Stripe requests; default: 30s timeout.
	HTTPClient *http.Client
	// Logger receives warnings (retries, dead letters); default slog.Default().
	Logger *slog.Logger
	// OnDelivered, if set, is called once for each record all of whose events Stripe accepted,
	// after its acknowledgement is durable. It must not block.
	OnDelivered func(Record)
	// OnDeadLetter, if set, is called for each event Stripe refused for good. It must not block.
	OnDeadLetter func(rec Record, eventName string, err error)
}

// Stats are the meter's counters, for the gateway's Prometheus metrics. Counters count since
// Open; Pending is a gauge.
type Stats struct {
	Spooled      uint64 // records Report made durable
	Recovered    uint64 // unacknowledged records found in the spool at Open
	Delivered    uint64 // records all of whose events Stripe accepted (duplicates included)
	DeadLettered uint64 // records with at least one event Stripe refused for good
	Pending      int64  // records in the spool not yet acknowledged
	Events       uint64 // meter events accepted by Stripe, duplicates included
	Duplicates   uint64 // of which "identifier already exists"
	Retries      uint64 // retried meter event requests
	Commits      uint64 // spool fsyncs (Spooled/Commits is the group commit's batch size)
	Segments     int64  // spool segment files on disk
	CorruptLines uint64 // spool lines ignored at recovery (torn or failing their CRC)
	IOErrors     uint64 // failures writing the dead-letter or ack files (those records are resent at the next start)
}

// Meter spools records and delivers them to Stripe. Its methods are safe for concurrent use.
type Meter struct {
	cfg    Config
	log    *slog.Logger
	client meterevent.Client
	lock   interface{ Close() error }

	// Report -> writer.
	mu      sync.RWMutex
	closed  bool
	writeCh chan writeReq

	// Segment table, shared by the writer, the reader and the acker.
	smu        sync.Mutex
	cond       *sync.Cond
	segs       []*segment // by id
	writerDone bool       // no segment will grow or appear

	events   chan *event
	acks     chan ackMsg
	inflight chan struct{} // bounds records read but not acknowledged

	stopCtx context.Context // canceled when Close gives up: abort sends
	stop    context.CancelFunc

	writerExit, readerExit, workersExit, ackerExit chan struct{}
	closeOnce                                      sync.Once
	closeErr                                       error

	st struct {
		spooled, recovered, delivered, dead, events, dups, retries, commits, corrupt, ioErr atomic.Uint64
		segments                                                                            atomic.Int64
	}
}

// Open opens (or creates) the spool in cfg.Dir, takes its lock, recovers unacknowledged records
// and starts delivering them.
func Open(cfg Config) (*Meter, error) {
	if cfg.Dir == "" {
		return nil, errors.New("metering: Config.Dir is empty: set a spool directory on a persistent volume")
	}
	if cfg.StripeKey == "" {
		return nil, errors.New("metering: Config.StripeKey is empty: set STRIPE_API_KEY")
	}
	if cfg.StripeAPIBase == "" {
		cfg.StripeAPIBase = DefaultAPIBase
	}
	if cfg.SegmentBytes <= 0 {
		cfg.SegmentBytes = DefaultSegmentBytes
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = DefaultRetryBase
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = DefaultRetryMax
	}
	if cfg.RetryMax < cfg.RetryBase {
		cfg.RetryMax = cfg.RetryBase
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	m := &Meter{
		cfg:         cfg,
		log:         cfg.Logger.With("component", "metering"),
		client:      meterevent.Client{B: newBackend(cfg), Key: cfg.StripeKey},
		writeCh:     make(chan writeReq, 1024),
		events:      make(chan *event, 3*cfg.Concurrency),
		acks:        make(chan ackMsg, 1024),
		inflight:    make(chan struct{}, 4096),
		writerExit:  make(chan struct{}),
		readerExit:  make(chan struct{}),
		workersExit: make(chan struct{}),
		ackerExit:   make(chan struct{}),
	}
	m.cond = sync.NewCond(&m.smu)
	m.stopCtx, m.stop = context.WithCancel(context.Background())
	w, err := m.recover()
	if err != nil {
		if m.lock != nil {
			_ = m.lock.Close()
		}
		return nil, err
	}
	go m.writer(w)
	go m.reader()
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() { defer wg.Done(); m.worker() }()
	}
	go func() { wg.Wait(); close(m.workersExit) }()
	go func() {
		<-m.readerExit
		<-m.workersExit
		close(m.acks)
	}()
	go m.acker()
	return m, nil
}

// newBackend builds the stripe-go backend for the API base URL, as internal/clients does: no
// stripe-go retries (the sender retries, with its own backoff) and no stripe-go logging.
func newBackend(cfg Config) stripe.Backend {
	return stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
		URL:               stripe.String(cfg.StripeAPIBase),
		HTTPClient:        cfg.HTTPClient,
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	})
}

// Report makes rec durable in the spool and returns; the events are sent in the background.
// It blocks for the group commit (an fsync shared with concurrent callers). An error means the
// record was not spooled (and will not be reported).
func (m *Meter) Report(rec Record) error {
	switch {
	case rec.CustomerID == "":
		return ErrNoCustomer
	case rec.RequestID == "":
		return errors.New("metering: record has no RequestID")
	case len(rec.RequestID) > 200:
		return fmt.Errorf("metering: RequestID is %d bytes, more than 200", len(rec.RequestID))
	case rec.InputTokens < 0 || rec.OutputTokens < 0:
		return fmt.Errorf("metering: request %s: negative token count", rec.RequestID)
	case rec.UpstreamSeconds < 0 || math.IsNaN(rec.UpstreamSeconds) || math.IsInf(rec.UpstreamSeconds, 0):
		return fmt.Errorf("metering: request %s: upstream seconds %v is not a non-negative number", rec.RequestID, rec.UpstreamSeconds)
	}
	if rec.At.IsZero() {
		rec.At = time.Now()
	}
	data, err := encodeRecord(rec)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	m.writeCh <- writeReq{data: data, done: done}
	m.mu.RUnlock()
	return <-done
}

// Stats returns the current counters.
func (m *Meter) Stats() Stats {
	s := Stats{
		Spooled:      m.st.spooled.Load(),
		Recovered:    m.st.recovered.Load(),
		Delivered:    m.st.delivered.Load(),
		DeadLettered: m.st.dead.Load(),
		Events:       m.st.events.Load(),
		Duplicates:   m.st.dups.Load(),
		Retries:      m.st.retries.Load(),
		Commits:      m.st.commits.Load(),
		Segments:     m.st.segments.Load(),
		CorruptLines: m.st.corrupt.Load(),
		IOErrors:     m.st.ioErr.Load(),
	}
	s.Pending = signedDiff(s.Recovered+s.Spooled, s.Delivered+s.DeadLettered)
	return s
}

// signedDiff returns a-b as an int64: negative while the counters, loaded one at a time, are
// momentarily out of step, and saturated at the int64 range, which real counts never approach.
func signedDiff(a, b uint64) int64 {
	if a >= b {
		if d := a - b; d <= math.MaxInt64 {
			return int64(d)
		}
		return math.MaxInt64
	}
	if d := b - a; d <= math.MaxInt64 {
		return -int64(d)
	}
	return math.MinInt64
}

// Close stops accepting records (Report returns ErrClosed), then sends everything spooled and
// waits for its acknowledgements, at most until ctx is done. It returns ctx's error if it gave
// up: what was not sent stays in the spool for the next Open. Close releases the spool's lock
// either way; calling it again returns the first result.
func (m *Meter) Close(ctx context.Context) error {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closed = true
		close(m.writeCh) // Report holds the read lock while it sends: none is sending now
		m.mu.Unlock()

		all := make(chan struct{})
		go func() {
			<-m.writerExit
			<-m.readerExit
			<-m.workersExit
			<-m.ackerExit
			close(all)
		}()
		select {
		case <-all:
		case <-ctx.Done():
			m.closeErr = fmt.Errorf("metering: close: %d records left in the spool for the next start: %w", m.Stats().Pending, ctx.Err())
			m.stop()
			m.smu.Lock()
			m.cond.Broadcast()
			m.smu.Unlock()
			<-all
		}
		m.stop()
		if err := m.lock.Close(); err != nil && m.closeErr == nil {
			m.closeErr = err
		}
	})
	return m.closeErr
}
