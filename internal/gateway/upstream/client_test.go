package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/translate"
)

const openAICompletion = `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29},"service_tier":"default","system_fingerprint":"fp_06737a9306"}`

const anthropicMessage = `{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":6}}`

const openAISSE = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
	": keep-alive\n\n" +
	"data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}],\"usage\":null}\r\n\r\n" +
	"data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
	"data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n" +
	"data: [DONE]\n\n"

const anthropicSSE = `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}

event: message_stop
data: {"type":"message_stop"}

`

// upstreamServer serves handler and returns a client whose provider name and kind point at it.
func upstreamServer(t *testing.T, name, kind string, handler http.HandlerFunc, opts ...Option) *Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return New(map[string]Provider{name: {Name: name, Kind: kind, BaseURL: srv.URL + "/v1", APIKey: "key-" + name}}, opts...)
}

func chatRequest(t *testing.T, body string) *translate.ChatRequest {
	t.Helper()
	req, err := translate.DecodeChatRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// writeBody writes a canned upstream response. A failed write means the client under test has
// gone away, and the test then fails on the error that client reports, so it is not checked here.
func writeBody(w io.Writer, body string) {
	_, _ = io.WriteString(w, body)
}

func writeSSE(w http.ResponseWriter, transcript string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	for _, part := range strings.SplitAfter(transcript, "\n\n") {
		writeBody(w, part)
		w.(http.Flusher).Flush()
	}
}

func asError(t *testing.T, err error) *Error {
	t.Helper()
	var ue *Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v (%T), want *Error", err, err)
	}
	return ue
}

func TestCompleteOpenAI(t *testing.T) {
	c := upstreamServer(t, "openai", "openai", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer key-openai" || body["model"] != "gpt-4o-mini" || body["stream"] != nil {
			http.Error(w, `{"error":{"message":"bad request from the gateway"}}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		writeBody(w, openAICompletion)
	})
	got, err := c.Complete(context.Background(), "openai", "gpt-4o-mini", "fast", chatRequest(t, `{"model":"fast","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var cc openai.ChatCompletion
	if err := json.Unmarshal(got.Body, &cc); err != nil {
		t.Fatal(err)
	}
	if cc.Model != "fast" || cc.Choices[0].Message.Content != "Hello! How can I assist you today?" {
		t.Errorf("completion = %s", got.Body)
	}
	if got.Usage != (translate.Usage{InputTokens: 19, OutputTokens: 10}) || got.Duration <= 0 {
		t.Errorf("usage %+v duration %v", got.Usage, got.Duration)
	}
}

func TestCompleteAnthropic(t *testing.T) {
	c := upstreamServer(t, "anthropic", "anthropic", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		if r.URL.Path != "/v1/messages" || r.Header.Get("x-api-key") != "key-anthropic" || r.Header.Get("anthropic-version") != "2023-06-01" ||
			body["model"] != "claude-sonnet-4-5" || body["max_tokens"] != float64(4096) || body["system"] != "Be brief." {
			w.WriteHeader(http.StatusBadRequest)
			writeBody(w, `{"type":"error","error":{"type":"invalid_request_error","message":"unexpected request"}}`)
			return
		}
		writeBody(w, anthropicMessage)
	})
	got, err := c.Complete(context.Background(), "anthropic", "claude-sonnet-4-5", "smart",
		chatRequest(t, `{"model":"smart","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var cc openai.ChatCompletion
	if err := json.Unmarshal(got.Body, &cc); err != nil {
		t.Fatal(err)
	}
	if cc.Model != "smart" || cc.Choices[0].Message.Content != "Hello!" || cc.Choices[0].FinishReason != "stop" || cc.Usage.TotalTokens != 18 {
		t.Errorf("completion = %s", got.Body)
	}
	if got.Usage != (translate.Usage{InputTokens: 12, OutputTokens: 6}) {
		t.Errorf("usage %+v", got.Usage)
	}
}

func TestStream(t *testing.T) {
	for _, tc := range []struct {
		kind, transcript, text string
		usage                  translate.Usage
	}{
		{"openai", openAISSE, "Hello", translate.Usage{InputTokens: 5, OutputTokens: 2}},
		{"anthropic", anthropicSSE, "Hi there", translate.Usage{InputTokens: 25, OutputTokens: 3}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			c := upstreamServer(t, tc.kind, tc.kind, func(w http.ResponseWriter, r *http.Request) {
				var body map[string]any
				_ = json.NewDecoder(r.Body).Decode(&body)
				if body["stream"] != true || r.Header.Get("Accept") != "text/event-stream" {
					http.Error(w, "not a stream request", http.StatusBadRequest)
					return
				}
				if tc.kind == "openai" && body["stream_options"].(map[string]any)["include_usage"] != true {
					http.Error(w, "no include_usage", http.StatusBadRequest)
					return
				}
				writeSSE(w, tc.transcript)
			})
			s, err := c.Stream(context.Background(), tc.kind, "upstream-model", "client-model",
				chatRequest(t, `{"model":"client-model","messages":[{"role":"user","content":"hi"}],"stream":true}`))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.TimeToFirstEvent() <= 0 {
				t.Error("TimeToFirstEvent not recorded")
			}
			var acc openai.ChatCompletionAccumulator
			add := func(b []byte) {
				var chunk openai.ChatCompletionChunk
				if err := json.Unmarshal(b, &chunk); err != nil {
					t.Fatal(err)
				}
				if chunk.Model != "client-model" || !acc.AddChunk(chunk) {
					t.Fatalf("chunk %s", b)
				}
			}
			for {
				b, err := s.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				add(b)
			}
			if _, err := s.Next(); !errors.Is(err, io.EOF) {
				t.Errorf("Next after the end = %v, want io.EOF", err)
			}
			add(s.UsageChunk())
			if acc.Choices[0].Message.Content != tc.text || acc.Choices[0].FinishReason != "stop" {
				t.Errorf("accumulated %+v", acc.Choices[0])
			}
			if s.Usage() != tc.usage || acc.Usage.TotalTokens != tc.usage.Total() {
				t.Errorf("usage %+v, accumulated %+v", s.Usage(), acc.Usage)
			}
			if s.Elapsed() <= 0 {
				t.Error("Elapsed")
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

func TestStreamFailsBeforeFirstEvent(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		c := upstreamServer(t, "openai", "openai", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusServiceUnavailable)
			writeBody(w, `{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error"}}`)
		})
		_, err := c.Stream(context.Background(), "openai", "gpt-4o-mini", "fast", chatRequest(t, `{"model":"fast","messages":[{"role":"user","content":"hi"}]}`))
		e := asError(t, err)
		if e.Class != translate.ClassServerError || e.Status != 503 || e.Provider != "openai" || e.RetryAfter != 2*time.Second || !e.Fallback() ||
			e.Message != "The engine is currently overloaded, please try again later" {
			t.Errorf("err = %+v", e)
		}
		if want := "upstream openai: server_error (HTTP 503): The engine is currently overloaded, please try again later"; e.Error() != want {
			t.Errorf("Error() = %q", e.Error())
		}
	})
	t.Run("anthropic overloaded event", func(t *testing.T) {
		c := upstreamServer(t, "anthropic", "anthropic", func(w http.ResponseWriter, r *http.Request) {
			writeSSE(w, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
		})
		_, err := c.Stream(context.Background(), "anthropic", "claude", "smart", chatRequest(t, `{"model":"smart","messages":[{"role":"user","content":"hi"}]}`))
		if e := asError(t, err); e.Class != translate.ClassServerError || e.Message != "Overloaded" {
			t.Errorf("err = %+v", e)
		}
	})
	t.Run("empty 200", func(t *testing.T) {
		c := upstreamServer(t, "openai", "openai", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
		})
		_, err := c.Stream(context.Background(), "openai", "m", "m", chatRequest(t, `{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
		if e := asError(t, err); e.Class != translate.ClassServerError {
			t.Errorf("err = %+v", e)
		}
	})
}

func TestStreamTruncated(t *testing.T) {
	c := upstreamServer(t, "openai", "openai", func(w http.ResponseWriter, r *http.Request) {
		writeSSE(w, strings.SplitAfter(openAISSE, "\n\n")[0])
	})
	s, err := c.Stream(context.Background(), "openai", "m", "m", chatRequest(t, `{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Next()
	if e := asError(t, err); e.Class != translate.ClassServerError || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %+v", e)
	}
}

func TestRateLimitRetryAfter(t *testing.T) {
	date := time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat)
	for _, tc := range []struct {
		kind, retryAfter, body string
		want                   time.Duration
	}{
		{"anthropic", "30", `{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`, 30 * time.Second},
		{"openai", date, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`, 20 * time.Second},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			c := upstreamServer(t, "p", tc.kind, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tc.retryAfter)
				w.WriteHeader(http.StatusTooManyRequests)
				writeBody(w, tc.body)
			})
			_, err := c.Complete(context.Background(), "p", "m", "m", chatRequest(t, `{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
			e := asError(t, err)
			if e.Class != translate.ClassRateLimit || e.Status != 429 {
				t.Errorf("err = %+v", e)
			}
			if d := e.RetryAfter - tc.want; d < -time.Second || d > time.Second {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tc.want)
			}
		})
	}
}

func TestContextWindowNotRetryable(t *testing.T) {
	c := upstreamServer(t, "anthropic", "anthropic", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		writeBody(w, `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 215378 tokens > 200000 maximum"}}`)
	})
	_, err := c.Complete(context.Background(), "anthropic", "claude", "smart", chatRequest(t, `{"model":"smart","messages":[{"role":"user","content":"hi"}]}`))
	if e := asError(t, err); e.Class != translate.ClassContextWindow || e.Fallback() {
		t.Errorf("err = %+v", e)
	}
}

func TestTimeouts(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	req := `{"model":"m","messages":[{"role":"user","content":"hi"}]}`
	t.Run("caller deadline", func(t *testing.T) {
		c := upstreamServer(t, "openai", "openai", slow)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.Complete(ctx, "openai", "m", "m", chatRequest(t, req))
		if e := asError(t, err); e.Class != translate.ClassTimeout || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %+v", e)
		}
	})
	t.Run("response header timeout", func(t *testing.T) {
		c := upstreamServer(t, "openai", "openai", slow, WithResponseHeaderTimeout(100*time.Millisecond))
		_, err := c.Stream(context.Background(), "openai", "m", "m", chatRequest(t, req))
		if e := asError(t, err); e.Class != translate.ClassTimeout || !e.Fallback() {
			t.Errorf("err = %+v", e)
		}
	})
	t.Run("deadline mid-stream", func(t *testing.T) {
		c := upstreamServer(t, "openai", "openai", func(w http.ResponseWriter, r *http.Request) {
			writeSSE(w, strings.SplitAfter(openAISSE, "\n\n")[0])
			slow(w, r)
		})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		s, err := c.Stream(ctx, "openai", "m", "m", chatRequest(t, req))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Next(); err != nil {
			t.Fatal(err)
		}
		_, err = s.Next()
		if e := asError(t, err); e.Class != translate.ClassTimeout {
			t.Errorf("err = %+v", e)
		}
	})
	t.Run("canceled by the caller", func(t *testing.T) {
		c := upstreamServer(t, "openai", "openai", slow)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Complete(ctx, "openai", "m", "m", chatRequest(t, req))
		if e := asError(t, err); e.Class != translate.ClassClient || e.Fallback() {
			t.Errorf("err = %+v", e)
		}
	})
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := New(map[string]Provider{"self-hosted": {Kind: "openai", BaseURL: url}})
	_, err := c.Complete(context.Background(), "self-hosted", "m", "m", chatRequest(t, `{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	if e := asError(t, err); e.Class != translate.ClassServerError || !strings.Contains(e.Message, "cannot reach the upstream") {
		t.Errorf("err = %+v", e)
	}
}

func TestUnknownProvider(t *testing.T) {
	c := New(nil)
	_, err := c.Stream(context.Background(), "self-hosted", "m", "m", chatRequest(t, `{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	e := asError(t, err)
	if e.Class != translate.ClassClient || !strings.Contains(e.Message, "set OCTOLLM_UPSTREAM_SELF_HOSTED_URL") {
		t.Errorf("err = %+v", e)
	}
}

func TestSSEReader(t *testing.T) {
	r := newSSEReader(strings.NewReader(": comment\r\nevent: a\r\ndata: 1\r\ndata:2\r\n\r\nid: 7\n\nevent: b\ndata: " + strings.Repeat("x", 100<<10) + "\n\ndata: last"))
	var got []string
	for {
		ev, data, err := r.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev+"="+string(data[:min(len(data), 5)]))
	}
	if want := []string{"a=1\n2", "b=xxxxx", "=last"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %q, want %q", got, want)
	}
}
