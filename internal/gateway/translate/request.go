// Package translate owns the gateway's conversions between the client schema (OpenAI chat
// completions) and each upstream schema: request bodies, response bodies, streaming chunks,
// usage extraction and error classification. One Translator per (client, backend) pair, each in
// its own file (openai_openai.go, openai_anthropic.go), after envoyproxy/ai-gateway's
// internal/translator.
package translate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ChatRequest is the client's OpenAI chat completion request. The gateway decodes it once;
// fields it does not model are kept in Extra and passed through to OpenAI-compatible upstreams.
type ChatRequest struct {
	Model               string
	Messages            []Message
	Stream              bool
	StreamOptions       *StreamOptions
	Temperature         *float64
	TopP                *float64
	MaxTokens           *int64
	MaxCompletionTokens *int64
	// Stop accepts a string or an array of strings on the wire.
	Stop []string
	User string
	// Extra holds the request's fields not modelled above (tools, tool_choice, n, seed,
	// response_format, ...), verbatim.
	Extra map[string]json.RawMessage
}

// StreamOptions is the client's stream_options.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// WantsUsageChunk reports whether the client asked for the final usage chunk
// (stream_options.include_usage).
func (r *ChatRequest) WantsUsageChunk() bool {
	return r.StreamOptions != nil && r.StreamOptions.IncludeUsage
}

// Message is one chat message. Content is the raw JSON: a string, an array of content parts,
// or null (an assistant message that only calls tools).
type Message struct {
	Role       string
	Content    json.RawMessage
	Name       string
	ToolCalls  []ToolCall
	ToolCallID string
	// Extra holds the message's other fields (refusal, audio, ...), verbatim.
	Extra map[string]json.RawMessage
}

// ToolCall is an assistant message's function call.
type ToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function FunctionCall `json:"function"`
}

// FunctionCall names the function and carries its JSON-encoded arguments.
type FunctionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// ContentPart is one element of an array content.
type ContentPart struct {
	Type     string `json:"type"`
	Text     string `json:"text,omitempty"`
	ImageURL *struct {
		URL string `json:"url"`
	} `json:"image_url,omitempty"`
}

// Text returns the message's text: the string content, or its text parts concatenated.
func (m *Message) Text() string {
	c := bytes.TrimSpace(m.Content)
	if len(c) == 0 || c[0] == 'n' {
		return ""
	}
	if c[0] == '"' {
		var s string
		if json.Unmarshal(c, &s) == nil {
			return s
		}
		return ""
	}
	parts, _ := m.Parts()
	var b strings.Builder
	for _, p := range parts {
		if p.Type == "text" {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// Parts returns the content as parts: a string content is one text part.
func (m *Message) Parts() ([]ContentPart, error) {
	c := bytes.TrimSpace(m.Content)
	switch {
	case len(c) == 0 || c[0] == 'n':
		return nil, nil
	case c[0] == '"':
		var s string
		if err := json.Unmarshal(c, &s); err != nil {
			return nil, err
		}
		return []ContentPart{{Type: "text", Text: s}}, nil
	default:
		var parts []ContentPart
		err := json.Unmarshal(c, &parts)
		return parts, err
	}
}

var knownRoles = []string{"system", "developer", "user", "assistant", "tool", "function"}

// DecodeChatRequest decodes and validates a client's chat completion request. Errors name the
// offending field ("messages: at least one message is required", "model: required").
func DecodeChatRequest(body []byte) (*ChatRequest, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("request body: invalid JSON: %w", err)
		}
		return nil, errors.New("request body: must be a JSON object")
	}
	req := &ChatRequest{}
	take := func(name string, dst any) error { return takeField(raw, name, dst) }
	var rawMessages []json.RawMessage
	var rawStop json.RawMessage
	for _, f := range []struct {
		name string
		dst  any
	}{
		{"model", &req.Model},
		{"messages", &rawMessages},
		{"stream", &req.Stream},
		{"stream_options", &req.StreamOptions},
		{"temperature", &req.Temperature},
		{"top_p", &req.TopP},
		{"max_tokens", &req.MaxTokens},
		{"max_completion_tokens", &req.MaxCompletionTokens},
		{"stop", &rawStop},
		{"user", &req.User},
	} {
		if err := take(f.name, f.dst); err != nil {
			return nil, err
		}
	}
	if req.Model == "" {
		return nil, errors.New("model: required")
	}
	if len(rawMessages) == 0 {
		return nil, errors.New("messages: at least one message is required")
	}
	req.Messages = make([]Message, len(rawMessages))
	for i, rm := range rawMessages {
		if err := req.Messages[i].decode(rm); err != nil {
			return nil, fmt.Errorf("messages[%d].%w", i, err)
		}
	}
	if len(rawStop) > 0 {
		switch rawStop[0] {
		case '"':
			var s string
			if err := json.Unmarshal(rawStop, &s); err != nil {
				return nil, fmt.Errorf("stop: %s", typeError(err))
			}
			req.Stop = []string{s}
		default:
			if err := json.Unmarshal(rawStop, &req.Stop); err != nil {
				return nil, errors.New("stop: must be a string or an array of strings")
			}
		}
	}
	if t := req.Temperature; t != nil && (*t < 0 || *t > 2) {
		return nil, fmt.Errorf("temperature: must be between 0 and 2, got %g", *t)
	}
	if p := req.TopP; p != nil && (*p < 0 || *p > 1) {
		return nil, fmt.Errorf("top_p: must be between 0 and 1, got %g", *p)
	}
	if n := req.MaxTokens; n != nil && *n < 1 {
		return nil, fmt.Errorf("max_tokens: must be at least 1, got %d", *n)
	}
	if n := req.MaxCompletionTokens; n != nil && *n < 1 {
		return nil, fmt.Errorf("max_completion_tokens: must be at least 1, got %d", *n)
	}
	if len(raw) > 0 {
		req.Extra = raw
	}
	return req, nil
}

func (m *Message) decode(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || raw == nil {
		return errors.New("role: message must be an object")
	}
	take := func(name string, dst any) error { return takeField(raw, name, dst) }
	if err := take("role", &m.Role); err != nil {
		return err
	}
	if m.Role == "" {
		return errors.New("role: required")
	}
	if !slices.Contains(knownRoles, m.Role) {
		return fmt.Errorf("role: must be one of %s, got %q", strings.Join(knownRoles, ", "), m.Role)
	}
	if c, ok := raw["content"]; ok {
		delete(raw, "content")
		c = bytes.TrimSpace(c)
		if len(c) > 0 && c[0] != '"' && c[0] != '[' && !isNull(c) {
			return errors.New("content: must be a string, an array of content parts or null")
		}
		if len(c) > 0 && c[0] == '[' {
			var parts []ContentPart
			if err := json.Unmarshal(c, &parts); err != nil {
				return fmt.Errorf("content: %s", typeError(err))
			}
		}
		if !isNull(c) {
			m.Content = c
		}
	}
	if err := take("name", &m.Name); err != nil {
		return err
	}
	if err := take("tool_calls", &m.ToolCalls); err != nil {
		return err
	}
	if err := take("tool_call_id", &m.ToolCallID); err != nil {
		return err
	}
	if len(m.Content) == 0 && len(m.ToolCalls) == 0 && m.Role != "assistant" {
		return errors.New("content: required")
	}
	if len(raw) > 0 {
		m.Extra = raw
	}
	return nil
}

// MarshalJSON renders the message in OpenAI's schema, Extra included.
func (m Message) MarshalJSON() ([]byte, error) {
	var w objWriter
	w.field("role", m.Role)
	if len(m.Content) > 0 {
		w.raw("content", m.Content)
	} else if m.Role == "assistant" {
		w.raw("content", []byte("null"))
	}
	if m.Name != "" {
		w.field("name", m.Name)
	}
	if len(m.ToolCalls) > 0 {
		w.field("tool_calls", m.ToolCalls)
	}
	if m.ToolCallID != "" {
		w.field("tool_call_id", m.ToolCallID)
	}
	w.extra(m.Extra)
	return w.close()
}

func isNull(b []byte) bool {
	return string(bytes.TrimSpace(b)) == "null"
}

// typeError shortens encoding/json's type errors to what a client can act on.
func typeError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("must be %s, got %s", jsonTypeName(te.Type.Kind().String()), te.Value)
	}
	return err.Error()
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "float64", "float32", "int64", "int", "int32":
		return "a number"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return kind
}

// objWriter writes a JSON object field by field, keeping the order fields are written in.
type objWriter struct {
	buf bytes.Buffer
	err error
}

func (w *objWriter) key(k string) {
	if w.buf.Len() == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	w.buf.WriteString(quote(k))
	w.buf.WriteByte(':')
}

func (w *objWriter) field(k string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		w.err = errors.Join(w.err, fmt.Errorf("%s: %w", k, err))
		return
	}
	w.raw(k, b)
}

func (w *objWriter) raw(k string, v []byte) {
	w.key(k)
	w.buf.Write(v)
}

// extra writes the fields of m not written yet, in sorted order so bodies are deterministic.
func (w *objWriter) extra(m map[string]json.RawMessage, skip ...string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !slices.Contains(skip, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.raw(k, m[k])
	}
}

func (w *objWriter) close() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.buf.Len() == 0 {
		return []byte("{}"), nil
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// takeField decodes raw[name] into dst and removes it from raw, so what remains are the fields
// nobody modelled; an absent or null field leaves dst as it is. Errors name the field.
func takeField(raw map[string]json.RawMessage, name string, dst any) error {
	v, ok := raw[name]
	if !ok {
		return nil
	}
	delete(raw, name)
	if isNull(v) {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("%s: %s", name, typeError(err))
	}
	return nil
}
