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

// sseEvents splits an SSE transcript into (event, data) pairs.
func sseEvents(t testing.TB, transcript string) [][2]string {
	t.Helper()
	var out [][2]string
	for _, block := range strings.Split(strings.TrimSpace(transcript), "\n\n") {
		var ev, data string
		for _, line := range strings.Split(block, "\n") {
			switch {
			case strings.HasPrefix(line, "event:"):
				ev = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				data = strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
			}
		}
		out = append(out, [2]string{ev, data})
	}
	return out
}

// runStream feeds a transcript through a stream translator and accumulates the chunks (and the
// usage chunk) with openai-go, as an SDK client of the gateway would.
func runStream(t *testing.T, st StreamTranslator, transcript string) (openai.ChatCompletion, []openai.ChatCompletionChunk) {
	t.Helper()
	var acc openai.ChatCompletionAccumulator
	var chunks []openai.ChatCompletionChunk
	add := func(payload []byte) {
		var c openai.ChatCompletionChunk
		if err := json.Unmarshal(payload, &c); err != nil {
			t.Fatalf("openai-go cannot parse chunk %s: %v", payload, err)
		}
		if !acc.AddChunk(c) {
			t.Fatalf("openai-go accumulator rejected chunk %s", payload)
		}
		chunks = append(chunks, c)
	}
	done := false
	for _, ev := range sseEvents(t, transcript) {
		if done {
			t.Fatalf("event after done: %v", ev)
		}
		out, d, err := st.Event(ev[0], []byte(ev[1]))
		if err != nil {
			t.Fatalf("Event(%q, %s): %v", ev[0], ev[1], err)
		}
		for _, c := range out {
			add(c)
		}
		done = d
	}
	if !done {
		t.Fatal("stream not done")
	}
	add(st.UsageChunk())
	return acc.ChatCompletion, chunks
}

// A real gpt-4o-mini stream with stream_options.include_usage.
const openAITranscript = `data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":"! How can I \"help\"?"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

data: {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk","created":1741570283,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}

data: [DONE]`

// Mistral puts usage on the finish chunk instead of a separate one.
const mistralTranscript = `data: {"id":"cf5b4b5ed1f4466c9d53bce6b9da2b63","object":"chat.completion.chunk","created":1741570400,"model":"mistral-small-latest","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"cf5b4b5ed1f4466c9d53bce6b9da2b63","object":"chat.completion.chunk","created":1741570400,"model":"mistral-small-latest","choices":[{"index":0,"delta":{"content":"Bonjour"},"finish_reason":null}]}

data: {"id":"cf5b4b5ed1f4466c9d53bce6b9da2b63","object":"chat.completion.chunk","created":1741570400,"model":"mistral-small-latest","choices":[{"index":0,"delta":{"content":"."},"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"total_tokens":10,"completion_tokens":3}}

data: [DONE]`

func TestOpenAIStream(t *testing.T) {
	for _, tc := range []struct {
		name, transcript, text string
		chunks                 int
		usage                  Usage
	}{
		{"openai with usage chunk", openAITranscript, `Hello! How can I "help"?`, 4, Usage{9, 9}},
		{"mistral usage on finish chunk", mistralTranscript, "Bonjour.", 3, Usage{7, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := For("openai").NewStream("fast")
			got, chunks := runStream(t, st, tc.transcript)
			if n := len(chunks) - 1; n != tc.chunks {
				t.Errorf("got %d chunks before the usage chunk, want %d", n, tc.chunks)
			}
			for _, c := range chunks {
				if c.Model != "fast" {
					t.Errorf("chunk model = %q, want the client's model", c.Model)
				}
			}
			if got.Choices[0].Message.Content != tc.text {
				t.Errorf("content = %q, want %q", got.Choices[0].Message.Content, tc.text)
			}
			if got.Choices[0].FinishReason != "stop" {
				t.Errorf("finish_reason = %q", got.Choices[0].FinishReason)
			}
			if st.Usage() != tc.usage {
				t.Errorf("Usage() = %+v, want %+v", st.Usage(), tc.usage)
			}
			last := chunks[len(chunks)-1]
			if len(last.Choices) != 0 || last.Usage.PromptTokens != tc.usage.InputTokens || last.Usage.TotalTokens != tc.usage.Total() {
				t.Errorf("usage chunk = %+v", last)
			}
		})
	}
}

func TestOpenAIStreamErrorEvent(t *testing.T) {
	st := For("openai").NewStream("fast")
	_, _, err := st.Event("", []byte(`{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}`))
	var info *ErrorInfo
	ok := errors.As(err, &info)
	if !ok || info.Class != ClassServerError || !strings.HasPrefix(info.Message, "The server had an error") {
		t.Fatalf("err = %#v", err)
	}
}

func TestOpenAIRequestBody(t *testing.T) {
	req, err := DecodeChatRequest([]byte(`{"model":"fast","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":false},"temperature":0.5,"stop":"END","seed":1,"response_format":{"type":"json_object"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tr := For("openai")
	for _, tc := range []struct {
		stream bool
		want   string
	}{
		{true, `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},"temperature":0.5,"stop":["END"],"response_format":{"type":"json_object"},"seed":1}`},
		{false, `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"stop":["END"],"response_format":{"type":"json_object"},"seed":1}`},
	} {
		b, err := tr.RequestBody(req, "gpt-4o-mini", tc.stream)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("stream=%v:\n got %s\nwant %s", tc.stream, b, tc.want)
		}
	}
	h := http.Header{}
	tr.SetHeaders(h, "sk-test")
	if h.Get("Authorization") != "Bearer sk-test" || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", h)
	}
	if tr.Path() != "/chat/completions" {
		t.Errorf("Path() = %q", tr.Path())
	}
}

func TestOpenAIResponseBody(t *testing.T) {
	const body = `{
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "Hello! How can I assist you today?",
        "refusal": null,
        "annotations": []
      },
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 19,
    "completion_tokens": 10,
    "total_tokens": 29,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": "fp_06737a9306"
}`
	out, u, err := For("openai").ResponseBody([]byte(body), "fast")
	if err != nil {
		t.Fatal(err)
	}
	if u != (Usage{19, 10}) || u.Total() != 29 {
		t.Errorf("usage = %+v", u)
	}
	var c openai.ChatCompletion
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatal(err)
	}
	if c.Model != "fast" || c.Choices[0].Message.Content != "Hello! How can I assist you today?" || c.Usage.TotalTokens != 29 {
		t.Errorf("completion = %+v", c)
	}
	if strings.Replace(body, `"gpt-4o-mini-2024-07-18"`, `"fast"`, 1) != string(out) {
		t.Errorf("body changed beyond the model:\n%s", out)
	}

	// A body without a model gets one.
	out, _, err = For("openai").ResponseBody([]byte(`{"id":"x","choices":[]}`), "fast")
	if err != nil || string(out) != `{"model":"fast","id":"x","choices":[]}` {
		t.Errorf("got %s, %v", out, err)
	}
	if _, _, err := For("openai").ResponseBody([]byte(`<html>`), "fast"); err == nil {
		t.Error("want an error for a non-JSON body")
	}
}

func TestOpenAIErrorClass(t *testing.T) {
	future := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	for _, tc := range []struct {
		name       string
		status     int
		header     http.Header
		body       string
		class, msg string
		retryAfter time.Duration
	}{
		{"openai rate limit", 429, http.Header{"Retry-After-Ms": {"1500"}, "Retry-After": {"2"}},
			`{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM): Limit 200000, Used 199800, Requested 450. Please try again in 75ms.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}`,
			ClassRateLimit, "Rate limit reached for gpt-4o-mini", 1500 * time.Millisecond},
		{"retry-after seconds", 429, http.Header{"Retry-After": {"7"}}, `{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}`, ClassRateLimit, "slow down", 7 * time.Second},
		{"retry-after http-date", 429, http.Header{"Retry-After": {future}}, `{"error":{"message":"slow down"}}`, ClassRateLimit, "slow down", 30 * time.Second},
		{"context length", 400, nil,
			`{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}`,
			ClassContextWindow, "This model's maximum context length is 128000 tokens.", 0},
		{"vllm context length", 400, nil,
			`{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}`,
			ClassContextWindow, "This model's maximum context length is 4096 tokens.", 0},
		{"bad request", 400, nil, `{"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}`, ClassClient, "Invalid value for 'temperature'", 0},
		{"auth", 401, nil, `{"error":{"message":"Incorrect API key provided: sk-xx.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`, ClassClient, "Incorrect API key provided", 0},
		{"google array", 429, nil, `[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]`, ClassRateLimit, "Resource has been exhausted", 0},
		{"mistral", 422, nil, `{"object":"error","message":"Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length","type":"invalid_request_message_order","param":null,"code":null}`, ClassContextWindow, "Prompt contains 40000 tokens", 0},
		{"server error", 500, nil, `{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}`, ClassServerError, "The server had an error", 0},
		{"bad gateway html", 502, nil, `<html><body>502 Bad Gateway</body></html>`, ClassServerError, "Bad Gateway", 0},
		{"unavailable", 503, http.Header{"Retry-After": {"1"}}, `{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error"}}`, ClassServerError, "The engine is currently overloaded", time.Second},
		{"gateway timeout", 504, nil, ``, ClassTimeout, "Gateway Timeout", 0},
		{"request timeout", 408, nil, `{"detail":"Request timed out"}`, ClassTimeout, "Request timed out", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			info := For("openai").ErrorClass(tc.status, h, []byte(tc.body))
			if info.Class != tc.class || !strings.HasPrefix(info.Message, tc.msg) || info.Status != tc.status {
				t.Errorf("got %+v, want class %s message %q", info, tc.class, tc.msg)
			}
			if d := info.RetryAfter - tc.retryAfter; d < -time.Second || d > time.Second {
				t.Errorf("RetryAfter = %v, want %v", info.RetryAfter, tc.retryAfter)
			}
		})
	}
}

func TestScanTopLevel(t *testing.T) {
	b := []byte(` { "a" : {"model":"inner","x":[1,"}\"]"]}, "model" : "outer" , "usage":null, "n": -1.5e3, "choices":[ ] }`)
	f, err := scanTopLevel(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b[f.model.start:f.model.end]); got != `"outer"` {
		t.Errorf("model = %s", got)
	}
	if f.usage.found() {
		t.Error("null usage counted as present")
	}
	for _, bad := range []string{``, `[]`, `{"a":`, `{"a" 1}`, `{"a":"x`, `{"a":1`} {
		if _, err := scanTopLevel([]byte(bad)); err == nil {
			t.Errorf("scanTopLevel(%q) succeeded", bad)
		}
	}
}

func BenchmarkOpenAIStreamEvent(b *testing.B) {
	events := sseEvents(b, openAITranscript)
	content := []byte(events[1][1])
	usage := []byte(events[4][1])
	st := For("openai").NewStream("fast")
	b.ReportAllocs()
	b.SetBytes(int64(len(content)))
	b.ResetTimer()
	for i := range b.N {
		data := content
		if i%50 == 49 { // one usage chunk per 50 content chunks
			data = usage
		}
		if _, _, err := st.Event("", data); err != nil {
			b.Fatal(err)
		}
	}
}
