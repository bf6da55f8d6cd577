package translate

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
)

func TestAnthropicRequestBody(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		stream   bool
		want     string
	}{
		{
			name: "system, stop, defaults",
			in:   `{"model":"smart","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Answer in French."}]},{"role":"user","content":"Hello"}],"stop":"END","temperature":0.3,"top_p":0.9,"user":"tenant-a"}`,
			want: `{"model":"claude-sonnet-4-5","system":"Be brief.\n\nAnswer in French.","messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],"max_tokens":4096,"stop_sequences":["END"],"temperature":0.3,"top_p":0.9,"metadata":{"user_id":"tenant-a"}}`,
		},
		{
			name:   "max_completion_tokens wins, stream",
			in:     `{"model":"smart","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":"Bye"}],"max_tokens":10,"max_completion_tokens":20}`,
			stream: true,
			want:   `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},{"role":"assistant","content":[{"type":"text","text":"Hello!"}]},{"role":"user","content":[{"type":"text","text":"Bye"}]}],"max_tokens":20,"stream":true}`,
		},
		{
			name: "max_tokens",
			in:   `{"model":"smart","messages":[{"role":"user","content":"Hi"}],"max_tokens":10}`,
			want: `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],"max_tokens":10}`,
		},
		{
			name: "images",
			in:   `{"model":"smart","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}`,
			want: `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}],"max_tokens":4096}`,
		},
		{
			name: "tools",
			in: `{"model":"smart","messages":[{"role":"user","content":"Weather in Paris and Rome?"},
				{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_01","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"toolu_02","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
				{"role":"tool","tool_call_id":"toolu_01","content":"18C"},{"role":"tool","tool_call_id":"toolu_02","content":"24C"}],
				"tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
				"tool_choice":"required"}`,
			want: `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_02","name":"get_weather","input":{"city":"Rome"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18C"},{"type":"tool_result","tool_use_id":"toolu_02","content":"24C"}]}],"max_tokens":4096,"tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],"tool_choice":{"type":"any"}}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := DecodeChatRequest([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			b, err := For("anthropic").RequestBody(req, "claude-sonnet-4-5", tc.stream)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("\n got %s\nwant %s", b, tc.want)
			}
		})
	}

	req, _ := DecodeChatRequest([]byte(`{"model":"smart","messages":[{"role":"system","content":"only a system prompt"}]}`))
	if _, err := For("anthropic").RequestBody(req, "claude", false); err == nil || !strings.Contains(err.Error(), "messages") {
		t.Errorf("err = %v", err)
	}
	req, _ = DecodeChatRequest([]byte(`{"model":"smart","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}`))
	if _, err := For("anthropic").RequestBody(req, "claude", false); err == nil || !strings.Contains(err.Error(), `messages[0].content: content part type "input_audio"`) {
		t.Errorf("err = %v", err)
	}

	h := http.Header{}
	tr := For("anthropic")
	tr.SetHeaders(h, "sk-ant-test")
	if h.Get("x-api-key") != "sk-ant-test" || h.Get("anthropic-version") != "2023-06-01" || h.Get("Content-Type") != "application/json" || h.Get("Authorization") != "" {
		t.Errorf("headers = %v", h)
	}
	if tr.Path() != "/messages" {
		t.Errorf("Path() = %q", tr.Path())
	}
}

func TestAnthropicResponseBody(t *testing.T) {
	for _, tc := range []struct {
		name, body     string
		content        string
		finish         string
		usage          Usage
		toolCall, args string
	}{
		{
			name:    "text end_turn",
			body:    `{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello! "},{"type":"text","text":"How can I help?"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9,"service_tier":"standard"}}`,
			content: "Hello! How can I help?", finish: "stop", usage: Usage{12, 9},
		},
		{
			name:    "stop sequence with cached prompt",
			body:    `{"id":"msg_02","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[{"type":"text","text":"One, two"}],"stop_reason":"stop_sequence","stop_sequence":"three","usage":{"input_tokens":4,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":5}}`,
			content: "One, two", finish: "stop", usage: Usage{1104, 5},
		},
		{
			name:    "max tokens",
			body:    `{"id":"msg_03","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Once upon"}],"stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":2}}`,
			content: "Once upon", finish: "length", usage: Usage{10, 2},
		},
		{
			name:    "tool use",
			body:    `{"id":"msg_04","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":384,"output_tokens":58}}`,
			content: "Let me check.", finish: "tool_calls", usage: Usage{384, 58},
			toolCall: "get_weather", args: `{"location":"San Francisco, CA"}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, u, err := For("anthropic").ResponseBody([]byte(tc.body), "smart")
			if err != nil {
				t.Fatal(err)
			}
			if u != tc.usage {
				t.Errorf("usage = %+v, want %+v", u, tc.usage)
			}
			var c openai.ChatCompletion
			if err := json.Unmarshal(out, &c); err != nil {
				t.Fatal(err)
			}
			ch := c.Choices[0]
			if c.Object != "chat.completion" || c.Model != "smart" || ch.Message.Role != "assistant" || ch.Message.Content != tc.content || ch.FinishReason != tc.finish {
				t.Errorf("completion = %s", out)
			}
			if c.Usage.PromptTokens != tc.usage.InputTokens || c.Usage.CompletionTokens != tc.usage.OutputTokens || c.Usage.TotalTokens != tc.usage.Total() {
				t.Errorf("usage = %+v", c.Usage)
			}
			if tc.toolCall != "" {
				if len(ch.Message.ToolCalls) != 1 || ch.Message.ToolCalls[0].Function.Name != tc.toolCall || ch.Message.ToolCalls[0].Function.Arguments != tc.args || ch.Message.ToolCalls[0].ID == "" {
					t.Errorf("tool calls = %s", out)
				}
			}
		})
	}
	if _, _, err := For("anthropic").ResponseBody([]byte(`{"type":"error","error":{"type":"api_error","message":"x"}}`), "smart"); err == nil {
		t.Error("want an error for an error body")
	}
}

// Anthropic's documented stream, ping and message_delta usage included.
const anthropicTranscript = `event: message_start
data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Here"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" is a \"quote\"."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_stop
data: {"type":"message_stop"}`

const anthropicToolTranscript = `event: message_start
data: {"type":"message_start","message":{"id":"msg_01T1x1fJ34qAmk2tNTrN7Up6","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_sequence":null,"usage":{"input_tokens":472,"cache_read_input_tokens":28,"output_tokens":2},"content":[],"stop_reason":null}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let me check."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San Francisco, CA\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}`

func TestAnthropicStream(t *testing.T) {
	for _, tc := range []struct {
		name, transcript, text, finish string
		usage                          Usage
		args                           string
	}{
		{"text", anthropicTranscript, `Here is a "quote".`, "length", Usage{472, 15}, ""},
		{"tool use", anthropicToolTranscript, "Okay, let me check.", "tool_calls", Usage{500, 89}, `{"location": "San Francisco, CA"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := For("anthropic").NewStream("smart")
			got, chunks := runStream(t, st, tc.transcript)
			if chunks[0].Choices[0].Delta.Role != "assistant" {
				t.Errorf("first chunk = %+v, want role assistant", chunks[0])
			}
			for _, c := range chunks {
				if c.Model != "smart" || c.ID == "" || c.Object != "chat.completion.chunk" {
					t.Errorf("chunk = %+v", c)
				}
			}
			ch := got.Choices[0]
			if ch.Message.Content != tc.text || ch.FinishReason != tc.finish {
				t.Errorf("accumulated content %q finish %q", ch.Message.Content, ch.FinishReason)
			}
			if st.Usage() != tc.usage {
				t.Errorf("Usage() = %+v, want %+v", st.Usage(), tc.usage)
			}
			if got.Usage.PromptTokens != tc.usage.InputTokens || got.Usage.CompletionTokens != tc.usage.OutputTokens || got.Usage.TotalTokens != tc.usage.Total() {
				t.Errorf("accumulated usage = %+v", got.Usage)
			}
			if tc.args != "" {
				if len(ch.Message.ToolCalls) != 1 || ch.Message.ToolCalls[0].Function.Arguments != tc.args ||
					ch.Message.ToolCalls[0].Function.Name != "get_weather" || ch.Message.ToolCalls[0].ID != "toolu_01T1x1fJ34qAmk2tNTrN7Up6" {
					t.Errorf("tool calls = %+v", ch.Message.ToolCalls)
				}
			}
		})
	}
}

func TestAnthropicStreamErrorEvent(t *testing.T) {
	st := For("anthropic").NewStream("smart")
	_, _, err := st.Event("error", []byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))
	var info *ErrorInfo
	ok := errors.As(err, &info)
	if !ok || info.Class != ClassServerError || info.Message != "Overloaded" {
		t.Fatalf("err = %#v", err)
	}
	if _, _, err := st.Event("message_start", []byte(`{not json`)); err == nil {
		t.Fatal("want an error for a malformed event")
	}
}

func TestAnthropicErrorClass(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		class, msg string
		retryAfter time.Duration
	}{
		{"rate limit", 429, http.Header{"Retry-After": {"12"}}, `{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization of 50 requests per minute."}}`, ClassRateLimit, "This request would exceed the rate limit", 12 * time.Second},
		{"overloaded", 529, nil, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, ClassServerError, "Overloaded", 0},
		{"prompt too long", 400, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 215378 tokens > 200000 maximum"}}`, ClassContextWindow, "prompt is too long", 0},
		{"input plus max_tokens", 400, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"input length and ` + "`max_tokens`" + ` exceed context limit: 198000 + 8192 > 200000, decrease input length or ` + "`max_tokens`" + ` and try again"}}`, ClassContextWindow, "input length", 0},
		{"invalid request", 400, nil, `{"type":"error","error":{"type":"invalid_request_error","message":"temperature: range: 0..1"}}`, ClassClient, "temperature: range: 0..1", 0},
		{"auth", 401, nil, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, ClassClient, "invalid x-api-key", 0},
		{"not found", 404, nil, `{"type":"error","error":{"type":"not_found_error","message":"model: claude-9"}}`, ClassClient, "model: claude-9", 0},
		{"api error", 500, nil, `{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`, ClassServerError, "Internal server error", 0},
		{"gateway timeout", 504, nil, `{"type":"error","error":{"type":"timeout_error","message":"Request timeout"}}`, ClassTimeout, "Request timeout", 0},
		{"empty 503", 503, nil, ``, ClassServerError, "Service Unavailable", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			info := For("anthropic").ErrorClass(tc.status, h, []byte(tc.body))
			if info.Class != tc.class || !strings.HasPrefix(info.Message, tc.msg) {
				t.Errorf("got %+v, want class %s message %q", info, tc.class, tc.msg)
			}
			if info.RetryAfter != tc.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", info.RetryAfter, tc.retryAfter)
			}
		})
	}
}
