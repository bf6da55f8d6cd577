package upstream

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/translate"
)

// Stream is a streaming call in progress. Next is not safe for concurrent use; Close may be
// called from another goroutine to abort it.
type Stream struct {
	ctx        context.Context
	provider   string
	resp       *http.Response
	sse        *sseReader
	translator translate.StreamTranslator
	queue      [][]byte
	done       bool
	err        error
	start      time.Time
	firstEvent time.Duration
}

// Stream starts a streaming call and returns once the upstream has answered with a 2xx status
// and its first event was read, so a failure before the first token (a 503, an overloaded
// error event) is returned as an *Error and the caller can still fall back to another model.
func (c *Client) Stream(ctx context.Context, provider, upstreamModel, clientModel string, req *translate.ChatRequest) (*Stream, error) {
	start := time.Now()
	b, resp, err := c.send(ctx, provider, upstreamModel, req, true)
	if err != nil {
		return nil, err
	}
	s := &Stream{
		ctx:        ctx,
		provider:   provider,
		resp:       resp,
		sse:        newSSEReader(resp.Body),
		translator: b.translator.NewStream(clientModel),
		start:      start,
	}
	for len(s.queue) == 0 && !s.done && s.err == nil {
		s.readEvent()
	}
	if s.err != nil {
		_ = s.Close() // the stream failed: s.err is what the caller needs, not the body's close
		return nil, s.err
	}
	s.firstEvent = time.Since(start)
	return s, nil
}

// Next returns the next OpenAI chunk payload (without "data: " framing), io.EOF after the
// upstream's end, or an *Error. The usage-only chunk is not among them: see UsageChunk.
func (s *Stream) Next() ([]byte, error) {
	for {
		if len(s.queue) > 0 {
			c := s.queue[0]
			s.queue[0] = nil
			s.queue = s.queue[1:]
			return c, nil
		}
		if s.err != nil {
			return nil, s.err
		}
		if s.done {
			return nil, io.EOF
		}
		s.readEvent()
	}
}

func (s *Stream) readEvent() {
	event, data, err := s.sse.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			s.err = &Error{Provider: s.provider, Class: translate.ClassServerError, Status: s.resp.StatusCode,
				Message: "the upstream ended the stream before its end marker", Err: io.ErrUnexpectedEOF}
		} else {
			s.err = transportError(s.ctx, s.provider, err)
		}
		return
	}
	chunks, done, err := s.translator.Event(event, data)
	if err != nil {
		var info *translate.ErrorInfo
		if errors.As(err, &info) {
			s.err = &Error{Provider: s.provider, Class: info.Class, Status: s.resp.StatusCode, Message: info.Message, Err: err}
		} else {
			s.err = &Error{Provider: s.provider, Class: translate.ClassServerError, Status: s.resp.StatusCode,
				Message: "unreadable upstream event: " + err.Error(), Err: err}
		}
		return
	}
	s.queue = append(s.queue, chunks...)
	if done {
		s.done = true
		// Reading the (normally empty) rest lets the connection go back to the pool.
		_, _ = io.Copy(io.Discard, io.LimitReader(s.resp.Body, 4<<10))
		_ = s.resp.Body.Close() // every event is read: a close error cannot affect the stream
	}
}

// Usage is the usage seen so far (complete once Next returned io.EOF).
func (s *Stream) Usage() translate.Usage { return s.translator.Usage() }

// UsageChunk is the final chunk (choices [], usage) for clients that asked for
// stream_options.include_usage; call it after Next returned io.EOF.
func (s *Stream) UsageChunk() []byte { return s.translator.UsageChunk() }

// Close releases the connection. It is safe to call more than once.
func (s *Stream) Close() error { return s.resp.Body.Close() }

// Elapsed is the time since the request was sent.
func (s *Stream) Elapsed() time.Duration { return time.Since(s.start) }

// TimeToFirstEvent is how long the upstream took to send its first event.
func (s *Stream) TimeToFirstEvent() time.Duration { return s.firstEvent }

// maxSSELine bounds one line of an upstream stream.
const maxSSELine = 8 << 20

// sseReader parses server-sent events. The data it returns is valid until the next call.
type sseReader struct {
	r    *bufio.Reader
	data []byte
	long []byte
}

func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 32<<10)}
}

// next returns the next event's name ("" when unnamed) and data (data lines joined by "\n").
// Events without data lines (comments, keep-alives) are skipped.
func (s *sseReader) next() (string, []byte, error) {
	s.data = s.data[:0]
	event, hasData := "", false
	for {
		line, err := s.line()
		if err != nil {
			if errors.Is(err, io.EOF) && hasData {
				return event, s.data, nil
			}
			return "", nil, err
		}
		if len(line) == 0 {
			if hasData {
				return event, s.data, nil
			}
			event = ""
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			event = string(value)
		case "data":
			if hasData {
				s.data = append(s.data, '\n')
			}
			s.data = append(s.data, value...)
			hasData = true
		}
	}
}

// line returns one line without its line ending.
func (s *sseReader) line() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = s.r.ReadSlice('\n')
			s.long = append(s.long, line...)
			if len(s.long) > maxSSELine {
				return nil, fmt.Errorf("upstream stream line longer than %d bytes", maxSSELine)
			}
		}
		line = s.long
	}
	if err != nil && (len(line) == 0 || !errors.Is(err, io.EOF)) {
		return nil, err
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), nil
}
