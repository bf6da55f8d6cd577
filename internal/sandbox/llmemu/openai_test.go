package llmemu

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

func chatParams(model string, maxTokens int64, msgs ...string) openai.ChatCompletionNewParams {
	p := openai.ChatCompletionNewParams{Model: model}
	for i, m := range msgs {
		if i == 0 {
			p.Messages = append(p.Messages, openai.SystemMessage(m))
		} else {
			p.Messages = append(p.Messages, openai.UserMessage(m))
		}
	}
	if maxTokens > 0 {
		p.MaxCompletionTokens = openai.Int(maxTokens)
	}
	return p
}

func TestChatCompletionWithOpenAISDK(t *testing.T) {
	_, srv := newServer(t, Config{})
	client := openAIClient(srv)
	msgs := []string{"You are terse.", "Say hello to the sandbox."}
	got, err := client.Chat.Completions.New(context.Background(), chatParams("gpt-4o-mini", 0, msgs...))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	wantText, wantTokens := Reply("gpt-4o-mini", msgs, 0)
	if !strings.HasPrefix(wantText, "Emulated reply from gpt-4o-mini: ") || wantTokens != ReplyTokens {
		t.Fatalf("Reply = %q, %d", wantText, wantTokens)
	}
	if !strings.HasPrefix(got.ID, "chatcmpl-") || got.Object != "chat.completion" || got.Model != "gpt-4o-mini" || got.Created == 0 {
		t.Errorf("id, object, model, created = %q, %q, %q, %d", got.ID, got.Object, got.Model, got.Created)
	}
	if len(got.Choices) != 1 {
		t.Fatalf("%d choices, want 1", len(got.Choices))
	}
	c := got.Choices[0]
	if c.Message.Content != wantText || c.Message.Role != "assistant" || c.FinishReason != "stop" || c.Index != 0 {
		t.Errorf("choice = %+v; want content %q, role assistant, finish stop", c, wantText)
	}
	wantPrompt := PromptTokens(msgs...)
	if wantPrompt != (14+3)/4+3+(25+3)/4+3 {
		t.Errorf("PromptTokens = %d, want ceil(14/4)+3 + ceil(25/4)+3", wantPrompt)
	}
	if u := got.Usage; u.PromptTokens != int64(wantPrompt) || u.CompletionTokens != ReplyTokens || u.TotalTokens != int64(wantPrompt+ReplyTokens) {
		t.Errorf("usage = %+v, want %d + %d", u, wantPrompt, ReplyTokens)
	}
}

func TestChatCompletionIsDeterministic(t *testing.T) {
	_, srv := newServer(t, Config{})
	client := openAIClient(srv)
	p := chatParams("mistral-large-latest", 0, "sys", "What is two plus two?")
	a, err := client.Chat.Completions.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := client.Chat.Completions.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Choices[0].Message.Content != b.Choices[0].Message.Content || a.Usage.RawJSON() != b.Usage.RawJSON() {
		t.Errorf("same request, different answers:\n%q %s\n%q %s", a.Choices[0].Message.Content, a.Usage.RawJSON(),
			b.Choices[0].Message.Content, b.Usage.RawJSON())
	}
	other, err := client.Chat.Completions.New(context.Background(), chatParams("mistral-large-latest", 0, "sys", "What is three plus three?"))
	if err != nil {
		t.Fatal(err)
	}
	if other.Choices[0].Message.Content == a.Choices[0].Message.Content {
		t.Errorf("different prompts gave the same reply %q", a.Choices[0].Message.Content)
	}
}

func TestChatCompletionHonoursMaxTokens(t *testing.T) {
	_, srv := newServer(t, Config{})
	client := openAIClient(srv)
	for _, tc := range []struct {
		name   string
		params func() openai.ChatCompletionNewParams
		want   int64
		finish string
	}{
		{"max_completion_tokens", func() openai.ChatCompletionNewParams { return chatParams("gpt-4o", 5, "s", "u") }, 5, "length"},
		{"max_tokens", func() openai.ChatCompletionNewParams {
			p := chatParams("gpt-4o", 0, "s", "u")
			p.MaxTokens = openai.Int(2)
			return p
		}, 2, "length"},
		{"large limit", func() openai.ChatCompletionNewParams { return chatParams("gpt-4o", 1000, "s", "u") }, ReplyTokens, "stop"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := client.Chat.Completions.New(context.Background(), tc.params())
			if err != nil {
				t.Fatal(err)
			}
			text, n := Reply("gpt-4o", []string{"s", "u"}, int(tc.want))
			if got.Usage.CompletionTokens != tc.want || int64(n) != tc.want || got.Choices[0].Message.Content != text ||
				got.Choices[0].FinishReason != tc.finish {
				t.Errorf("got %q (%d tokens, %s); want %q (%d tokens, %s)", got.Choices[0].Message.Content,
					got.Usage.CompletionTokens, got.Choices[0].FinishReason, text, tc.want, tc.finish)
			}
		})
	}
	if got := len(strings.Fields(mustReply("gpt-4o", 3))); got != 3 {
		t.Errorf("a 3-token reply has %d words", got)
	}
}

func mustReply(model string, maxTokens int) string {
	text, _ := Reply(model, []string{"x"}, maxTokens)
	return text
}

func TestChatCompletionStreamWithAccumulator(t *testing.T) {
	_, srv := newServer(t, Config{})
	client := openAIClient(srv)
	msgs := []string{"sys", "Stream me something."}
	p := chatParams("deepseek-chat", 0, msgs...)
	p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := client.Chat.Completions.NewStreaming(context.Background(), p)
	var acc openai.ChatCompletionAccumulator
	chunks, finished := 0, false
	for stream.Next() {
		chunk := stream.Current()
		if chunk.Object != "chat.completion.chunk" || chunk.Model != "deepseek-chat" || !strings.HasPrefix(chunk.ID, "chatcmpl-") {
			t.Errorf("chunk %d: object, model, id = %q, %q, %q", chunks, chunk.Object, chunk.Model, chunk.ID)
		}
		if !acc.AddChunk(chunk) {
			t.Fatalf("accumulator refused chunk %d: %s", chunks, chunk.RawJSON())
		}
		if _, ok := acc.JustFinishedContent(); ok {
			finished = true
		}
		chunks++
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("stream: %v", err)
	}
	want, n := Reply("deepseek-chat", msgs, 0)
	if got := acc.Choices[0].Message.Content; got != want {
		t.Errorf("accumulated %q, want %q", got, want)
	}
	if !finished || acc.Choices[0].FinishReason != "stop" {
		t.Errorf("finished = %v, finish_reason = %q", finished, acc.Choices[0].FinishReason)
	}
	// role chunk + one per token + finish chunk + usage chunk
	if chunks != n+3 {
		t.Errorf("%d chunks, want %d", chunks, n+3)
	}
	if u := acc.Usage; u.PromptTokens != int64(PromptTokens(msgs...)) || u.CompletionTokens != int64(n) || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("usage = %+v", u)
	}
}

func TestChatCompletionStreamWireFormat(t *testing.T) {
	_, srv := newServer(t, Config{})
	resp, body := do(t, http.MethodPost, srv.URL+"/v1/chat/completions",
		`{"model":"m\"x","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"stream":true,"max_tokens":4}`, bearer)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n")
	if last := events[len(events)-1]; last != "data: [DONE]" {
		t.Errorf("last event %q, want data: [DONE]", last)
	}
	var text strings.Builder
	for _, ev := range events[:len(events)-1] {
		var chunk struct {
			Model   string
			Choices []struct {
				Delta        struct{ Content string }
				FinishReason *string `json:"finish_reason"`
			}
			Usage *json.RawMessage
		}
		data, ok := strings.CutPrefix(ev, "data: ")
		if !ok {
			t.Fatalf("event %q has no data: prefix", ev)
		}
		if err := json.Unmarshal([]byte(data), &chunk); err != nil {
			t.Fatalf("chunk %q: %v", data, err)
		}
		if chunk.Model != `m"x` || chunk.Usage != nil {
			t.Errorf("chunk %s: model %q, usage %v; want the requested model and no usage", data, chunk.Model, chunk.Usage)
		}
		text.WriteString(chunk.Choices[0].Delta.Content)
	}
	if want := `Emulated reply from m"x:`; text.String() != want {
		t.Errorf("streamed text %q, want %q", text.String(), want)
	}
	if !strings.Contains(events[len(events)-2], `"finish_reason":"length"`) {
		t.Errorf("last chunk %q lacks finish_reason length", events[len(events)-2])
	}
}

func TestChatCompletionRequiresBearerToken(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, auth := range []string{"", "Bearer ", "Basic abc"} {
		resp, body := do(t, http.MethodPost, srv.URL+"/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"x"}]}`,
			map[string]string{"Authorization": auth})
		var e struct {
			Error struct {
				Message, Type string
				Param, Code   *string
			}
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != http.StatusUnauthorized ||
			e.Error.Message == "" || e.Error.Type != "invalid_request_error" || !strings.Contains(body, `"param":null`) {
			t.Errorf("Authorization %q: %d %s (%v)", auth, resp.StatusCode, body, err)
		}
	}
	client := openai.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey(""), option.WithMaxRetries(0))
	_, err := client.Chat.Completions.New(context.Background(), chatParams("m", 0, "x"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Errorf("SDK error = %v, want a 401 *openai.Error", err)
	}
}

func TestChatCompletionRejectsBadRequests(t *testing.T) {
	_, srv := newServer(t, Config{})
	for body, param := range map[string]string{
		`{"messages":[{"role":"user","content":"x"}]}`:                            "model",
		`{"model":"m","messages":[]}`:                                             "messages",
		`{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":0}`: "max_tokens",
		`{"model":"m","messages":[{"role":"user","content":7}]}`:                  "",
		`not json`: "",
	} {
		resp, got := do(t, http.MethodPost, srv.URL+"/v1/chat/completions", body, bearer)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, `"type":"invalid_request_error"`) ||
			(param != "" && !strings.Contains(got, `"param":"`+param+`"`)) {
			t.Errorf("%s: %d %s; want 400 naming param %q", body, resp.StatusCode, got, param)
		}
	}
	resp, _ := do(t, http.MethodGet, srv.URL+"/v1/chat/completions", "", bearer)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/chat/completions: %d, want 405", resp.StatusCode)
	}
}

func TestModelsList(t *testing.T) {
	_, srv := newServer(t, Config{Models: []string{"a", "b"}})
	client := openAIClient(srv)
	page, err := client.Models.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 2 || page.Data[0].ID != "a" || page.Data[1].ID != "b" || page.Data[0].Object != "model" {
		t.Errorf("models = %+v", page.Data)
	}
	m, err := client.Models.Get(context.Background(), "anything")
	if err != nil || m.ID != "anything" {
		t.Errorf("Get(anything) = %+v, %v", m, err)
	}
}
