package upstream

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/translate"
)

// Error is a failed upstream call, classified for the gateway's fallback logic.
type Error struct {
	Provider string
	// Class is one of translate's Class* constants.
	Class string
	// Status is the upstream's HTTP status, 0 when none was received.
	Status int
	// RetryAfter is the upstream's Retry-After, or 0.
	RetryAfter time.Duration
	// Message is fit to show to the client.
	Message string
	// Err is the underlying transport or context error, if any.
	Err error
}

func (e *Error) Error() string {
	s := "upstream " + e.Provider + ": " + e.Class
	if e.Status != 0 {
		s += " (HTTP " + strconv.Itoa(e.Status) + ")"
	}
	return s + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Fallback reports whether another model or provider might succeed where this call failed:
// rate limits, timeouts and server errors, not client errors or context windows.
func (e *Error) Fallback() bool {
	switch e.Class {
	case translate.ClassRateLimit, translate.ClassTimeout, translate.ClassServerError:
		return true
	}
	return false
}

// Limits on what is read from an upstream.
const (
	maxResponseBytes = 32 << 20 // a non-streaming completion
	maxErrorBytes    = 64 << 10 // an error body
)

// DefaultResponseHeaderTimeout bounds the wait for an upstream's response headers when the
// caller's context has no earlier deadline. A non-streaming completion only answers once it
// is fully generated, hence the generous default.
const DefaultResponseHeaderTimeout = 5 * time.Minute

type options struct {
	responseHeaderTimeout time.Duration
	maxIdleConnsPerHost   int
}

// Option tunes a Client.
type Option func(*options)

// WithResponseHeaderTimeout sets the transports' response header timeout.
func WithResponseHeaderTimeout(d time.Duration) Option {
	return func(o *options) { o.responseHeaderTimeout = d }
}

// WithMaxIdleConnsPerHost sets how many idle keep-alive connections each provider keeps.
func WithMaxIdleConnsPerHost(n int) Option {
	return func(o *options) { o.maxIdleConnsPerHost = n }
}

// Client calls the configured providers. It is safe for concurrent use.
type Client struct {
	backends map[string]*backend
}

type backend struct {
	provider   Provider
	translator translate.Translator
	url        string
	http       *http.Client
}

// New builds a client with one connection pool per provider.
func New(providers map[string]Provider, opts ...Option) *Client {
	o := options{responseHeaderTimeout: DefaultResponseHeaderTimeout, maxIdleConnsPerHost: 256}
	for _, opt := range opts {
		opt(&o)
	}
	c := &Client{backends: make(map[string]*backend, len(providers))}
	for name, p := range providers {
		if p.Name == "" {
			p.Name = name
		}
		tr := translate.For(p.Kind)
		c.backends[name] = &backend{
			provider:   p,
			translator: tr,
			url:        p.BaseURL + tr.Path(),
			http:       &http.Client{Transport: newTransport(o)},
		}
	}
	return c
}

// newTransport is one provider's pool: many keep-alive HTTP/1.1 connections (a stream holds
// its connection for its whole life), no proxy from the environment.
func newTransport(o options) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:           dialer.DialContext,
		MaxIdleConns:          0, // no global cap; the per-host cap applies
		MaxIdleConnsPerHost:   o.maxIdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: o.responseHeaderTimeout,
		// LLM bodies are small next to their latency; skipping gzip saves CPU on the hot path.
		DisableCompression: true,
		// HTTP/1.1 only: an empty map keeps net/http from negotiating HTTP/2.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
}

// Completion is a non-streaming call's result.
type Completion struct {
	// Body is the OpenAI chat.completion JSON, its model set to the client's model.
	Body     []byte
	Usage    translate.Usage
	Duration time.Duration
}

// Complete makes one non-streaming call. Errors are *Error.
func (c *Client) Complete(ctx context.Context, provider, upstreamModel, clientModel string, req *translate.ChatRequest) (*Completion, error) {
	start := time.Now()
	b, resp, err := c.send(ctx, provider, upstreamModel, req, false)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, transportError(ctx, provider, err)
	}
	if len(body) > maxResponseBytes {
		return nil, &Error{Provider: provider, Class: translate.ClassServerError, Status: resp.StatusCode,
			Message: fmt.Sprintf("upstream response is larger than %d bytes", maxResponseBytes)}
	}
	out, usage, err := b.translator.ResponseBody(body, clientModel)
	if err != nil {
		return nil, &Error{Provider: provider, Class: translate.ClassServerError, Status: resp.StatusCode,
			Message: "unreadable upstream response: " + err.Error(), Err: err}
	}
	return &Completion{Body: out, Usage: usage, Duration: time.Since(start)}, nil
}

// send posts the translated request and returns the 2xx response; any other status is
// classified into an *Error.
func (c *Client) send(ctx context.Context, provider, upstreamModel string, req *translate.ChatRequest, stream bool) (*backend, *http.Response, error) {
	b, ok := c.backends[provider]
	if !ok {
		return nil, nil, &Error{Provider: provider, Class: translate.ClassClient,
			Message: fmt.Sprintf("provider %q is not configured: set %s (and %s) in the gateway's environment", provider, URLVariable(provider), KeyVariable(provider))}
	}
	body, err := b.translator.RequestBody(req, upstreamModel, stream)
	if err != nil {
		return nil, nil, &Error{Provider: provider, Class: translate.ClassClient, Message: err.Error(), Err: err}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, b.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, &Error{Provider: provider, Class: translate.ClassServerError, Message: err.Error(), Err: err}
	}
	b.translator.SetHeaders(hreq.Header, b.provider.APIKey)
	if stream {
		hreq.Header.Set("Accept", "text/event-stream")
	} else {
		hreq.Header.Set("Accept", "application/json")
	}
	resp, err := b.http.Do(hreq)
	if err != nil {
		return nil, nil, transportError(ctx, provider, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		errBody, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
		info := b.translator.ErrorClass(resp.StatusCode, resp.Header, errBody)
		return nil, nil, &Error{Provider: provider, Class: info.Class, Status: resp.StatusCode, RetryAfter: info.RetryAfter, Message: info.Message}
	}
	return b, resp, nil
}

// transportError classifies a failure to get or read a response: deadlines and transport
// timeouts are timeouts, a caller's cancellation is not retryable, anything else (refused,
// reset, TLS) is a server error.
func transportError(ctx context.Context, provider string, err error) *Error {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return &Error{Provider: provider, Class: translate.ClassTimeout, Message: "the upstream did not answer before the request's deadline", Err: err}
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Provider: provider, Class: translate.ClassTimeout, Message: "the upstream timed out: " + err.Error(), Err: err}
	case ctx.Err() != nil:
		return &Error{Provider: provider, Class: translate.ClassClient, Message: "the request was canceled", Err: err}
	default:
		return &Error{Provider: provider, Class: translate.ClassServerError, Message: "cannot reach the upstream: " + err.Error(), Err: err}
	}
}
