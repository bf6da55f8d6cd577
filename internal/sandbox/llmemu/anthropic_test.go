package llmemu

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
)

func messageParams(model string, maxTokens int64, system string, user ...string) anthropic.MessageNewParams {
	p := anthropic.MessageNewParams{Model: model, MaxTokens: maxTokens}
	if system != "" {
		p.System = []anthropic.TextBlockParam{{Text: system}}
	}
	for _, u := range user {
		p.Messages = append(p.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(u)))
	}
	return p
}

func TestMessageWithAnthropicSDK(t *testing.T) {
	_, srv := newServer(t, Config{})
	client := anthropicClient(srv)
	msg, err := client.Messages.New(context.Background(), messageParams("claude-sonnet-4-5", 1024, "Be brief.", "Hello, Claude"))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	contents := []string{"Be brief.", "Hello, Claude"}
	want, n := Reply("claude-sonnet-4-5", contents, 1024)
	if !strings.HasPrefix(msg.ID, "msg_") || msg.Type != "message" || msg.Role != "assistant" || msg.Model != "claude-sonnet-4-5" {
		t.Errorf("id, type, role, model = %q, %q, %q, %q", msg.ID, msg.Type, msg.Role, msg.Model)
	}
	if len(msg.Content) != 1 || msg.Content[0].Type != "text" || msg.Content[0].Text != want {
		t.Errorf("content = %+v, want one text block %q", msg.Content, want)
	}
	if msg.StopReason != anthropic.StopReasonEndTurn {
		t.Errorf("stop_reason = %q, want end_turn", msg.StopReason)
	}
	if msg.Usage.InputTokens != int64(PromptTokens(contents...)) || msg.Usage.OutputTokens != int64(n) {
		t.Errorf("usage = %d in, %d out; want %d, %d", msg.Usage.InputTokens, msg.Usage.OutputTokens, PromptTokens(contents...), n)
	}
}

func TestMessageHonoursMaxTokens(t *testing.T) {
	_, srv := newServer(t, Config{})
	msg, err := anthropicClient(srv).Messages.New(context.Background(), messageParams("claude-haiku-4-5", 6, "", "Count to ten."))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Reply("claude-haiku-4-5", []string{"Count to ten."}, 6)
	if msg.Usage.OutputTokens != 6 || msg.StopReason != anthropic.StopReasonMaxTokens || msg.Content[0].Text != want {
		t.Errorf("got %q (%d tokens, %s); want %q (6 tokens, max_tokens)", msg.Content[0].Text, msg.Usage.OutputTokens, msg.StopReason, want)
	}
}

func TestMessageStreamAccumulates(t *testing.T) {
	_, srv := newServer(t, Config{})
	stream := anthropicClient(srv).Messages.NewStreaming(context.Background(), messageParams("claude-sonnet-4-5", 100, "sys", "Stream, please."))
	var msg anthropic.Message
	var types []string
	for stream.Next() {
		ev := stream.Current()
		if len(types) == 0 || types[len(types)-1] != ev.Type {
			types = append(types, ev.Type)
		}
		if err := msg.Accumulate(ev); err != nil {
			t.Fatalf("Accumulate(%s): %v", ev.RawJSON(), err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	// The SDK passes on every event but ping (TestMessageStreamWireFormat checks the ping).
	wantTypes := "message_start content_block_start content_block_delta content_block_stop message_delta message_stop"
	if got := strings.Join(types, " "); got != wantTypes {
		t.Errorf("event sequence %q, want %q", got, wantTypes)
	}
	contents := []string{"sys", "Stream, please."}
	want, n := Reply("claude-sonnet-4-5", contents, 100)
	if len(msg.Content) != 1 || msg.Content[0].Text != want {
		t.Errorf("accumulated content %+v, want %q", msg.Content, want)
	}
	if msg.StopReason != anthropic.StopReasonEndTurn || msg.Usage.OutputTokens != int64(n) || msg.Usage.InputTokens != int64(PromptTokens(contents...)) {
		t.Errorf("stop_reason %q, usage %d in %d out", msg.StopReason, msg.Usage.InputTokens, msg.Usage.OutputTokens)
	}
}

func TestMessageStreamWireFormat(t *testing.T) {
	_, srv := newServer(t, Config{})
	resp, body := do(t, http.MethodPost, srv.URL+"/anthropic/v1/messages",
		`{"model":"claude-haiku-4-5","max_tokens":2,"stream":true,"system":"s","messages":[{"role":"user","content":"hi"}]}`, anthropicAuth)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var names []string
	for _, ev := range strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n") {
		lines := strings.Split(ev, "\n")
		name, ok1 := strings.CutPrefix(lines[0], "event: ")
		names = append(names, name)
		data, ok2 := strings.CutPrefix(lines[len(lines)-1], "data: ")
		var payload struct{ Type string }
		if len(lines) != 2 || !ok1 || !ok2 || json.Unmarshal([]byte(data), &payload) != nil || payload.Type != name {
			t.Errorf("event %q: want an event: line and a data: line of the same type", ev)
		}
	}
	want := "message_start content_block_start ping content_block_delta content_block_delta content_block_stop message_delta message_stop"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("events %q, want %q", got, want)
	}
	if !strings.Contains(body, `"stop_reason":"max_tokens"`) || !strings.Contains(body, `"output_tokens":2}`) {
		t.Errorf("stream lacks max_tokens stop and 2 output tokens:\n%s", body)
	}
}

func TestMessageRequiresHeaders(t *testing.T) {
	_, srv := newServer(t, Config{})
	body := `{"model":"c","max_tokens":5,"messages":[{"role":"user","content":"x"}]}`
	for _, tc := range []struct {
		header map[string]string
		status int
		typ    string
	}{
		{map[string]string{"Anthropic-Version": "2023-06-01"}, http.StatusUnauthorized, "authentication_error"},
		{map[string]string{"Anthropic-Version": "2023-06-01", "Authorization": "Bearer "}, http.StatusUnauthorized, "authentication_error"},
		{map[string]string{"X-Api-Key": "k"}, http.StatusBadRequest, "invalid_request_error"},
	} {
		resp, got := do(t, http.MethodPost, srv.URL+"/anthropic/v1/messages", body, tc.header)
		var e struct {
			Type  string
			Error struct{ Type, Message string }
		}
		if err := json.Unmarshal([]byte(got), &e); err != nil || resp.StatusCode != tc.status || e.Type != "error" ||
			e.Error.Type != tc.typ || e.Error.Message == "" {
			t.Errorf("headers %v: %d %s; want %d %s", tc.header, resp.StatusCode, got, tc.status, tc.typ)
		}
	}
	for req, field := range map[string]string{
		`{"max_tokens":5,"messages":[{"role":"user","content":"x"}]}`: "model",
		`{"model":"c","messages":[{"role":"user","content":"x"}]}`:    "max_tokens",
		`{"model":"c","max_tokens":5,"messages":[]}`:                  "messages",
	} {
		resp, got := do(t, http.MethodPost, srv.URL+"/anthropic/v1/messages", req, anthropicAuth)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, `"message":"`+field+`:`) {
			t.Errorf("%s: %d %s; want 400 naming %s", req, resp.StatusCode, got, field)
		}
	}
}
