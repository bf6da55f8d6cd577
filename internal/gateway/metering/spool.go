package metering

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	segPrefix      = "seg-"
	spoolSuffix    = ".spool"
	ackSuffix      = ".ack"
	deadLetterName = "deadletter.jsonl"
	lockName       = "LOCK"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// spooled is a record as written in a spool line.
type spooled struct {
	RequestID       string    `json:"request_id"`
	Tenant          string    `json:"tenant,omitempty"`
	CustomerID      string    `json:"customer_id"`
	InputTokens     int64     `json:"input_tokens"`
	OutputTokens    int64     `json:"output_tokens"`
	UpstreamSeconds float64   `json:"upstream_seconds"`
	At              time.Time `json:"at"`
}

func encodeRecord(r Record) ([]byte, error) {
	b, err := json.Marshal(spooled(r))
	if err != nil {
		return nil, fmt.Errorf("metering: encode record %s: %w", r.RequestID, err)
	}
	if len(b) > maxRecordBytes {
		return nil, fmt.Errorf("metering: record %s is %d bytes encoded, more than %d", r.RequestID, len(b), maxRecordBytes)
	}
	return b, nil
}

// appendFrame appends "<crc32c 8 hex> <payload>\n".
func appendFrame(dst, payload []byte) []byte {
	dst = fmt.Appendf(dst, "%08x ", crc32.Checksum(payload, castagnoli))
	dst = append(dst, payload...)
	return append(dst, '\n')
}

// parseFrame checks one line (without its "\n") and returns its payload.
func parseFrame(line []byte) ([]byte, bool) {
	if len(line) < 10 || line[8] != ' ' {
		return nil, false
	}
	sum, err := strconv.ParseUint(string(line[:8]), 16, 32)
	if err != nil {
		return nil, false
	}
	payload := line[9:]
	return payload, crc32.Checksum(payload, castagnoli) == uint32(sum)
}

// parseSpoolLine decodes a spool line's payload "<index> <json>".
func parseSpoolLine(payload []byte) (uint64, Record, bool) {
	sp := bytes.IndexByte(payload, ' ')
	if sp < 0 {
		return 0, Record{}, false
	}
	idx, err := strconv.ParseUint(string(payload[:sp]), 10, 64)
	if err != nil {
		return 0, Record{}, false
	}
	var s spooled
	if err := json.Unmarshal(payload[sp+1:], &s); err != nil || s.RequestID == "" || s.CustomerID == "" {
		return 0, Record{}, false
	}
	return idx, Record(s), true
}

// scanLines calls fn for each complete line of data and returns the bytes consumed (up to and
// including the last "\n").
func scanLines(data []byte, fn func(line []byte)) int {
	off := 0
	for {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			return off
		}
		fn(data[off : off+nl])
		off += nl + 1
	}
}

// segment is one spool file and its ack file. Fields are guarded by Meter.smu unless noted.
type segment struct {
	id              uint64
	path, ackPath   string
	size            int64 // bytes readable: synced whole lines (all of the file once sealed)
	sealed          bool  // no more writes
	acked           map[uint64]bool
	readOff         int64    // reader's position (reader only)
	valid           int      // valid records read so far
	readDone        bool     // reader has read the whole sealed segment
	ackedCount      int      // valid records acknowledged
	ackF            *os.File // acker only
	removed         bool
	recoveredUnsent uint64
}

func segName(id uint64) string { return fmt.Sprintf("%s%016x", segPrefix, id) }

// recover takes the lock, loads the existing segments and their acknowledgements, counts what
// is pending and creates the writer's new segment.
func (m *Meter) recover() (*segWriter, error) {
	dir := m.cfg.Dir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("metering: create spool directory: %w", err)
	}
	lk, err := lockDir(filepath.Join(dir, lockName))
	if err != nil {
		return nil, err
	}
	m.lock = lk
	if err := truncateTorn(filepath.Join(dir, deadLetterName), func([]byte) bool { return true }); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("metering: read spool directory: %w", err)
	}
	spools, acks := map[uint64]bool{}, map[uint64]bool{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, segPrefix) {
			continue
		}
		var set map[uint64]bool
		var rest string
		switch {
		case strings.HasSuffix(name, spoolSuffix):
			set, rest = spools, strings.TrimSuffix(name, spoolSuffix)
		case strings.HasSuffix(name, ackSuffix):
			set, rest = acks, strings.TrimSuffix(name, ackSuffix)
		default:
			continue
		}
		id, err := strconv.ParseUint(strings.TrimPrefix(rest, segPrefix), 16, 64)
		if err != nil {
			continue
		}
		set[id] = true
	}
	// An ack file without its spool is what a crash during compaction leaves.
	for id := range acks {
		if !spools[id] {
			if err := os.Remove(filepath.Join(dir, segName(id)+ackSuffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("metering: remove orphan ack file: %w", err)
			}
		}
	}
	ids := make([]uint64, 0, len(spools))
	for id := range spools {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var next uint64 = 1
	for _, id := range ids {
		seg, err := m.loadSegment(id)
		if err != nil {
			return nil, err
		}
		m.segs = append(m.segs, seg)
		next = id + 1
	}
	w, err := m.newSegment(next)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// loadSegment reads an existing (sealed) segment: its acknowledgements, cutting a torn last
// ack line, and the number of valid unacknowledged records in it.
func (m *Meter) loadSegment(id uint64) (*segment, error) {
	base := filepath.Join(m.cfg.Dir, segName(id))
	seg := &segment{id: id, path: base + spoolSuffix, ackPath: base + ackSuffix, sealed: true, acked: map[uint64]bool{}}
	err := truncateTorn(seg.ackPath, func(line []byte) bool {
		p, ok := parseFrame(line)
		if !ok {
			return false
		}
		idx, err := strconv.ParseUint(string(p), 10, 64)
		if err != nil {
			return false
		}
		seg.acked[idx] = true
		return true
	})
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(seg.path)
	if err != nil {
		return nil, fmt.Errorf("metering: read spool segment: %w", err)
	}
	seg.size = int64(len(data))
	var corrupt uint64
	n := scanLines(data, func(line []byte) {
		p, ok := parseFrame(line)
		if !ok {
			corrupt++
			return
		}
		idx, _, ok := parseSpoolLine(p)
		if !ok {
			corrupt++
			return
		}
		if !seg.acked[idx] {
			seg.recoveredUnsent++
		}
	})
	if n < len(data) {
		corrupt++ // the torn last line of a crash: its Report had not returned
	}
	if corrupt > 0 {
		m.log.Warn("ignoring incomplete or corrupt spool lines", "segment", filepath.Base(seg.path), "lines", corrupt)
	}
	m.st.corrupt.Add(corrupt)
	m.st.recovered.Add(seg.recoveredUnsent)
	m.st.segments.Add(1)
	return seg, nil
}

// truncateTorn reads a line-oriented file, calls valid for each complete line and cuts the
// file after the last complete line followed only by valid ones, so that appends start on a
// clean line. A missing file is fine.
func truncateTorn(path string, valid func([]byte) bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("metering: read %s: %w", filepath.Base(path), err)
	}
	good := 0
	off := 0
	for {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			break
		}
		if valid(data[off : off+nl]) {
			good = off + nl + 1
		}
		off += nl + 1
	}
	if good == len(data) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("metering: repair %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	if err := f.Truncate(int64(good)); err != nil {
		return fmt.Errorf("metering: repair %s: %w", filepath.Base(path), err)
	}
	return f.Sync()
}

// segWriter is the writer goroutine's open segment.
type segWriter struct {
	seg  *segment
	f    *os.File
	size int64
	next uint64 // index of the next record
}

// newSegment creates segment id, makes its directory entry durable and adds it to the table.
func (m *Meter) newSegment(id uint64) (*segWriter, error) {
	base := filepath.Join(m.cfg.Dir, segName(id))
	f, err := os.OpenFile(base+spoolSuffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("metering: create spool segment: %w", err)
	}
	if err := syncDir(m.cfg.Dir); err != nil {
		_ = f.Close() // nothing was written yet: the syncDir error is the one to report
		return nil, err
	}
	seg := &segment{id: id, path: base + spoolSuffix, ackPath: base + ackSuffix, acked: map[uint64]bool{}}
	m.smu.Lock()
	m.segs = append(m.segs, seg)
	m.smu.Unlock()
	m.st.segments.Add(1)
	return &segWriter{seg: seg, f: f}, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("metering: sync spool directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("metering: sync spool directory: %w", err)
	}
	return nil
}

type writeReq struct {
	data []byte
	done chan error
}

// writer is the group commit: it takes the queued records, writes them with one write and
// one fsync, publishes them to the reader and releases their callers.
func (m *Meter) writer(w *segWriter) {
	defer close(m.writerExit)
	defer func() {
		if w != nil {
			_ = w.f.Close() // every commit was fsynced before its callers returned: closing loses nothing
		}
		m.smu.Lock()
		m.writerDone = true
		if w != nil {
			w.seg.sealed = true
		}
		m.cond.Broadcast()
		m.smu.Unlock()
	}()
	const maxBatch = 4096
	batch := make([]writeReq, 0, 64)
	var buf []byte
	for {
		first, ok := <-m.writeCh
		if !ok {
			return
		}
		batch = append(batch[:0], first)
		open := true
		if m.cfg.FlushInterval > 0 {
			t := time.NewTimer(m.cfg.FlushInterval)
		gather:
			for len(batch) < maxBatch {
				select {
				case r, ok := <-m.writeCh:
					if !ok {
						open = false
						break gather
					}
					batch = append(batch, r)
				case <-t.C:
					break gather
				}
			}
			t.Stop()
		}
	drain:
		for open && len(batch) < maxBatch {
			select {
			case r, ok := <-m.writeCh:
				if !ok {
					open = false
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		var err error
		if w == nil {
			err = errors.New("metering: no spool segment (creating one failed earlier)")
		} else {
			buf, err = m.commit(w, batch, buf[:0])
		}
		for _, r := range batch {
			r.done <- err
		}
		if err == nil && w.size >= m.cfg.SegmentBytes {
			w = m.rotate(w)
		}
		if !open {
			return
		}
	}
}

func (m *Meter) commit(w *segWriter, batch []writeReq, buf []byte) ([]byte, error) {
	for i, r := range batch {
		payload := strconv.AppendUint(nil, w.next+uint64(i), 10)
		payload = append(payload, ' ')
		payload = append(payload, r.data...)
		buf = appendFrame(buf, payload)
	}
	_, err := w.f.Write(buf)
	if err == nil {
		err = w.f.Sync()
	}
	if err != nil {
		// Cut what may have been written so that the next batch starts on a clean line; the
		// callers get the error, so these records were never "completed".
		if terr := w.f.Truncate(w.size); terr == nil {
			_ = w.f.Sync()
		}
		m.log.Error("spool write failed", "segment", filepath.Base(w.seg.path), "records", len(batch), "error", err)
		return buf, fmt.Errorf("metering: spool write: %w", err)
	}
	w.size += int64(len(buf))
	w.next += uint64(len(batch))
	m.st.commits.Add(1)
	m.st.spooled.Add(uint64(len(batch)))
	m.smu.Lock()
	w.seg.size = w.size
	m.cond.Broadcast()
	m.smu.Unlock()
	return buf, nil
}

// rotate seals w's segment and starts the next one. If that fails the old one stays open.
func (m *Meter) rotate(w *segWriter) *segWriter {
	nw, err := m.newSegment(w.seg.id + 1)
	if err != nil {
		m.log.Error("cannot start a new spool segment; continuing in the current one", "error", err)
		return w
	}
	_ = w.f.Close() // every commit was fsynced before its callers returned: closing loses nothing
	m.smu.Lock()
	w.seg.sealed = true
	m.cond.Broadcast()
	m.smu.Unlock()
	return nw
}

// readAtMost reads up to n bytes at off.
func readAtMost(f *os.File, off int64, n int64) ([]byte, error) {
	buf := make([]byte, n)
	k, err := f.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:k], nil
}
