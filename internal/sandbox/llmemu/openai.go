package llmemu

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// systemFingerprint is sent in every chat completion, as OpenAI does.
const systemFingerprint = "fp_octollm_emu"

// chatRequest is the part of a Chat Completions request the emulator reads.
type chatRequest struct {
	Model               string        `json:"model"`
	Messages            []chatMessage `json:"messages"`
	MaxTokens           *int64        `json:"max_tokens"`
	MaxCompletionTokens *int64        `json:"max_completion_tokens"`
	Stream              bool          `json:"stream"`
	StreamOptions       *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

type chatMessage struct {
	Role    string      `json:"role"`
	Content messageText `json:"content"`
}

// reset empties r for reuse, keeping its messages' capacity.
func (r *chatRequest) reset() {
	msgs := r.Messages[:cap(r.Messages)]
	clear(msgs)
	*r = chatRequest{Messages: msgs[:0]}
}

var chatRequests = sync.Pool{New: func() any { return new(chatRequest) }}

// chatCompletions serves POST /v1/chat/completions.
func (e *Emulator) chatCompletions(w http.ResponseWriter, r *http.Request) {
	if !hasBearerToken(r) {
		writeOpenAIError(w, http.StatusUnauthorized, "invalid_request_error", "", "invalid_api_key",
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	body, err := readBody(r, *buf)
	*buf = body
	if err != nil {
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "", "", "Could not read the request body: "+err.Error())
		return
	}
	req := chatRequests.Get().(*chatRequest)
	defer func() { req.reset(); chatRequests.Put(req) }()
	if err := json.Unmarshal(body, req); err != nil {
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "", "",
			"We could not parse the JSON body of your request. ("+err.Error()+")")
		return
	}
	if req.Model == "" {
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "model", "",
			"you must provide a model parameter")
		return
	}
	if len(req.Messages) == 0 {
		e.stats.failed(req.Model)
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "messages", "empty_array",
			"Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.")
		return
	}
	maxTokens := int64(0)
	for _, v := range []*int64{req.MaxTokens, req.MaxCompletionTokens} {
		if v == nil {
			continue
		}
		if *v < 1 {
			param := "max_tokens"
			if v == req.MaxCompletionTokens {
				param = "max_completion_tokens"
			}
			e.stats.failed(req.Model)
			writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", param, "integer_below_min_value",
				"Invalid '"+param+"': integer below minimum value. Expected a value >= 1, but got "+strconv.FormatInt(*v, 10)+" instead.")
			return
		}
		if maxTokens == 0 || *v < maxTokens {
			maxTokens = *v
		}
	}

	h := newPromptHash(req.Model)
	promptTokens := 0
	for i := range req.Messages {
		c := string(req.Messages[i].Content)
		h.add(c)
		promptTokens += messageTokens(c)
	}
	if f := e.injectedFault(req.Model); f != nil {
		e.stats.failed(req.Model)
		e.openAIFault(w, r, f, req.Model, promptTokens)
		return
	}
	rep := reply{model: req.Model, seed: h.sum(), n: replyLength(int(min(maxTokens, ReplyTokens)))}
	finish := "stop"
	if rep.n < ReplyTokens {
		finish = "length"
	}
	u := usage{prompt: promptTokens, completion: rep.n}
	p := e.pacer(r.Context())
	defer p.stop()

	if !req.Stream {
		if p.paced() && !p.wait(p.ttft+time.Duration(rep.n-1)*p.interval) {
			e.stats.served(req.Model) // the client gave up; the model still ran
			return
		}
		out := (*buf)[:0]
		out = append(out, `{"id":"`...)
		out = e.appendID(out, "chatcmpl-")
		out = append(out, `","object":"chat.completion","created":`...)
		out = strconv.AppendInt(out, time.Now().Unix(), 10)
		out = append(out, `,"model":`...)
		out = appendJSONString(out, req.Model)
		out = append(out, `,"choices":[{"index":0,"message":{"role":"assistant","content":`...)
		out = rep.appendJSONText(out)
		out = append(out, `,"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"`...)
		out = append(out, finish...)
		out = append(out, `"}],"usage":`...)
		out = u.appendOpenAI(out)
		out = append(out, `,"service_tier":"default","system_fingerprint":"`+systemFingerprint+`"}`...)
		*buf = out
		e.stats.served(req.Model)
		writeJSON(w, http.StatusOK, out)
		return
	}

	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	// Every chunk opens alike: prefix is `data: {"id":...,"choices":[`.
	prefixBuf := getBuffer()
	defer putBuffer(prefixBuf)
	prefix := (*prefixBuf)[:0]
	prefix = append(prefix, `data: {"id":"`...)
	prefix = e.appendID(prefix, "chatcmpl-")
	prefix = append(prefix, `","object":"chat.completion.chunk","created":`...)
	prefix = strconv.AppendInt(prefix, time.Now().Unix(), 10)
	prefix = append(prefix, `,"model":`...)
	prefix = appendJSONString(prefix, req.Model)
	prefix = append(prefix, `,"service_tier":"default","system_fingerprint":"`+systemFingerprint+`","choices":[`...)
	*prefixBuf = prefix
	suffix := "]}\n\n"
	if includeUsage {
		suffix = `],"usage":null}` + "\n\n"
	}

	if p.paced() && !p.wait(p.ttft) {
		e.stats.served(req.Model)
		return
	}
	e.stats.served(req.Model)
	startStream(w)
	out := (*buf)[:0]
	out = append(out, prefix...)
	out = append(out, `{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}`...)
	out = append(out, suffix...)
	for i := range rep.n {
		var ok bool
		if out, ok = p.nextToken(w, buf, out, i); !ok {
			return
		}
		out = append(out, prefix...)
		out = append(out, `{"index":0,"delta":{"content":"`...)
		out = rep.appendJSONPiece(out, i)
		out = append(out, `"},"logprobs":null,"finish_reason":null}`...)
		out = append(out, suffix...)
	}
	out = append(out, prefix...)
	out = append(out, `{"index":0,"delta":{},"logprobs":null,"finish_reason":"`...)
	out = append(out, finish...)
	out = append(out, `"}`...)
	out = append(out, suffix...)
	if includeUsage {
		out = append(out, prefix...)
		out = append(out, `],"usage":`...)
		out = u.appendOpenAI(out)
		out = append(out, "}\n\n"...)
	}
	out = append(out, "data: [DONE]\n\n"...)
	*buf = out
	_, _ = w.Write(out)
}

// hasBearerToken reports whether r carries "Authorization: Bearer <non-empty token>".
func hasBearerToken(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && strings.TrimSpace(token) != ""
}

// usage is a response's token counts.
type usage struct{ prompt, completion int }

func (u usage) appendOpenAI(dst []byte) []byte {
	dst = append(dst, `{"prompt_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.prompt), 10)
	dst = append(dst, `,"completion_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.completion), 10)
	dst = append(dst, `,"total_tokens":`...)
	dst = strconv.AppendInt(dst, int64(u.prompt+u.completion), 10)
	return append(dst, `,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`...)
}

// openAIContextWindow is the context window context_length faults claim.
const openAIContextWindow = 128000

// openAIFault answers a request failed by f, in OpenAI's error shape.
func (e *Emulator) openAIFault(w http.ResponseWriter, r *http.Request, f *activeFault, model string, promptTokens int) {
	switch f.Kind {
	case FaultRateLimit:
		secs := retryAfterSeconds(f.RetryAfter)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeOpenAIError(w, http.StatusTooManyRequests, "requests", "", "rate_limit_exceeded",
			"Rate limit reached for "+model+" (injected fault). Please try again in "+strconv.Itoa(secs)+"s.")
	case FaultServerError:
		writeOpenAIError(w, http.StatusInternalServerError, "server_error", "", "",
			"The server had an error while processing your request (injected fault). Sorry about that!")
	case FaultUnavailable:
		writeOpenAIError(w, http.StatusServiceUnavailable, "server_error", "", "",
			"The engine is currently overloaded, please try again later (injected fault).")
	case FaultTimeout:
		if hold(r.Context(), f.Hold) {
			writeOpenAIError(w, http.StatusGatewayTimeout, "timeout", "", "",
				"Request timed out (injected fault).")
		}
	case FaultContextLength:
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "messages", "context_length_exceeded",
			"This model's maximum context length is "+strconv.Itoa(openAIContextWindow)+" tokens. However, your messages resulted in "+
				strconv.Itoa(openAIContextWindow+promptTokens)+" tokens. Please reduce the length of the messages. (injected fault)")
	}
}

// retryAfterSeconds is d in whole seconds, rounded up.
func retryAfterSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// writeOpenAIError answers status with OpenAI's error body; an empty param or code is null.
func writeOpenAIError(w http.ResponseWriter, status int, typ, param, code, message string) {
	buf := getBuffer()
	defer putBuffer(buf)
	out := (*buf)[:0]
	out = append(out, `{"error":{"message":`...)
	out = appendJSONString(out, message)
	out = append(out, `,"type":`...)
	out = appendJSONString(out, typ)
	out = append(out, `,"param":`...)
	out = appendJSONOrNull(out, param)
	out = append(out, `,"code":`...)
	out = appendJSONOrNull(out, code)
	out = append(out, "}}\n"...)
	*buf = out
	writeJSON(w, status, out)
}

func appendJSONOrNull(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return appendJSONString(dst, s)
}

// listModels serves GET /v1/models and GET /v1/models/{id}.
func (e *Emulator) listModels(w http.ResponseWriter, r *http.Request) {
	if !hasBearerToken(r) {
		writeOpenAIError(w, http.StatusUnauthorized, "invalid_request_error", "", "invalid_api_key",
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
		return
	}
	var out []byte
	if id, ok := strings.CutPrefix(r.URL.Path, "/v1/models/"); ok {
		out = appendModel(out, id) // every model exists
	} else {
		out = append(out, `{"object":"list","data":[`...)
		for i, m := range e.models {
			if i > 0 {
				out = append(out, ',')
			}
			out = appendModel(out, m)
		}
		out = append(out, "]}"...)
	}
	writeJSON(w, http.StatusOK, out)
}

// modelsCreated is the creation time listed for every model.
const modelsCreated = 1700000000

func appendModel(dst []byte, id string) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, id)
	dst = append(dst, `,"object":"model","created":`...)
	dst = strconv.AppendInt(dst, modelsCreated, 10)
	return append(dst, `,"owned_by":"octollm-sandbox"}`...)
}
