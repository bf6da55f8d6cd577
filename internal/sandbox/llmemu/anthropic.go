package llmemu

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// messagesRequest is the part of an Anthropic Messages request the emulator reads.
type messagesRequest struct {
	Model     string        `json:"model"`
	MaxTokens *int64        `json:"max_tokens"`
	Messages  []chatMessage `json:"messages"`
	System    *messageText  `json:"system"`
	Stream    bool          `json:"stream"`
}

// reset empties r for reuse, keeping its messages' capacity.
func (r *messagesRequest) reset() {
	msgs := r.Messages[:cap(r.Messages)]
	clear(msgs)
	*r = messagesRequest{Messages: msgs[:0]}
}

var messagesRequests = sync.Pool{New: func() any { return new(messagesRequest) }}

// anthropicContextWindow is the context window context_length faults claim.
const anthropicContextWindow = 200000

// messages serves POST /anthropic/v1/messages.
func (e *Emulator) messages(w http.ResponseWriter, r *http.Request) {
	// The API authenticates with x-api-key; anthropic-sdk-go v2 sends its key as a bearer token,
	// which the API also takes.
	if strings.TrimSpace(r.Header.Get("X-Api-Key")) == "" && !hasBearerToken(r) {
		writeAnthropicError(w, http.StatusUnauthorized, "authentication_error", "x-api-key header is required")
		return
	}
	if r.Header.Get("Anthropic-Version") == "" {
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	body, err := readBody(r, *buf)
	*buf = body
	if err != nil {
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "could not read the request body: "+err.Error())
		return
	}
	req := messagesRequests.Get().(*messagesRequest)
	defer func() { req.reset(); messagesRequests.Put(req) }()
	if err := json.Unmarshal(body, req); err != nil {
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "invalid JSON body: "+err.Error())
		return
	}
	if req.Model == "" {
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "model: Field required")
		return
	}
	switch {
	case req.MaxTokens == nil:
		e.stats.failed(req.Model)
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "max_tokens: Field required")
		return
	case *req.MaxTokens < 1:
		e.stats.failed(req.Model)
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1")
		return
	case len(req.Messages) == 0:
		e.stats.failed(req.Model)
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error", "messages: at least one message is required")
		return
	}

	h := newPromptHash(req.Model)
	inputTokens := 0
	if req.System != nil {
		h.add(string(*req.System))
		inputTokens += messageTokens(string(*req.System))
	}
	for i := range req.Messages {
		c := string(req.Messages[i].Content)
		h.add(c)
		inputTokens += messageTokens(c)
	}
	if f := e.injectedFault(req.Model); f != nil {
		e.stats.failed(req.Model)
		anthropicFault(w, r, f, inputTokens)
		return
	}
	rep := reply{model: req.Model, seed: h.sum(), n: replyLength(int(min(*req.MaxTokens, ReplyTokens)))}
	stop := "end_turn"
	if rep.n < ReplyTokens {
		stop = "max_tokens"
	}
	p := e.pacer(r.Context())
	defer p.stop()

	if !req.Stream {
		if p.paced() && !p.wait(p.ttft+time.Duration(rep.n-1)*p.interval) {
			e.stats.served(req.Model)
			return
		}
		out := (*buf)[:0]
		out = append(out, `{"id":"`...)
		out = e.appendID(out, "msg_emu")
		out = append(out, `","type":"message","role":"assistant","model":`...)
		out = appendJSONString(out, req.Model)
		out = append(out, `,"content":[{"type":"text","text":`...)
		out = rep.appendJSONText(out)
		out = append(out, `}],"stop_reason":"`...)
		out = append(out, stop...)
		out = append(out, `","stop_sequence":null,"usage":{"input_tokens":`...)
		out = strconv.AppendInt(out, int64(inputTokens), 10)
		out = append(out, `,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":`...)
		out = strconv.AppendInt(out, int64(rep.n), 10)
		out = append(out, `,"service_tier":"standard"}}`...)
		*buf = out
		e.stats.served(req.Model)
		writeJSON(w, http.StatusOK, out)
		return
	}

	if p.paced() && !p.wait(p.ttft) {
		e.stats.served(req.Model)
		return
	}
	e.stats.served(req.Model)
	startStream(w)
	out := (*buf)[:0]
	out = append(out, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\""...)
	out = e.appendID(out, "msg_emu")
	out = append(out, `","type":"message","role":"assistant","model":`...)
	out = appendJSONString(out, req.Model)
	out = append(out, `,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":`...)
	out = strconv.AppendInt(out, int64(inputTokens), 10)
	out = append(out, `,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}`+"\n\n"...)
	out = append(out, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"...)
	out = append(out, "event: ping\ndata: {\"type\": \"ping\"}\n\n"...)
	for i := range rep.n {
		var ok bool
		if out, ok = p.nextToken(w, buf, out, i); !ok {
			return
		}
		out = append(out, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""...)
		out = rep.appendJSONPiece(out, i)
		out = append(out, "\"}}\n\n"...)
	}
	out = append(out, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"...)
	out = append(out, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""...)
	out = append(out, stop...)
	out = append(out, `","stop_sequence":null},"usage":{"input_tokens":`...)
	out = strconv.AppendInt(out, int64(inputTokens), 10)
	out = append(out, `,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":`...)
	out = strconv.AppendInt(out, int64(rep.n), 10)
	out = append(out, "}}\n\n"...)
	out = append(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"...)
	*buf = out
	_, _ = w.Write(out)
}

// anthropicFault answers a request failed by f, in Anthropic's error shape.
func anthropicFault(w http.ResponseWriter, r *http.Request, f *activeFault, inputTokens int) {
	switch f.Kind {
	case FaultRateLimit:
		secs := retryAfterSeconds(f.RetryAfter)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeAnthropicError(w, http.StatusTooManyRequests, "rate_limit_error",
			"This request would exceed your organization's rate limit (injected fault). Please try again in "+strconv.Itoa(secs)+"s.")
	case FaultServerError:
		writeAnthropicError(w, http.StatusInternalServerError, "api_error", "Internal server error (injected fault)")
	case FaultUnavailable:
		writeAnthropicError(w, http.StatusServiceUnavailable, "overloaded_error", "Overloaded (injected fault)")
	case FaultTimeout:
		if hold(r.Context(), f.Hold) {
			writeAnthropicError(w, http.StatusGatewayTimeout, "timeout_error", "Request timed out (injected fault)")
		}
	case FaultContextLength:
		writeAnthropicError(w, http.StatusBadRequest, "invalid_request_error",
			"prompt is too long: "+strconv.Itoa(anthropicContextWindow+inputTokens)+" tokens > "+strconv.Itoa(anthropicContextWindow)+" maximum (injected fault)")
	}
}

// writeAnthropicError answers status with Anthropic's error body.
func writeAnthropicError(w http.ResponseWriter, status int, typ, message string) {
	buf := getBuffer()
	defer putBuffer(buf)
	out := (*buf)[:0]
	out = append(out, `{"type":"error","error":{"type":`...)
	out = appendJSONString(out, typ)
	out = append(out, `,"message":`...)
	out = appendJSONString(out, message)
	out = append(out, "}}\n"...)
	*buf = out
	writeJSON(w, status, out)
}
