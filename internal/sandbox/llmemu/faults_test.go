package llmemu

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

func setFault(t *testing.T, e *Emulator, f Fault) {
	t.Helper()
	if err := e.SetFault(f); err != nil {
		t.Fatalf("SetFault(%+v): %v", f, err)
	}
}

func TestFaultKindsOpenAI(t *testing.T) {
	for _, tc := range []struct {
		fault  Fault
		status int
		typ    string
		code   string
	}{
		{Fault{Kind: FaultRateLimit, RetryAfter: 2 * time.Second}, http.StatusTooManyRequests, "requests", "rate_limit_exceeded"},
		{Fault{Kind: FaultServerError}, http.StatusInternalServerError, "server_error", ""},
		{Fault{Kind: FaultUnavailable}, http.StatusServiceUnavailable, "server_error", ""},
		{Fault{Kind: FaultTimeout, Hold: 10 * time.Millisecond}, http.StatusGatewayTimeout, "timeout", ""},
		{Fault{Kind: FaultContextLength}, http.StatusBadRequest, "invalid_request_error", "context_length_exceeded"},
	} {
		t.Run(string(tc.fault.Kind), func(t *testing.T) {
			e, srv := newServer(t, Config{})
			setFault(t, e, tc.fault)
			client := openAIClient(srv)
			for _, stream := range []bool{false, true} {
				var err error
				if stream {
					s := client.Chat.Completions.NewStreaming(context.Background(), chatParams("gpt-4o", 0, "x"))
					for s.Next() {
						t.Errorf("stream: got chunk %s before the fault", s.Current().RawJSON())
					}
					err = s.Err()
				} else {
					_, err = client.Chat.Completions.New(context.Background(), chatParams("gpt-4o", 0, "x"))
				}
				var apiErr *openai.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("stream=%v: error %v is not an *openai.Error", stream, err)
				}
				if apiErr.StatusCode != tc.status || apiErr.Type != tc.typ || apiErr.Code != tc.code || apiErr.Message == "" {
					t.Errorf("stream=%v: %d type %q code %q message %q; want %d %q %q", stream, apiErr.StatusCode,
						apiErr.Type, apiErr.Code, apiErr.Message, tc.status, tc.typ, tc.code)
				}
				if tc.fault.Kind == FaultRateLimit {
					if got := apiErr.Response.Header.Get("Retry-After"); got != "2" {
						t.Errorf("stream=%v: Retry-After %q, want 2", stream, got)
					}
				}
			}
			if got := e.Stats()["gpt-4o"]; got != (ModelStats{Requests: 2, Failed: 2}) {
				t.Errorf("stats = %+v, want 2 failed", got)
			}
		})
	}
}

func TestFaultKindsAnthropic(t *testing.T) {
	for _, tc := range []struct {
		fault  Fault
		status int
		typ    string
		msg    string
	}{
		{Fault{Kind: FaultRateLimit, RetryAfter: time.Second}, http.StatusTooManyRequests, "rate_limit_error", "rate limit"},
		{Fault{Kind: FaultServerError}, http.StatusInternalServerError, "api_error", "Internal server error"},
		{Fault{Kind: FaultUnavailable}, http.StatusServiceUnavailable, "overloaded_error", "Overloaded"},
		{Fault{Kind: FaultTimeout, Hold: 10 * time.Millisecond}, http.StatusGatewayTimeout, "timeout_error", "timed out"},
		{Fault{Kind: FaultContextLength}, http.StatusBadRequest, "invalid_request_error", "prompt is too long"},
	} {
		t.Run(string(tc.fault.Kind), func(t *testing.T) {
			e, srv := newServer(t, Config{})
			setFault(t, e, tc.fault)
			for _, stream := range []bool{false, true} {
				resp, body := do(t, http.MethodPost, srv.URL+"/anthropic/v1/messages",
					`{"model":"claude-x","max_tokens":9,"stream":`+strconv.FormatBool(stream)+`,"messages":[{"role":"user","content":"x"}]}`, anthropicAuth)
				var eb struct {
					Type  string
					Error struct{ Type, Message string }
				}
				if err := json.Unmarshal([]byte(body), &eb); err != nil || resp.StatusCode != tc.status || eb.Type != "error" ||
					eb.Error.Type != tc.typ || !strings.Contains(eb.Error.Message, tc.msg) {
					t.Errorf("stream=%v: %d %s; want %d %s %q", stream, resp.StatusCode, body, tc.status, tc.typ, tc.msg)
				}
				if tc.fault.Kind == FaultRateLimit && resp.Header.Get("Retry-After") != "1" {
					t.Errorf("Retry-After %q, want 1", resp.Header.Get("Retry-After"))
				}
			}
			// The SDK's view.
			_, err := anthropicClient(srv).Messages.New(context.Background(), messageParams("claude-x", 9, "", "x"))
			var apiErr *anthropic.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Errorf("SDK error %v, want an *anthropic.Error with status %d", err, tc.status)
			}
		})
	}
}

func TestFaultCountAndModel(t *testing.T) {
	e, srv := newServer(t, Config{})
	setFault(t, e, Fault{Kind: FaultUnavailable, Model: "first", Count: 2})
	client := openAIClient(srv)
	call := func(model string) int {
		_, err := client.Chat.Completions.New(context.Background(), chatParams(model, 0, "x"))
		var apiErr *openai.Error
		if errors.As(err, &apiErr) {
			return apiErr.StatusCode
		}
		if err != nil {
			t.Fatal(err)
		}
		return http.StatusOK
	}
	got := []int{call("second"), call("first"), call("second"), call("first"), call("first")}
	want := []int{200, 503, 200, 503, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v: the fault hits only model first, twice", got, want)
		}
	}
	if _, remaining, ok := e.CurrentFault(); !ok || remaining != 0 {
		t.Errorf("CurrentFault remaining %d, %v; want a spent fault", remaining, ok)
	}
	stats := e.Stats()
	if stats["first"] != (ModelStats{Requests: 3, Served: 1, Failed: 2}) || stats["second"] != (ModelStats{Requests: 2, Served: 2}) {
		t.Errorf("stats = %+v", stats)
	}
	e.ClearFault()
	e.ResetStats()
	if len(e.Stats()) != 0 {
		t.Errorf("stats after reset = %+v", e.Stats())
	}
}

func TestFaultRate(t *testing.T) {
	e, srv := newServer(t, Config{})
	setFault(t, e, Fault{Kind: FaultServerError, Rate: 0.5})
	failed := 0
	const n = 400
	for range n {
		resp, _ := do(t, http.MethodPost, srv.URL+"/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"x"}]}`, bearer)
		if resp.StatusCode == http.StatusInternalServerError {
			failed++
		}
	}
	if failed < n/4 || failed > 3*n/4 {
		t.Errorf("%d of %d failed at rate 0.5", failed, n)
	}
}

func TestTimeoutFaultHoldsUntilClientGivesUp(t *testing.T) {
	e, srv := newServer(t, Config{})
	setFault(t, e, Fault{Kind: FaultTimeout})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := openAIClient(srv).Chat.Completions.New(ctx, chatParams("m", 0, "x"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) < 200*time.Millisecond {
		t.Errorf("after %v: error %v, want the client's deadline", time.Since(start), err)
	}
}

func TestLatency(t *testing.T) {
	e, srv := newServer(t, Config{})
	const ttft, tps = 150 * time.Millisecond, 50.0 // 20ms between tokens
	if err := e.SetLatency(Latency{TimeToFirstToken: ttft, TokensPerSecond: tps}); err != nil {
		t.Fatal(err)
	}
	p := chatParams("m", 6, "x")
	start := time.Now()
	s := openAIClient(srv).Chat.Completions.NewStreaming(context.Background(), p)
	var arrivals []time.Duration
	for s.Next() {
		if len(s.Current().Choices) > 0 && s.Current().Choices[0].Delta.Content != "" {
			arrivals = append(arrivals, time.Since(start))
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(arrivals) != 6 {
		t.Fatalf("%d content chunks, want 6", len(arrivals))
	}
	if arrivals[0] < ttft {
		t.Errorf("first token after %v, want at least the time to first token %v", arrivals[0], ttft)
	}
	// 5 gaps of 20ms: the last token comes at least 100ms after the first (generous: no upper bound
	// tighter than a second).
	if spread := arrivals[5] - arrivals[0]; spread < 90*time.Millisecond || spread > time.Second {
		t.Errorf("tokens spread over %v, want about 100ms (%v)", spread, arrivals)
	}

	start = time.Now()
	if _, err := anthropicClient(srv).Messages.New(context.Background(), messageParams("c", 6, "", "x")); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < ttft+90*time.Millisecond {
		t.Errorf("plain response after %v, want at least %v", d, ttft+100*time.Millisecond)
	}
}
