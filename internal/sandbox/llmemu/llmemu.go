// Package llmemu emulates the LLM providers the OctoLLM gateway calls, for the sandbox's tests
// and benchmarks: OpenAI's Chat Completions API (which the gateway also speaks to Google,
// Mistral, DeepSeek, Groq and self-hosted upstreams) and Anthropic's Messages API, plain and
// streamed, with deterministic answers and usage, configurable latency, injected faults and
// per-model request counters.
//
// An [Emulator] is an http.Handler serving:
//
//   - POST /v1/chat/completions, GET /v1/models and GET /v1/models/{id}: OpenAI's API. Any
//     non-empty "Authorization: Bearer" token is accepted.
//   - POST /anthropic/v1/messages: Anthropic's API. Any non-empty x-api-key (or bearer token, as
//     anthropic-sdk-go v2 sends) is accepted; the anthropic-version header is required.
//
// Its settings change at run time through [Emulator.FaultsHandler], [Emulator.LatencyHandler]
// and [Emulator.StatsHandler], which the sandbox serves on its emulators' admin port as
// /faults/llm, /llm/latency and /llm/stats.
//
// # Deterministic answers
//
// The reply is "Emulated reply from <model>:" followed by words chosen by a hash of the model and
// the messages' texts, [ReplyTokens] (16) tokens in all, one token per word, or max_tokens
// (max_completion_tokens) tokens when that is smaller, in which case the finish reason is
// "length" (Anthropic: "max_tokens") instead of "stop" ("end_turn"). A stream sends one chunk
// per token. The usage is:
//
//   - prompt (input) tokens: for each message, ceil(runes/4) of its text plus 3, summed; a
//     message's text is its string content or the concatenation of its "text" parts, and an
//     Anthropic request's system prompt counts as one more message. See [PromptTokens].
//   - completion (output) tokens: the number of tokens (words) of the reply. See [Reply].
//
// The response's model is the requested model.
package llmemu

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody bounds a request body.
const maxBody = 32 << 20

// Config is an Emulator's initial settings; each can change at run time.
type Config struct {
	// Latency is the emulated models' speed; zero answers as fast as possible.
	Latency Latency
	// Fault, when set, is in force from the start.
	Fault *Fault
	// Models is what GET /v1/models lists (every model is accepted regardless); empty means a
	// few well-known names.
	Models []string
}

// defaultModels are listed by GET /v1/models when Config.Models is empty.
var defaultModels = []string{
	"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini",
	"gemini-2.5-flash", "mistral-large-latest", "deepseek-chat", "llama-3.3-70b-versatile",
	"claude-sonnet-4-5", "claude-haiku-4-5",
}

// Emulator is the LLM emulator's HTTP handler. It is safe for concurrent use.
type Emulator struct {
	latency atomic.Pointer[Latency]
	fault   atomic.Pointer[activeFault]
	stats   stats
	models  []string
	ids     atomic.Uint64 // response id sequence
}

// New returns an Emulator with the settings of cfg. It returns an error if cfg.Fault is invalid.
func New(cfg Config) (*Emulator, error) {
	e := &Emulator{models: cfg.Models}
	if len(e.models) == 0 {
		e.models = defaultModels
	}
	if err := e.SetLatency(cfg.Latency); err != nil {
		return nil, err
	}
	if cfg.Fault != nil {
		if err := e.SetFault(*cfg.Fault); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// SetLatency changes the emulated models' speed.
func (e *Emulator) SetLatency(l Latency) error {
	if err := l.validate(); err != nil {
		return err
	}
	e.latency.Store(&l)
	return nil
}

// Latency returns the current speed settings.
func (e *Emulator) Latency() Latency { return *e.latency.Load() }

// SetFault puts f in force, replacing any other fault and restarting its count.
func (e *Emulator) SetFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	a := &activeFault{Fault: f}
	a.remaining.Store(f.Count)
	e.fault.Store(a)
	return nil
}

// ClearFault ends any injected fault.
func (e *Emulator) ClearFault() { e.fault.Store(nil) }

// CurrentFault returns the fault in force and, for a counted one, how many failures remain; ok
// is false when there is none.
func (e *Emulator) CurrentFault() (f Fault, remaining int64, ok bool) {
	a := e.fault.Load()
	if a == nil {
		return Fault{}, 0, false
	}
	return a.Fault, a.remaining.Load(), true
}

// Stats returns the request counters per model.
func (e *Emulator) Stats() map[string]ModelStats { return e.stats.snapshot() }

// ResetStats zeroes the request counters.
func (e *Emulator) ResetStats() { e.stats.reset() }

// injectedFault returns the fault that fails a request for model, or nil.
func (e *Emulator) injectedFault(model string) *activeFault {
	a := e.fault.Load()
	if a == nil || !a.take(model) {
		return nil
	}
	return a
}

// ServeHTTP routes a request to the emulated API.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/v1/chat/completions":
		if r.Method != http.MethodPost {
			methodNotAllowed(w, apiOpenAI, http.MethodPost)
			return
		}
		e.chatCompletions(w, r)
	case path == "/v1/models" || strings.HasPrefix(path, "/v1/models/"):
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, apiOpenAI, "GET, HEAD")
			return
		}
		e.listModels(w, r)
	case path == "/anthropic/v1/messages":
		if r.Method != http.MethodPost {
			methodNotAllowed(w, apiAnthropic, http.MethodPost)
			return
		}
		e.messages(w, r)
	case strings.HasPrefix(path, "/anthropic/"):
		writeAnthropicError(w, http.StatusNotFound, "not_found_error", "Not found: "+r.Method+" "+path)
	default:
		writeOpenAIError(w, http.StatusNotFound, "invalid_request_error", "", "unknown_url",
			"Invalid URL ("+r.Method+" "+path+")")
	}
}

// api names an emulated API, for error shapes.
type api int

const (
	apiOpenAI api = iota
	apiAnthropic
)

func methodNotAllowed(w http.ResponseWriter, a api, allow string) {
	w.Header().Set("Allow", allow)
	if a == apiAnthropic {
		writeAnthropicError(w, http.StatusMethodNotAllowed, "invalid_request_error", "Method not allowed")
		return
	}
	writeOpenAIError(w, http.StatusMethodNotAllowed, "invalid_request_error", "", "method_not_allowed", "Method not allowed")
}

// buffers recycles request and response bodies.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

func putBuffer(b *[]byte) {
	if cap(*b) > 1<<20 {
		return // let an outsized buffer go
	}
	*b = (*b)[:0]
	buffers.Put(b)
}

// readBody reads r's body into buf, up to maxBody.
func readBody(r *http.Request, buf []byte) ([]byte, error) {
	if r.ContentLength > maxBody {
		return buf, errBodyTooLarge
	}
	body := io.LimitReader(r.Body, maxBody+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxBody {
			return buf, errBodyTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

type bodyTooLargeError struct{}

func (bodyTooLargeError) Error() string {
	return "request body is larger than " + strconv.Itoa(maxBody>>20) + " MiB"
}

var errBodyTooLarge error = bodyTooLargeError{}

// pacer spaces a reply's tokens as the Latency settings ask.
type pacer struct {
	ctx      context.Context
	ttft     time.Duration
	interval time.Duration
	timer    *time.Timer
}

func (e *Emulator) pacer(ctx context.Context) pacer {
	l := e.latency.Load()
	return pacer{ctx: ctx, ttft: l.TimeToFirstToken, interval: l.tokenInterval()}
}

// paced reports whether any waiting is due.
func (p *pacer) paced() bool { return p.ttft > 0 || p.interval > 0 }

// wait waits for d, reporting false if the client went away first.
func (p *pacer) wait(d time.Duration) bool {
	if d <= 0 {
		return p.ctx.Err() == nil
	}
	if p.timer == nil {
		p.timer = time.NewTimer(d)
	} else {
		p.timer.Reset(d)
	}
	select {
	case <-p.timer.C:
		return true
	case <-p.ctx.Done():
		return false
	}
}

// nextToken runs before token i of a paced stream: from the second token on, when tokens are
// spaced, it sends what out holds, waits one interval and returns out emptied (buf keeps the
// grown buffer for reuse). ok is false when the client went away.
func (p *pacer) nextToken(w http.ResponseWriter, buf *[]byte, out []byte, i int) (_ []byte, ok bool) {
	if i == 0 || p.interval <= 0 {
		return out, true
	}
	*buf = out
	if _, err := w.Write(out); err != nil {
		return out, false
	}
	flush(w)
	return out[:0], p.wait(p.interval)
}

func (p *pacer) stop() {
	if p.timer != nil {
		p.timer.Stop()
	}
}

// hold waits until ctx ends or, when d is positive, d passes; it reports whether d passed.
func hold(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		<-ctx.Done()
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeJSON sends body as a JSON response with status.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = contentTypeJSON
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

var (
	contentTypeJSON        = []string{"application/json"}
	contentTypeEventStream = []string{"text/event-stream; charset=utf-8"}
	cacheControlNoCache    = []string{"no-cache"}
)

// startStream sends the headers of a server-sent event stream.
func startStream(w http.ResponseWriter) {
	h := w.Header()
	h["Content-Type"] = contentTypeEventStream
	h["Cache-Control"] = cacheControlNoCache
	w.WriteHeader(http.StatusOK)
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// appendID appends a response id: prefix and a base-36 sequence number.
func (e *Emulator) appendID(dst []byte, prefix string) []byte {
	dst = append(dst, prefix...)
	return strconv.AppendUint(dst, e.ids.Add(1)+1_000_000_000, 36)
}
