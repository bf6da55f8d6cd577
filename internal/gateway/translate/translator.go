package translate

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error classes: what the gateway does next depends on them (fall back to another model, wait,
// or return the error to the client).
const (
	ClassRateLimit     = "rate_limit"
	ClassTimeout       = "timeout"
	ClassServerError   = "server_error"
	ClassContextWindow = "context_window"
	// ClassClient is a 4xx that retrying or falling back will not fix.
	ClassClient = "client_error"
)

// Usage is the tokens one call consumed.
type Usage struct {
	InputTokens  int64
	OutputTokens int64
}

// Total is input plus output tokens.
func (u Usage) Total() int64 { return u.InputTokens + u.OutputTokens }

// Translator converts between the OpenAI chat completions schema the gateway serves and one
// upstream schema.
type Translator interface {
	// Path is appended to the upstream base URL ("/chat/completions" or "/messages").
	Path() string
	// RequestBody renders req for the upstream, naming upstreamModel; stream says whether to
	// ask for SSE (OpenAI-compatible upstreams get stream_options.include_usage=true so usage
	// always comes back).
	RequestBody(req *ChatRequest, upstreamModel string, stream bool) ([]byte, error)
	// SetHeaders sets auth and version headers and Content-Type.
	SetHeaders(h http.Header, apiKey string)
	// ResponseBody turns a non-streaming upstream 2xx body into an OpenAI chat.completion body
	// (model field set to clientModel) and its usage.
	ResponseBody(body []byte, clientModel string) ([]byte, Usage, error)
	// NewStream translates an upstream SSE stream into OpenAI chat.completion.chunk payloads.
	NewStream(clientModel string) StreamTranslator
	// ErrorClass classifies an upstream error response.
	ErrorClass(status int, h http.Header, body []byte) *ErrorInfo
}

// StreamTranslator translates one upstream SSE stream. It is not safe for concurrent use.
//
// Event never returns the usage-only chunk (choices: [], usage): whether a client gets it is
// the gateway's policy (stream_options.include_usage), so the translator keeps the usage and
// UsageChunk renders that chunk on demand once the stream is done.
type StreamTranslator interface {
	// Event takes one upstream SSE event (event name, may be "", and data) and returns the
	// OpenAI chunk JSON payloads to send (without "data: " framing); done reports the
	// upstream's end. An error event from the upstream is returned as an *ErrorInfo. The
	// chunks never alias data, which the caller may reuse.
	Event(event string, data []byte) (chunks [][]byte, done bool, err error)
	// Usage is the usage seen so far (complete once done).
	Usage() Usage
	// UsageChunk is the final chunk a client that asked for stream_options.include_usage
	// receives: choices [] and usage.
	UsageChunk() []byte
}

// ErrorInfo is a classified upstream error.
type ErrorInfo struct {
	// Class is one of the Class* constants.
	Class string
	// Status is the upstream's HTTP status (0 for an error event inside a stream).
	Status int
	// Message is the upstream's own message, fit to show to the client.
	Message string
	// RetryAfter is the upstream's Retry-After, or 0.
	RetryAfter time.Duration
}

func (e *ErrorInfo) Error() string {
	return e.Class + ": " + e.Message
}

// For returns the translator for an upstream kind: "anthropic", or "openai" (the default, for
// every OpenAI-compatible upstream).
func For(kind string) Translator {
	if kind == "anthropic" {
		return anthropicTranslator{}
	}
	return openAITranslator{}
}

// classifyStatus is the class every upstream shares for a status; translators refine it from
// the body (context window, overloaded).
func classifyStatus(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return ClassRateLimit
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return ClassTimeout
	case status >= 500:
		return ClassServerError
	default:
		return ClassClient
	}
}

// RetryAfter reads retry-after-ms (OpenAI), then Retry-After as seconds or an HTTP-date.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d.Round(time.Second)
		}
	}
	return 0
}

// bodyMessage is the body's text when no structured message was found: trimmed and shortened.
func bodyMessage(status int, body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" || strings.HasPrefix(s, "<") {
		if t := http.StatusText(status); t != "" {
			return t
		}
		return "HTTP " + strconv.Itoa(status)
	}
	const maxLen = 300
	if len(s) > maxLen {
		s = s[:maxLen] + "..."
	}
	return s
}

// chunkUsage is OpenAI's usage object.
type chunkUsage struct {
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
	TotalTokens      int64 `json:"total_tokens"`
}

func openAIUsage(u Usage) chunkUsage {
	return chunkUsage{PromptTokens: u.InputTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.Total()}
}

// usageChunk renders the final usage-only chunk.
func usageChunk(id string, created int64, model string, u Usage) []byte {
	b, _ := json.Marshal(struct {
		ID      string     `json:"id"`
		Object  string     `json:"object"`
		Created int64      `json:"created"`
		Model   string     `json:"model"`
		Choices []struct{} `json:"choices"`
		Usage   chunkUsage `json:"usage"`
	}{id, "chat.completion.chunk", created, model, []struct{}{}, openAIUsage(u)})
	return b
}
