package translate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// AnthropicVersion is the anthropic-version header every request carries.
const AnthropicVersion = "2023-06-01"

// DefaultAnthropicMaxTokens is the max_tokens sent to Anthropic, which requires it, when the
// client set neither max_completion_tokens nor max_tokens.
const DefaultAnthropicMaxTokens = 4096

// anthropicTranslator serves OpenAI chat completions from Anthropic's Messages API.
type anthropicTranslator struct{}

var _ Translator = anthropicTranslator{}

func (anthropicTranslator) Path() string { return "/messages" }

func (anthropicTranslator) SetHeaders(h http.Header, apiKey string) {
	if apiKey != "" {
		h.Set("x-api-key", apiKey)
	}
	h.Set("anthropic-version", AnthropicVersion)
	h.Set("Content-Type", "application/json")
}

type anthropicRequest struct {
	Model         string             `json:"model"`
	System        string             `json:"system,omitempty"`
	Messages      []anthropicMessage `json:"messages"`
	MaxTokens     int64              `json:"max_tokens"`
	StopSequences []string           `json:"stop_sequences,omitempty"`
	Temperature   *float64           `json:"temperature,omitempty"`
	TopP          *float64           `json:"top_p,omitempty"`
	Stream        bool               `json:"stream,omitempty"`
	Metadata      *struct {
		UserID string `json:"user_id"`
	} `json:"metadata,omitempty"`
	Tools      []anthropicTool `json:"tools,omitempty"`
	ToolChoice json.RawMessage `json:"tool_choice,omitempty"`
}

type anthropicMessage struct {
	Role    string           `json:"role"`
	Content []anthropicBlock `json:"content"`
}

type anthropicBlock struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	// image
	Source *anthropicImageSource `json:"source,omitempty"`
	// tool_use
	ID    string          `json:"id,omitempty"`
	Name  string          `json:"name,omitempty"`
	Input json.RawMessage `json:"input,omitempty"`
	// tool_result
	ToolUseID string `json:"tool_use_id,omitempty"`
	Content   string `json:"content,omitempty"`
}

type anthropicImageSource struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type,omitempty"`
	Data      string `json:"data,omitempty"`
	URL       string `json:"url,omitempty"`
}

type anthropicTool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema json.RawMessage `json:"input_schema"`
}

func (anthropicTranslator) RequestBody(req *ChatRequest, upstreamModel string, stream bool) ([]byte, error) {
	out := anthropicRequest{
		Model:         upstreamModel,
		MaxTokens:     DefaultAnthropicMaxTokens,
		StopSequences: req.Stop,
		Temperature:   req.Temperature,
		TopP:          req.TopP,
		Stream:        stream,
	}
	switch {
	case req.MaxCompletionTokens != nil:
		out.MaxTokens = *req.MaxCompletionTokens
	case req.MaxTokens != nil:
		out.MaxTokens = *req.MaxTokens
	}
	if req.User != "" {
		out.Metadata = &struct {
			UserID string `json:"user_id"`
		}{req.User}
	}
	var system []string
	for i := range req.Messages {
		m := &req.Messages[i]
		switch m.Role {
		case "system", "developer":
			if t := m.Text(); t != "" {
				system = append(system, t)
			}
		case "user":
			blocks, err := anthropicUserBlocks(m)
			if err != nil {
				return nil, fmt.Errorf("messages[%d].content: %w", i, err)
			}
			out.Messages = appendTurn(out.Messages, "user", blocks)
		case "assistant":
			var blocks []anthropicBlock
			if t := m.Text(); t != "" {
				blocks = append(blocks, anthropicBlock{Type: "text", Text: t})
			}
			for _, tc := range m.ToolCalls {
				input := json.RawMessage(tc.Function.Arguments)
				if !json.Valid(input) || len(bytes.TrimSpace(input)) == 0 {
					input = json.RawMessage("{}")
				}
				blocks = append(blocks, anthropicBlock{Type: "tool_use", ID: tc.ID, Name: tc.Function.Name, Input: input})
			}
			if len(blocks) > 0 {
				out.Messages = appendTurn(out.Messages, "assistant", blocks)
			}
		case "tool", "function":
			// Tool results go back as a user turn; consecutive ones share it.
			out.Messages = appendTurn(out.Messages, "user", []anthropicBlock{{Type: "tool_result", ToolUseID: m.ToolCallID, Content: m.Text()}})
		}
	}
	out.System = strings.Join(system, "\n\n")
	if len(out.Messages) == 0 {
		return nil, fmt.Errorf("messages: Anthropic needs at least one user or assistant message")
	}
	if raw, ok := req.Extra["tools"]; ok && !isNull(raw) {
		var tools []struct {
			Type     string `json:"type"`
			Function struct {
				Name        string          `json:"name"`
				Description string          `json:"description"`
				Parameters  json.RawMessage `json:"parameters"`
			} `json:"function"`
		}
		if err := json.Unmarshal(raw, &tools); err != nil {
			return nil, fmt.Errorf("tools: %s", typeError(err))
		}
		for _, t := range tools {
			schema := t.Function.Parameters
			if len(schema) == 0 || isNull(schema) {
				schema = json.RawMessage(`{"type":"object","properties":{}}`)
			}
			out.Tools = append(out.Tools, anthropicTool{Name: t.Function.Name, Description: t.Function.Description, InputSchema: schema})
		}
	}
	if raw, ok := req.Extra["tool_choice"]; ok && !isNull(raw) && len(out.Tools) > 0 {
		choice, err := anthropicToolChoice(raw)
		if err != nil {
			return nil, err
		}
		out.ToolChoice = choice
	}
	return json.Marshal(out)
}

// appendTurn adds blocks to the conversation, merging into the previous turn when it has the
// same role (Anthropic wants alternating turns, and all tool results in one user turn).
func appendTurn(msgs []anthropicMessage, role string, blocks []anthropicBlock) []anthropicMessage {
	if n := len(msgs); n > 0 && msgs[n-1].Role == role {
		msgs[n-1].Content = append(msgs[n-1].Content, blocks...)
		return msgs
	}
	return append(msgs, anthropicMessage{Role: role, Content: blocks})
}

func anthropicUserBlocks(m *Message) ([]anthropicBlock, error) {
	parts, err := m.Parts()
	if err != nil {
		return nil, err
	}
	blocks := make([]anthropicBlock, 0, len(parts))
	for _, p := range parts {
		switch p.Type {
		case "text":
			if p.Text != "" { // Anthropic rejects empty text blocks
				blocks = append(blocks, anthropicBlock{Type: "text", Text: p.Text})
			}
		case "image_url":
			if p.ImageURL == nil {
				return nil, fmt.Errorf("image_url part without image_url")
			}
			blocks = append(blocks, anthropicBlock{Type: "image", Source: imageSource(p.ImageURL.URL)})
		default:
			return nil, fmt.Errorf("content part type %q is not supported by Anthropic upstreams", p.Type)
		}
	}
	return blocks, nil
}

// imageSource turns an OpenAI image URL (a https URL or a base64 data URL) into Anthropic's source.
func imageSource(url string) *anthropicImageSource {
	if rest, ok := strings.CutPrefix(url, "data:"); ok {
		if meta, data, ok := strings.Cut(rest, ","); ok {
			if mediaType, ok := strings.CutSuffix(meta, ";base64"); ok {
				return &anthropicImageSource{Type: "base64", MediaType: mediaType, Data: data}
			}
		}
	}
	return &anthropicImageSource{Type: "url", URL: url}
}

func anthropicToolChoice(raw json.RawMessage) (json.RawMessage, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch s {
		case "auto":
			return json.RawMessage(`{"type":"auto"}`), nil
		case "required":
			return json.RawMessage(`{"type":"any"}`), nil
		case "none":
			return json.RawMessage(`{"type":"none"}`), nil
		}
		return nil, fmt.Errorf("tool_choice: must be auto, required, none or a function, got %q", s)
	}
	var fn struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if err := json.Unmarshal(raw, &fn); err != nil || fn.Function.Name == "" {
		return nil, fmt.Errorf("tool_choice: must name a function")
	}
	return json.Marshal(map[string]string{"type": "tool", "name": fn.Function.Name})
}

// anthropicUsage is the Messages API's usage. Cached prompt tokens are input tokens too.
type anthropicUsage struct {
	InputTokens              int64 `json:"input_tokens"`
	OutputTokens             int64 `json:"output_tokens"`
	CacheCreationInputTokens int64 `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int64 `json:"cache_read_input_tokens"`
}

func (u anthropicUsage) input() int64 {
	return u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens
}

type anthropicResponse struct {
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	Content    []anthropicBlock `json:"content"`
	StopReason string           `json:"stop_reason"`
	Usage      anthropicUsage   `json:"usage"`
}

type openAIToolCallOut struct {
	Index    *int   `json:"index,omitempty"`
	ID       string `json:"id,omitempty"`
	Type     string `json:"type,omitempty"`
	Function struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

func (anthropicTranslator) ResponseBody(body []byte, clientModel string) ([]byte, Usage, error) {
	var r anthropicResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, Usage{}, fmt.Errorf("upstream response: %w", err)
	}
	if r.Type != "" && r.Type != "message" {
		return nil, Usage{}, fmt.Errorf("upstream response: type %q, want message", r.Type)
	}
	var text strings.Builder
	var calls []openAIToolCallOut
	for _, b := range r.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "tool_use":
			tc := openAIToolCallOut{ID: b.ID, Type: "function"}
			tc.Function.Name = b.Name
			tc.Function.Arguments = string(b.Input)
			if tc.Function.Arguments == "" {
				tc.Function.Arguments = "{}"
			}
			calls = append(calls, tc)
		}
	}
	u := Usage{InputTokens: r.Usage.input(), OutputTokens: r.Usage.OutputTokens}
	type message struct {
		Role      string              `json:"role"`
		Content   *string             `json:"content"`
		ToolCalls []openAIToolCallOut `json:"tool_calls,omitempty"`
	}
	msg := message{Role: "assistant", ToolCalls: calls}
	if s := text.String(); s != "" || len(calls) == 0 {
		msg.Content = &s
	}
	out, err := json.Marshal(struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		Model   string `json:"model"`
		Choices []struct {
			Index        int     `json:"index"`
			Message      message `json:"message"`
			FinishReason string  `json:"finish_reason"`
		} `json:"choices"`
		Usage chunkUsage `json:"usage"`
	}{
		ID: r.ID, Object: "chat.completion", Created: time.Now().Unix(), Model: clientModel,
		Choices: []struct {
			Index        int     `json:"index"`
			Message      message `json:"message"`
			FinishReason string  `json:"finish_reason"`
		}{{Message: msg, FinishReason: finishReason(r.StopReason)}},
		Usage: openAIUsage(u),
	})
	return out, u, err
}

// finishReason maps Anthropic's stop_reason to OpenAI's finish_reason.
func finishReason(stop string) string {
	switch stop {
	case "max_tokens", "model_context_window_exceeded":
		return "length"
	case "tool_use":
		return "tool_calls"
	case "refusal":
		return "content_filter"
	default: // end_turn, stop_sequence, pause_turn
		return "stop"
	}
}

type anthropicErrorBody struct {
	Type  string `json:"type"`
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

func (anthropicTranslator) ErrorClass(status int, h http.Header, body []byte) *ErrorInfo {
	info := &ErrorInfo{Class: classifyStatus(status), Status: status, RetryAfter: RetryAfter(h, time.Now())}
	var e anthropicErrorBody
	_ = json.Unmarshal(body, &e)
	info.Message = e.Error.Message
	if info.Message == "" {
		info.Message = bodyMessage(status, body)
	}
	info.Class = anthropicClass(info.Class, e.Error.Type, info.Message, status)
	return info
}

// anthropicClass refines the status class with Anthropic's error type (also used for error
// events inside a stream, where status is 0).
func anthropicClass(class, typ, msg string, status int) string {
	switch typ {
	case "rate_limit_error":
		return ClassRateLimit
	case "overloaded_error", "api_error":
		return ClassServerError
	case "timeout_error":
		return ClassTimeout
	case "invalid_request_error", "request_too_large":
		if isContextWindow("", "", msg) || strings.Contains(strings.ToLower(msg), "exceed context limit") {
			return ClassContextWindow
		}
	}
	if status == 529 {
		return ClassServerError
	}
	return class
}

func (anthropicTranslator) NewStream(clientModel string) StreamTranslator {
	return &anthropicStream{model: clientModel, created: time.Now().Unix(), toolIndex: map[int]int{}}
}

// anthropicStream turns Messages API events into chat.completion.chunk payloads.
type anthropicStream struct {
	model     string
	id        string
	created   int64
	usage     Usage
	toolIndex map[int]int // content block index -> tool call index
	done      bool
}

type anthropicEvent struct {
	Type    string `json:"type"`
	Message struct {
		ID    string         `json:"id"`
		Usage anthropicUsage `json:"usage"`
	} `json:"message"`
	Index        int            `json:"index"`
	ContentBlock anthropicBlock `json:"content_block"`
	Delta        struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		PartialJSON string `json:"partial_json"`
		StopReason  string `json:"stop_reason"`
	} `json:"delta"`
	Usage *anthropicUsage `json:"usage"`
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

type chunkDelta struct {
	Role      string              `json:"role,omitempty"`
	Content   *string             `json:"content,omitempty"`
	ToolCalls []openAIToolCallOut `json:"tool_calls,omitempty"`
}

func (s *anthropicStream) chunk(d chunkDelta, finish string) []byte {
	var fr *string
	if finish != "" {
		fr = &finish
	}
	b, _ := json.Marshal(struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		Model   string `json:"model"`
		Choices [1]struct {
			Index        int        `json:"index"`
			Delta        chunkDelta `json:"delta"`
			FinishReason *string    `json:"finish_reason"`
		} `json:"choices"`
	}{
		ID: s.id, Object: "chat.completion.chunk", Created: s.created, Model: s.model,
		Choices: [1]struct {
			Index        int        `json:"index"`
			Delta        chunkDelta `json:"delta"`
			FinishReason *string    `json:"finish_reason"`
		}{{Delta: d, FinishReason: fr}},
	})
	return b
}

func (s *anthropicStream) Event(event string, data []byte) ([][]byte, bool, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, false, nil
	}
	var ev anthropicEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, false, fmt.Errorf("upstream event %q: %w", event, err)
	}
	typ := ev.Type
	if typ == "" {
		typ = event
	}
	switch typ {
	case "message_start":
		s.id = ev.Message.ID
		s.usage.InputTokens = ev.Message.Usage.input()
		s.usage.OutputTokens = ev.Message.Usage.OutputTokens
		empty := ""
		return [][]byte{s.chunk(chunkDelta{Role: "assistant", Content: &empty}, "")}, false, nil
	case "content_block_start":
		if ev.ContentBlock.Type != "tool_use" {
			if ev.ContentBlock.Type == "text" && ev.ContentBlock.Text != "" {
				t := ev.ContentBlock.Text
				return [][]byte{s.chunk(chunkDelta{Content: &t}, "")}, false, nil
			}
			return nil, false, nil
		}
		idx := len(s.toolIndex)
		s.toolIndex[ev.Index] = idx
		tc := openAIToolCallOut{Index: &idx, ID: ev.ContentBlock.ID, Type: "function"}
		tc.Function.Name = ev.ContentBlock.Name
		return [][]byte{s.chunk(chunkDelta{ToolCalls: []openAIToolCallOut{tc}}, "")}, false, nil
	case "content_block_delta":
		switch ev.Delta.Type {
		case "text_delta":
			t := ev.Delta.Text
			return [][]byte{s.chunk(chunkDelta{Content: &t}, "")}, false, nil
		case "input_json_delta":
			idx, ok := s.toolIndex[ev.Index]
			if !ok || ev.Delta.PartialJSON == "" {
				return nil, false, nil
			}
			tc := openAIToolCallOut{Index: &idx}
			tc.Function.Arguments = ev.Delta.PartialJSON
			return [][]byte{s.chunk(chunkDelta{ToolCalls: []openAIToolCallOut{tc}}, "")}, false, nil
		}
		return nil, false, nil // thinking_delta, signature_delta, citations_delta
	case "message_delta":
		if u := ev.Usage; u != nil {
			// message_delta's usage is cumulative; input tokens appear only in newer versions.
			s.usage.OutputTokens = u.OutputTokens
			if in := u.input(); in > 0 {
				s.usage.InputTokens = in
			}
		}
		if ev.Delta.StopReason == "" {
			return nil, false, nil
		}
		return [][]byte{s.chunk(chunkDelta{}, finishReason(ev.Delta.StopReason))}, false, nil
	case "message_stop":
		s.done = true
		return nil, true, nil
	case "error":
		class := anthropicClass(ClassServerError, ev.Error.Type, ev.Error.Message, 0)
		msg := ev.Error.Message
		if msg == "" {
			msg = ev.Error.Type
		}
		return nil, false, &ErrorInfo{Class: class, Message: msg}
	}
	return nil, false, nil // ping, content_block_stop, unknown events
}

func (s *anthropicStream) Usage() Usage { return s.usage }

func (s *anthropicStream) UsageChunk() []byte {
	return usageChunk(s.id, s.created, s.model, s.usage)
}
