package translate

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecodeChatRequest(t *testing.T) {
	req, err := DecodeChatRequest([]byte(`{
		"model": "gpt-4o-mini",
		"messages": [
			{"role": "system", "content": "Be brief."},
			{"role": "user", "content": [{"type": "text", "text": "Hello, "}, {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}, {"type": "text", "text": "world"}]},
			{"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
			{"role": "tool", "tool_call_id": "call_1", "content": "18C"}
		],
		"stream": true,
		"stream_options": {"include_usage": true},
		"temperature": 0.2,
		"max_tokens": 64,
		"stop": "\n\n",
		"user": "tenant-a",
		"seed": 7,
		"tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if req.Model != "gpt-4o-mini" || len(req.Messages) != 4 || !req.Stream || !req.WantsUsageChunk() {
		t.Fatalf("decoded %+v", req)
	}
	if *req.Temperature != 0.2 || *req.MaxTokens != 64 || req.MaxCompletionTokens != nil || req.User != "tenant-a" {
		t.Fatalf("decoded %+v", req)
	}
	if len(req.Stop) != 1 || req.Stop[0] != "\n\n" {
		t.Fatalf("stop = %q", req.Stop)
	}
	if got := req.Messages[1].Text(); got != "Hello, world" {
		t.Fatalf("Text() = %q", got)
	}
	if got := req.Messages[0].Text(); got != "Be brief." {
		t.Fatalf("Text() = %q", got)
	}
	if tc := req.Messages[2].ToolCalls; len(tc) != 1 || tc[0].Function.Name != "get_weather" {
		t.Fatalf("tool calls = %+v", tc)
	}
	if req.Messages[3].ToolCallID != "call_1" {
		t.Fatalf("tool_call_id = %q", req.Messages[3].ToolCallID)
	}
	if string(req.Extra["seed"]) != "7" || req.Extra["tools"] == nil || len(req.Extra) != 2 {
		t.Fatalf("extra = %v", req.Extra)
	}

	req, err = DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["a","b"],"max_completion_tokens":5}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Stop) != 2 || *req.MaxCompletionTokens != 5 || req.Extra != nil {
		t.Fatalf("decoded %+v", req)
	}
}

func TestDecodeChatRequestErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`[]`, "request body: must be a JSON object"},
		{`null`, "request body: must be a JSON object"},
		{`not json`, "request body: invalid JSON: invalid character 'o' in literal null (expecting 'u')"},
		{`{"messages":[{"role":"user","content":"hi"}]}`, "model: required"},
		{`{"model":"m"}`, "messages: at least one message is required"},
		{`{"model":"m","messages":[]}`, "messages: at least one message is required"},
		{`{"model":3,"messages":[]}`, "model: must be a string, got number"},
		{`{"model":"m","messages":[{"content":"hi"}]}`, "messages[0].role: required"},
		{`{"model":"m","messages":[{"role":"robot","content":"hi"}]}`, `messages[0].role: must be one of system, developer, user, assistant, tool, function, got "robot"`},
		{`{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"user","content":5}]}`, "messages[1].content: must be a string, an array of content parts or null"},
		{`{"model":"m","messages":[{"role":"user"}]}`, "messages[0].content: required"},
		{`{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":"yes"}`, "stream: must be a boolean, got string"},
		{`{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":5}`, "stop: must be a string or an array of strings"},
		{`{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":3}`, "temperature: must be between 0 and 2, got 3"},
		{`{"model":"m","messages":[{"role":"user","content":"hi"}],"top_p":1.5}`, "top_p: must be between 0 and 1, got 1.5"},
		{`{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":0}`, "max_tokens: must be at least 1, got 0"},
	} {
		_, err := DecodeChatRequest([]byte(tc.body))
		if err == nil || err.Error() != tc.want {
			t.Errorf("DecodeChatRequest(%s) error = %v, want %q", tc.body, err, tc.want)
		}
	}
}

func TestMessageMarshalKeepsExtra(t *testing.T) {
	req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"assistant","content":"x","refusal":null,"audio":{"id":"a1"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(req.Messages[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"role":"assistant","content":"x","audio":{"id":"a1"},"refusal":null}`; string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	if !strings.Contains(string(b), "audio") {
		t.Fatal("extra lost")
	}
}
