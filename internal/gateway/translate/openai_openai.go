package translate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// openAITranslator forwards OpenAI chat completions to OpenAI-compatible upstreams (OpenAI,
// Google's OpenAI-compatible endpoint, Mistral, DeepSeek, Groq, vLLM). Bodies pass through;
// only the model is rewritten and usage read.
type openAITranslator struct{}

var _ Translator = openAITranslator{}

func (openAITranslator) Path() string { return "/chat/completions" }

func (openAITranslator) SetHeaders(h http.Header, apiKey string) {
	if apiKey != "" {
		h.Set("Authorization", "Bearer "+apiKey)
	}
	h.Set("Content-Type", "application/json")
}

func (openAITranslator) RequestBody(req *ChatRequest, upstreamModel string, stream bool) ([]byte, error) {
	var w objWriter
	w.field("model", upstreamModel)
	w.field("messages", req.Messages)
	if stream {
		w.raw("stream", []byte("true"))
		w.raw("stream_options", []byte(`{"include_usage":true}`))
	}
	if req.Temperature != nil {
		w.field("temperature", *req.Temperature)
	}
	if req.TopP != nil {
		w.field("top_p", *req.TopP)
	}
	if req.MaxTokens != nil {
		w.field("max_tokens", *req.MaxTokens)
	}
	if req.MaxCompletionTokens != nil {
		w.field("max_completion_tokens", *req.MaxCompletionTokens)
	}
	if len(req.Stop) > 0 {
		w.field("stop", req.Stop)
	}
	if req.User != "" {
		w.field("user", req.User)
	}
	w.extra(req.Extra, "model", "messages", "stream", "stream_options")
	return w.close()
}

func (openAITranslator) ResponseBody(body []byte, clientModel string) ([]byte, Usage, error) {
	f, err := scanTopLevel(body)
	if err != nil {
		return nil, Usage{}, fmt.Errorf("upstream response: %w", err)
	}
	var u Usage
	if f.usage.found() {
		if u, err = decodeUsage(body[f.usage.start:f.usage.end]); err != nil {
			return nil, Usage{}, err
		}
	}
	return rewriteModel(body, f.model, clientModel), u, nil
}

func (openAITranslator) ErrorClass(status int, h http.Header, body []byte) *ErrorInfo {
	info := &ErrorInfo{Class: classifyStatus(status), Status: status, RetryAfter: RetryAfter(h, time.Now())}
	msg, code, typ := openAIErrorFields(body)
	if msg == "" {
		msg = bodyMessage(status, body)
	}
	info.Message = msg
	if (status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge || status == http.StatusUnprocessableEntity) &&
		isContextWindow(code, typ, msg) {
		info.Class = ClassContextWindow
	}
	return info
}

// openAIErrorFields reads the message, code and type from the error shapes OpenAI-compatible
// upstreams use: {"error":{...}} (OpenAI, Groq, DeepSeek), [{"error":{...}}] (Google),
// {"message":...} (Mistral), {"detail":...} (FastAPI servers).
func openAIErrorFields(body []byte) (msg, code, typ string) {
	type inner struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
		Status  string          `json:"status"`
	}
	type envelope struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
		Detail  json.RawMessage `json:"detail"`
	}
	b := bytes.TrimSpace(body)
	var env envelope
	if len(b) > 0 && b[0] == '[' {
		var arr []envelope
		if json.Unmarshal(b, &arr) != nil || len(arr) == 0 {
			return "", "", ""
		}
		env = arr[0]
	} else if json.Unmarshal(b, &env) != nil {
		return "", "", ""
	}
	rawCode := func(c json.RawMessage) string {
		var s string
		if json.Unmarshal(c, &s) == nil {
			return s
		}
		return strings.Trim(string(c), `"`)
	}
	if len(env.Error) > 0 {
		var in inner
		if json.Unmarshal(env.Error, &in) == nil && in.Message != "" {
			typ = in.Type
			if typ == "" {
				typ = in.Status
			}
			return in.Message, rawCode(in.Code), typ
		}
		var s string
		if json.Unmarshal(env.Error, &s) == nil && s != "" {
			return s, rawCode(env.Code), env.Type
		}
	}
	if env.Message != "" {
		return env.Message, rawCode(env.Code), env.Type
	}
	if len(env.Detail) > 0 {
		var s string
		if json.Unmarshal(env.Detail, &s) == nil {
			return s, "", ""
		}
		return string(env.Detail), "", ""
	}
	return "", "", ""
}

func isContextWindow(code, typ, msg string) bool {
	if code == "context_length_exceeded" || typ == "context_length_exceeded" {
		return true
	}
	m := strings.ToLower(msg)
	for _, s := range []string{"maximum context length", "context length", "context_length_exceeded", "context window", "prompt is too long"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

func (openAITranslator) NewStream(clientModel string) StreamTranslator {
	return &openAIStream{model: clientModel, quotedModel: []byte(quote(clientModel))}
}

// openAIStream passes chunks through. It does not decode them: a single scan over the top-level
// keys finds the model to rewrite and whether the chunk carries usage or an error; only those
// rarer values are decoded.
type openAIStream struct {
	model       string
	quotedModel []byte
	id          string
	created     int64
	usage       Usage
	done        bool
}

var doneData = []byte("[DONE]")

func (s *openAIStream) Event(event string, data []byte) ([][]byte, bool, error) {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, doneData) {
		s.done = true
		return nil, true, nil
	}
	if len(data) == 0 {
		return nil, false, nil
	}
	f, err := scanTopLevel(data)
	if err != nil {
		return nil, false, fmt.Errorf("upstream chunk: %w", err)
	}
	if f.err.found() {
		msg, code, typ := openAIErrorFields(data)
		if msg == "" {
			msg = string(data[f.err.start:f.err.end])
		}
		class := ClassServerError
		if isContextWindow(code, typ, msg) {
			class = ClassContextWindow
		} else if code == "rate_limit_exceeded" || typ == "rate_limit_exceeded" {
			class = ClassRateLimit
		}
		return nil, false, &ErrorInfo{Class: class, Message: msg}
	}
	if s.id == "" && f.id.found() {
		s.id, _ = strconv.Unquote(string(data[f.id.start:f.id.end]))
		s.created, _ = strconv.ParseInt(string(data[f.created.start:f.created.end]), 10, 64)
	}
	if f.usage.found() {
		u, err := decodeUsage(data[f.usage.start:f.usage.end])
		if err != nil {
			return nil, false, err
		}
		s.usage = u
		if !f.choices.found() || string(data[f.choices.start:f.choices.end]) == "[]" {
			// The usage-only chunk: held back for UsageChunk.
			return nil, false, nil
		}
	}
	return [][]byte{rewriteModelQuoted(data, f.model, s.quotedModel)}, false, nil
}

func (s *openAIStream) Usage() Usage { return s.usage }

func (s *openAIStream) UsageChunk() []byte {
	created := s.created
	if created == 0 {
		created = time.Now().Unix()
	}
	return usageChunk(s.id, created, s.model, s.usage)
}

func decodeUsage(b []byte) (Usage, error) {
	var u chunkUsage
	if err := json.Unmarshal(b, &u); err != nil {
		return Usage{}, fmt.Errorf("upstream usage: %w", err)
	}
	return Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens}, nil
}

func rewriteModel(body []byte, at span, model string) []byte {
	return rewriteModelQuoted(body, at, []byte(quote(model)))
}

// rewriteModelQuoted replaces the model value at (or inserts one when absent) with quoted.
func rewriteModelQuoted(body []byte, at span, quoted []byte) []byte {
	if at.found() {
		// Always a copy: stream callers reuse the buffer data came in.
		out := make([]byte, 0, len(body)-(at.end-at.start)+len(quoted))
		out = append(out, body[:at.start]...)
		out = append(out, quoted...)
		return append(out, body[at.end:]...)
	}
	i := bytes.IndexByte(body, '{')
	out := make([]byte, 0, len(body)+len(quoted)+10)
	out = append(out, body[:i+1]...)
	out = append(out, `"model":`...)
	out = append(out, quoted...)
	if rest := bytes.TrimSpace(body[i+1:]); len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, body[i+1:]...)
}

// span is a value's byte range in a JSON document; end == 0 means absent.
type span struct{ start, end int }

func (s span) found() bool { return s.end > 0 }

// topLevel is where the values the translator cares about sit in a chunk or response.
type topLevel struct {
	id, created, model, usage, choices, err span
}

var errNotObject = errors.New("not a JSON object")

// scanTopLevel walks the top-level members of a JSON object without decoding them. A null
// usage or error counts as absent.
func scanTopLevel(b []byte) (topLevel, error) {
	var f topLevel
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return f, errNotObject
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return f, errNotObject
		}
		if b[i] == '}' {
			return f, nil
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] != '"' {
			return f, errNotObject
		}
		kend := skipString(b, i)
		if kend < 0 {
			return f, errNotObject
		}
		key := b[i+1 : kend-1]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return f, errNotObject
		}
		i = skipSpace(b, i+1)
		end := skipValue(b, i)
		if end < 0 {
			return f, errNotObject
		}
		v := span{i, end}
		isNull := end-i == 4 && string(b[i:end]) == "null"
		switch string(key) {
		case "id":
			if b[i] == '"' {
				f.id = v
			}
		case "created":
			f.created = v
		case "model":
			f.model = v
		case "usage":
			if !isNull {
				f.usage = v
			}
		case "choices":
			f.choices = v
		case "error":
			if !isNull {
				f.err = v
			}
		}
		i = end
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"', or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index after the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e := skipString(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}
