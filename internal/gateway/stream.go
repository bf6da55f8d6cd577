package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/upstream"
)

var (
	sseData = []byte("data: ")
	sseEnd  = []byte("\n\n")
	sseDone = []byte("data: [DONE]\n\n")
)

// stream serves a streamed chat completion as server-sent events. The upstream's first event
// is awaited before anything is written, so a failure before the first token (a 503, a 429)
// still falls back to the next model. The final chunk before [DONE] carries the usage.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, x *exchange) int {
	ctx := r.Context()
	var cancelStream context.CancelFunc
	res, err := s.attempt(ctx, x, func(_ context.Context, provider, model string) (any, error) {
		// The stream outlives this attempt's call, so it gets a context of its own: cancelled
		// when the first event takes longer than the upstream timeout, or when serving ends.
		sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		firstEvent := time.AfterFunc(s.o.UpstreamTimeout, cancel)
		st, err := s.o.Upstream.Stream(sctx, provider, model, model, x.req)
		firstEvent.Stop()
		if err != nil {
			cancel()
			return nil, err
		}
		cancelStream = cancel
		return st, nil
	})
	if err != nil {
		return s.writeUpstreamError(w, err)
	}
	defer cancelStream()
	st := res.(*upstream.Stream)
	defer st.Close()
	// Stop reading the upstream when the client goes away or the upstream stalls.
	stop := context.AfterFunc(ctx, func() { _ = st.Close() })
	defer stop()
	idle := time.AfterFunc(s.o.UpstreamTimeout, func() { _ = st.Close() })
	defer idle.Stop()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	h.Set(contract.HeaderModel, x.model)
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	first := true
	var streamErr error
	for {
		chunk, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			streamErr = err
			break
		}
		idle.Reset(s.o.UpstreamTimeout)
		if first {
			s.o.Metrics.TimeToFirstToken.WithLabelValues(x.model).Observe(time.Since(x.started).Seconds())
			first = false
		}
		_, _ = w.Write(sseData)
		_, _ = w.Write(chunk)
		_, _ = w.Write(sseEnd)
		if flusher != nil {
			flusher.Flush()
		}
	}
	if streamErr != nil && ctx.Err() == nil {
		// Headers are sent: the failure can only be reported in the stream.
		s.o.Log.Warn("upstream stream failed after the first token", "model", x.model, "route", x.routeID, "error", streamErr)
		body, _ := json.Marshal(apiError{Error: apiErrorBody{Message: "upstream stream interrupted: " + streamErr.Error(), Type: "api_error", Code: "stream_interrupted"}})
		_, _ = w.Write(sseData)
		_, _ = w.Write(body)
		_, _ = w.Write(sseEnd)
	}
	if streamErr == nil && x.req.WantsUsageChunk() {
		_, _ = w.Write(sseData)
		_, _ = w.Write(st.UsageChunk())
		_, _ = w.Write(sseEnd)
	}
	_, _ = w.Write(sseDone)
	if flusher != nil {
		flusher.Flush()
	}
	s.account(ctx, x, st.Usage(), st.Elapsed())
	return http.StatusOK
}
