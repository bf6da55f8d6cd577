package metering

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// job is one record on its way to Stripe.
type job struct {
	seg       *segment
	idx       uint64
	rec       Record
	remaining atomic.Int64
	mu        sync.Mutex
	dead      []deadLetter
}

// event is one meter event of a job.
type event struct {
	job        *job
	name       string
	identifier string
	value      string
}

// events returns the meter events of rec; zero-valued tokens and compute seconds are skipped.
func eventsOf(j *job) []*event {
	r := j.rec
	evs := []*event{{job: j, name: EventAPICalls, identifier: r.RequestID + "-api_calls", value: "1"}}
	if t := r.InputTokens + r.OutputTokens; t > 0 {
		evs = append(evs, &event{job: j, name: EventLLMTokens, identifier: r.RequestID + "-llm_tokens", value: strconv.FormatInt(t, 10)})
	}
	if s := strconv.FormatFloat(r.UpstreamSeconds, 'f', 3, 64); s != "0.000" {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		evs = append(evs, &event{job: j, name: EventComputeSeconds, identifier: r.RequestID + "-compute_seconds", value: s})
	}
	return evs
}

// reader follows the spool segments in order and dispatches their unacknowledged records.
func (m *Meter) reader() {
	defer close(m.readerExit)
	defer close(m.events)
	var f *os.File
	var cur *segment
	defer func() {
		if f != nil {
			_ = f.Close() // opened read-only: closing it cannot lose data
		}
	}()
	for {
		m.smu.Lock()
		var seg *segment
		for {
			if m.stopCtx.Err() != nil {
				m.smu.Unlock()
				return
			}
			seg = nil
			for _, s := range m.segs {
				if !s.readDone {
					seg = s
					break
				}
			}
			if seg == nil {
				if m.writerDone {
					m.smu.Unlock()
					return
				}
			} else if seg.readOff < seg.size || seg.sealed {
				break
			}
			m.cond.Wait()
		}
		off, limit, sealed := seg.readOff, seg.size, seg.sealed
		m.smu.Unlock()

		if cur != seg {
			if f != nil {
				_ = f.Close() // opened read-only: closing it cannot lose data
			}
			var err error
			if f, err = os.Open(seg.path); err != nil {
				m.log.Error("cannot read spool segment; its records stay for the next start", "segment", filepath.Base(seg.path), "error", err)
				f, off = nil, limit
			}
			cur = seg
		}
		if off < limit && f != nil {
			data, err := readAtMost(f, off, min(limit-off, 1<<20))
			if err != nil {
				m.log.Error("cannot read spool segment; its records stay for the next start", "segment", filepath.Base(seg.path), "error", err)
				data = nil
			}
			stopped := false
			n := scanLines(data, func(line []byte) {
				if !stopped && !m.dispatch(seg, line) {
					stopped = true
				}
			})
			if stopped {
				return
			}
			if n == 0 {
				// The rest has no end of line: the torn last write of a crash (a live
				// segment publishes only whole lines), or a read error.
				n = int(limit - off)
			}
			seg.readOff = off + int64(n)
			continue
		}
		if !sealed {
			continue
		}
		m.smu.Lock()
		seg.readDone = true
		m.smu.Unlock()
		if f != nil {
			_ = f.Close() // opened read-only: closing it cannot lose data
		}
		f, cur = nil, nil
		m.acks <- ackMsg{check: seg}
	}
}

// dispatch hands the record of one spool line to the workers, unless it is acknowledged. It
// returns false if the meter is stopping.
func (m *Meter) dispatch(seg *segment, line []byte) bool {
	p, ok := parseFrame(line)
	if !ok {
		return true
	}
	idx, rec, ok := parseSpoolLine(p)
	if !ok {
		return true
	}
	m.smu.Lock()
	seg.valid++
	if seg.acked[idx] {
		seg.ackedCount++
		m.smu.Unlock()
		return true
	}
	m.smu.Unlock()
	select {
	case m.inflight <- struct{}{}:
	case <-m.stopCtx.Done():
		return false
	}
	j := &job{seg: seg, idx: idx, rec: rec}
	evs := eventsOf(j)
	j.remaining.Store(int64(len(evs)))
	for _, ev := range evs {
		select {
		case m.events <- ev:
		case <-m.stopCtx.Done():
			return false
		}
	}
	return true
}

type outcome int

const (
	delivered outcome = iota
	deadLettered
	aborted
)

func (m *Meter) worker() {
	for ev := range m.events {
		switch m.send(ev) {
		case aborted:
			continue
		default:
		}
		if ev.job.remaining.Add(-1) == 0 {
			m.acks <- ackMsg{job: ev.job}
		}
	}
}

// send delivers one event, retrying what may succeed later.
func (m *Meter) send(ev *event) outcome {
	r := ev.job.rec
	params := &stripe.BillingMeterEventParams{
		EventName:  stripe.String(ev.name),
		Identifier: stripe.String(ev.identifier),
		Payload:    map[string]string{PayloadCustomerKey: r.CustomerID, PayloadValueKey: ev.value},
		Timestamp:  stripe.Int64(r.At.Unix()),
	}
	params.Context = m.stopCtx
	for attempt := 0; ; attempt++ {
		_, err := m.client.New(params)
		if err == nil {
			m.st.events.Add(1)
			return delivered
		}
		if m.stopCtx.Err() != nil {
			return aborted
		}
		var se *stripe.Error
		isStripe := errors.As(err, &se)
		switch {
		case isStripe && isDuplicate(se):
			m.st.events.Add(1)
			m.st.dups.Add(1)
			return delivered
		case isStripe && permanent(se.HTTPStatusCode):
			d := deadLetter{
				Time: time.Now().UTC(), RequestID: r.RequestID, Tenant: r.Tenant, CustomerID: r.CustomerID,
				EventName: ev.name, Identifier: ev.identifier, Value: ev.value, Timestamp: r.At.Unix(),
				Status: se.HTTPStatusCode, Code: string(se.Code), Param: se.Param, Message: se.Msg, StripeRequestID: se.RequestID,
			}
			m.log.Error("Stripe refused a meter event; moved to the dead-letter file",
				"request_id", r.RequestID, "tenant", r.Tenant, "customer", r.CustomerID, "event", ev.name,
				"status", se.HTTPStatusCode, "code", se.Code, "message", se.Msg, "stripe_request", se.RequestID)
			ev.job.mu.Lock()
			ev.job.dead = append(ev.job.dead, d)
			ev.job.mu.Unlock()
			if m.cfg.OnDeadLetter != nil {
				m.cfg.OnDeadLetter(r, ev.name, err)
			}
			return deadLettered
		}
		m.st.retries.Add(1)
		level := slog.LevelDebug
		if attempt > 0 && attempt%5 == 0 {
			level = slog.LevelWarn // every fifth attempt
		}
		msg := err.Error()
		if isStripe {
			msg = se.Msg // stripe-go's Error() is the whole JSON body
		}
		m.log.Log(m.stopCtx, level, "meter event failed; retrying",
			"request_id", r.RequestID, "event", ev.name, "attempt", attempt+1, "error", msg)
		d := m.backoff(attempt)
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-m.stopCtx.Done():
			t.Stop()
			return aborted
		}
	}
}

// isDuplicate recognizes Stripe's answer to a second event with an identifier: "A meter
// event with identifier `X` already exists."
func isDuplicate(se *stripe.Error) bool {
	if se.HTTPStatusCode != 400 {
		return false
	}
	msg := strings.ToLower(se.Msg)
	return strings.Contains(msg, "already exists") && (se.Param == "identifier" || strings.Contains(msg, "identifier"))
}

// permanent reports whether a status means the event will never be accepted. 401 and 403 are
// retried: a revoked or rotating key must not dead-letter every record.
func permanent(status int) bool {
	switch {
	case status == 401 || status == 403 || status == 409 || status == 429:
		return false
	case status >= 400 && status < 500:
		return true
	}
	return false
}

// backoff is capped exponential backoff with full jitter.
func (m *Meter) backoff(attempt int) time.Duration {
	d := m.cfg.RetryMax
	if attempt < 30 {
		if e := m.cfg.RetryBase << attempt; e > 0 && e < d {
			d = e
		}
	}
	return d/2 + rand.N(d/2+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// deadLetter is one line of deadletter.jsonl.
type deadLetter struct {
	Time            time.Time `json:"time"`
	RequestID       string    `json:"request_id"`
	Tenant          string    `json:"tenant,omitempty"`
	CustomerID      string    `json:"customer_id"`
	EventName       string    `json:"event_name"`
	Identifier      string    `json:"identifier"`
	Value           string    `json:"value"`
	Timestamp       int64     `json:"timestamp"`
	Status          int       `json:"status"`
	Code            string    `json:"code,omitempty"`
	Param           string    `json:"param,omitempty"`
	Message         string    `json:"message"`
	StripeRequestID string    `json:"stripe_request_id,omitempty"`
}

type ackMsg struct {
	job   *job
	check *segment // a segment the reader finished: compact it if all acknowledged
}

// acker makes acknowledgements (and dead letters) durable in groups, counts them and compacts
// the segments that are done.
func (m *Meter) acker() {
	defer close(m.ackerExit)
	var dlf *os.File
	defer func() {
		if dlf != nil {
			_ = dlf.Close() // every dead letter was fsynced when written: closing loses nothing
		}
		m.smu.Lock()
		segs := append([]*segment(nil), m.segs...)
		m.smu.Unlock()
		for _, s := range segs {
			if s.ackF != nil {
				_ = s.ackF.Close() // every acknowledgement was fsynced when written: closing loses nothing
			}
		}
	}()
	batch := make([]ackMsg, 0, 256)
	for {
		first, ok := <-m.acks
		if !ok {
			return
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < 4096 {
			select {
			case a, ok := <-m.acks:
				if !ok {
					break drain
				}
				batch = append(batch, a)
			default:
				break drain
			}
		}
		touched := map[*segment]bool{}
		var jobs []*job
		var dlBuf []byte
		for _, a := range batch {
			if a.check != nil {
				touched[a.check] = true
			}
			if a.job == nil {
				continue
			}
			jobs = append(jobs, a.job)
			for _, d := range a.job.dead {
				b, _ := json.Marshal(d)
				dlBuf = append(append(dlBuf, b...), '\n')
			}
		}
		if len(dlBuf) > 0 {
			var err error
			if dlf == nil {
				dlf, err = m.openAppend(filepath.Join(m.cfg.Dir, deadLetterName))
			}
			if err == nil {
				if _, err = dlf.Write(dlBuf); err == nil {
					err = dlf.Sync()
				}
			}
			if err != nil {
				// Without the dead letter the records are not acknowledged: the next start
				// sends them again and dead-letters them then.
				m.log.Error("cannot write the dead-letter file; the records stay in the spool", "error", err)
				m.st.ioErr.Add(1)
				kept := jobs[:0]
				for _, j := range jobs {
					if len(j.dead) == 0 {
						kept = append(kept, j)
					} else {
						<-m.inflight
					}
				}
				jobs = kept
			}
		}
		bySeg := map[*segment][]byte{}
		for _, j := range jobs {
			bySeg[j.seg] = appendFrame(bySeg[j.seg], strconv.AppendUint(nil, j.idx, 10))
		}
		failed := map[*segment]bool{}
		for seg, buf := range bySeg {
			var err error
			if seg.ackF == nil {
				seg.ackF, err = m.openAppend(seg.ackPath)
			}
			if err == nil {
				if _, err = seg.ackF.Write(buf); err == nil {
					err = seg.ackF.Sync()
				}
			}
			if err != nil {
				m.log.Error("cannot write acknowledgements; the records will be sent again at the next start", "segment", filepath.Base(seg.path), "error", err)
				m.st.ioErr.Add(1)
				failed[seg] = true
				continue
			}
			touched[seg] = true
		}
		for _, j := range jobs {
			<-m.inflight
			if failed[j.seg] {
				continue
			}
			m.smu.Lock()
			j.seg.ackedCount++
			m.smu.Unlock()
			if len(j.dead) > 0 {
				m.st.dead.Add(1)
			} else {
				m.st.delivered.Add(1)
				if m.cfg.OnDelivered != nil {
					m.cfg.OnDelivered(j.rec)
				}
			}
		}
		for seg := range touched {
			m.compact(seg)
		}
	}
}

// openAppend opens a file for appending, creating it with a durable directory entry.
func (m *Meter) openAppend(path string) (*os.File, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	if statErr != nil {
		if err := syncDir(m.cfg.Dir); err != nil {
			_ = f.Close() // nothing was written yet: the syncDir error is the one to report
			return nil, err
		}
	}
	return f, nil
}

// compact deletes a sealed, fully read segment all of whose records are acknowledged.
func (m *Meter) compact(seg *segment) {
	m.smu.Lock()
	if seg.removed || !seg.sealed || !seg.readDone || seg.ackedCount < seg.valid {
		m.smu.Unlock()
		return
	}
	seg.removed = true
	for i, s := range m.segs {
		if s == seg {
			m.segs = append(m.segs[:i], m.segs[i+1:]...)
			break
		}
	}
	m.smu.Unlock()
	if seg.ackF != nil {
		_ = seg.ackF.Close() // the segment is done and its ack file is removed next
		seg.ackF = nil
	}
	// The spool first: an ack file left alone by a crash here is removed at the next Open.
	if err := os.Remove(seg.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		m.log.Warn("cannot remove an acknowledged spool segment", "segment", filepath.Base(seg.path), "error", err)
	}
	if err := os.Remove(seg.ackPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		m.log.Warn("cannot remove an ack file", "segment", filepath.Base(seg.ackPath), "error", err)
	}
	_ = syncDir(m.cfg.Dir)
	m.st.segments.Add(-1)
}
