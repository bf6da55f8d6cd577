// Package limits enforces the gateway's shared limits: a tenant's requests_per_minute and
// llm_tokens_per_month (its quota tier), and a model route's budget (requests_per_minute,
// tokens_per_minute, usd_per_day).
//
// # Windows
//
// Every limit is a fixed window keyed by the window's start, in UTC:
//
//	octollm:rpm:<tenant>:<unix minute>            requests of a tenant in a minute
//	octollm:tok:<tenant>:<YYYY-MM>                tokens of a tenant in a calendar month
//	octollm:route:rpm:<route ID>:<unix minute>    requests of a route in a minute
//	octollm:route:tpm:<route ID>:<unix minute>    tokens of a route in a minute
//	octollm:route:usd:<route ID>:<YYYY-MM-DD>     spend of a route in a UTC day, in micro-dollars
//
// A route ID is the route's name for a global route and "<tenant>/<name>" for a tenant route.
// Each key expires a little after its window ends (minute: 2m, day: 25h, month: 32 days).
// RetryAfter is the time until the window that is full ends.
//
// Request counters are checked by counting: the request is counted (INCR) and then compared with
// the limit, atomically across replicas, so with a limit of N exactly N requests of a window are
// allowed whatever the number of gateway replicas. A rejected request still counts in its window
// (that is how fixed windows work: it changes nothing, since the window is already full, and
// the counter resets at the next window). A request rejected by one limit still counts against
// the request limits checked in the same call (a tenant over its month's tokens still spends
// its requests_per_minute).
//
// Token and spend counters are checked, not counted, on admission: a request is admitted while
// the window's usage is below the limit, and Record adds its usage once it completes. Requests
// in flight when a limit is reached therefore overshoot it by at most their own usage.
//
// Replicas choose the window from their own clock (GKE nodes are NTP-synchronized); at a
// window boundary, a skew of a few milliseconds moves a request to the neighbouring window.
//
// # Stores and failures
//
// NewRedis shares the counters between the gateway's replicas (Memorystore on GKE,
// OCTOLLM_REDIS_URL). Without a Redis URL the gateway uses NewMemory, and the limits hold per
// replica. Each Admit call is one round trip to Redis (the request INCR and the usage GETs are
// pipelined), Record is one more after the response.
//
// A store error is returned to the caller, together with an allowing Decision: the gateway fails
// open (serves the request, logs the error, counts octollm_gateway_limit_store_errors_total) so that a
// Redis outage does not take the platform down; a caller that prefers to fail closed rejects on
// the error instead.
package limits

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Limit names, as in the tenant quota and the route budget.
const (
	RequestsPerMinute = "requests_per_minute"
	TokensPerMonth    = "llm_tokens_per_month" //nolint:gosec // G101: a quota limit name, not a credential
	TokensPerMinute   = "tokens_per_minute"    //nolint:gosec // G101: a quota limit name, not a credential
	USDPerDay         = "usd_per_day"
)

// Key lifetimes: each window's length plus a margin.
const (
	minuteTTL = 2 * time.Minute
	dayTTL    = 25 * time.Hour
	monthTTL  = 32 * 24 * time.Hour
)

// Decision says whether a request proceeds and, if not, which limit stopped it and when to retry.
type Decision struct {
	Allowed bool
	// Limit is the limit that rejected the request ("requests_per_minute", "llm_tokens_per_month",
	// "tokens_per_minute", "usd_per_day"); empty when allowed.
	Limit string
	// Scope is "tenant <tenant>" or "route <route ID>"; empty when allowed.
	Scope string
	// RetryAfter is the time until the full window ends (the Retry-After header); 0 when allowed.
	RetryAfter time.Duration
	// Remaining is the number of requests left in the current minute under requests_per_minute
	// (0 when rejected); -1 when no request limit is configured.
	Remaining int64
	// Reason is a sentence for the 429 body, e.g. "tenant acme: requests_per_minute limit of 60
	// reached; retry in 12s"; empty when allowed.
	Reason string
}

// RouteBudget is a route's budget; 0 means not configured.
type RouteBudget struct {
	RequestsPerMinute, TokensPerMinute int64
	USDPerDay                          float64
}

// Limiter checks and counts requests against the limits in a Store.
type Limiter struct {
	store Store
	clock func() time.Time
}

// New returns a Limiter on store; clock nil means time.Now.
func New(store Store, clock func() time.Time) *Limiter {
	if clock == nil {
		clock = time.Now
	}
	return &Limiter{store: store, clock: clock}
}

// Store returns the limiter's store.
func (l *Limiter) Store() Store { return l.store }

func (l *Limiter) now() time.Time { return l.clock().UTC() }

func minuteOf(t time.Time) (key string, retry time.Duration) {
	m := t.Unix() / 60
	if t.Unix() < 0 && t.Unix()%60 != 0 {
		m--
	}
	return strconv.FormatInt(m, 10), time.Unix((m+1)*60, 0).Sub(t)
}

func dayOf(t time.Time) (string, time.Duration) {
	y, mo, d := t.Date()
	return t.Format("2006-01-02"), time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC).Sub(t)
}

func monthOf(t time.Time) (string, time.Duration) {
	y, mo, _ := t.Date()
	return t.Format("2006-01"), time.Date(y, mo+1, 1, 0, 0, 0, 0, time.UTC).Sub(t)
}

func tenantRPMKey(tenant, minute string) string { return "octollm:rpm:" + tenant + ":" + minute }
func tenantTokKey(tenant, month string) string  { return "octollm:tok:" + tenant + ":" + month }
func routeRPMKey(route, minute string) string   { return "octollm:route:rpm:" + route + ":" + minute }
func routeTPMKey(route, minute string) string   { return "octollm:route:tpm:" + route + ":" + minute }
func routeUSDKey(route, day string) string      { return "octollm:route:usd:" + route + ":" + day }

// micros converts USD to integer micro-dollars (the unit of the day's spend counter).
func micros(usd float64) int64 { return int64(math.Round(usd * 1e6)) }

// allow is the Decision returned with a store error: the caller fails open or closed.
var allow = Decision{Allowed: true, Remaining: -1}

// rejection keeps the rejection that lasts longest: retrying after a shorter one is useless.
type rejection struct{ d *Decision }

func (r *rejection) add(scope, limit, ceiling string, retry time.Duration) {
	if r.d != nil && r.d.RetryAfter >= retry {
		return
	}
	r.d = &Decision{
		Limit: limit, Scope: scope, RetryAfter: retry,
		Reason: fmt.Sprintf("%s: %s limit of %s reached; retry in %s", scope, limit, ceiling, retryText(retry)),
	}
}

func retryText(d time.Duration) string {
	switch {
	case d < time.Second:
		return "1s"
	case d < time.Hour:
		return d.Round(time.Second).String()
	default:
		return d.Round(time.Minute).String()
	}
}

// AdmitTenant counts one request of tenant against its requests_per_minute and checks (without
// counting) the month's tokens against llm_tokens_per_month. A limit <= 0 means no limit.
func (l *Limiter) AdmitTenant(ctx context.Context, tenant string, requestsPerMinute, tokensPerMonth int64) (Decision, error) {
	if tenant == "" {
		return allow, errors.New("limits: empty tenant")
	}
	now := l.now()
	minute, minuteLeft := minuteOf(now)
	month, monthLeft := monthOf(now)
	var peek []string
	if tokensPerMonth > 0 {
		peek = append(peek, tenantTokKey(tenant, month))
	}
	var (
		count int64
		vals  []int64
		err   error
	)
	if requestsPerMinute > 0 {
		count, vals, err = l.store.Hit(ctx, tenantRPMKey(tenant, minute), minuteTTL, peek...)
	} else if len(peek) > 0 {
		vals, err = l.store.Peek(ctx, peek...)
	}
	if err != nil {
		return allow, err
	}
	scope := "tenant " + tenant
	var rej rejection
	if requestsPerMinute > 0 && count > requestsPerMinute {
		rej.add(scope, RequestsPerMinute, strconv.FormatInt(requestsPerMinute, 10), minuteLeft)
	}
	if tokensPerMonth > 0 && vals[0] >= tokensPerMonth {
		rej.add(scope, TokensPerMonth, strconv.FormatInt(tokensPerMonth, 10)+" tokens", monthLeft)
	}
	if rej.d != nil {
		return *rej.d, nil
	}
	return Decision{Allowed: true, Remaining: remaining(requestsPerMinute, count)}, nil
}

func remaining(limit, count int64) int64 {
	if limit <= 0 {
		return -1
	}
	return max(limit-count, 0)
}

// AdmitRoute checks a route's budget before a request: requests_per_minute (counted),
// tokens_per_minute (the tokens recorded in the current minute) and usd_per_day (the spend
// recorded today, UTC). A budget field of 0 is not configured; with none configured AdmitRoute
// makes no round trip.
func (l *Limiter) AdmitRoute(ctx context.Context, routeID string, b RouteBudget) (Decision, error) {
	if routeID == "" {
		return allow, errors.New("limits: empty route ID")
	}
	now := l.now()
	minute, minuteLeft := minuteOf(now)
	day, dayLeft := dayOf(now)
	var peek []string
	if b.TokensPerMinute > 0 {
		peek = append(peek, routeTPMKey(routeID, minute))
	}
	if b.USDPerDay > 0 {
		peek = append(peek, routeUSDKey(routeID, day))
	}
	var (
		count int64
		vals  []int64
		err   error
	)
	if b.RequestsPerMinute > 0 {
		count, vals, err = l.store.Hit(ctx, routeRPMKey(routeID, minute), minuteTTL, peek...)
	} else if len(peek) > 0 {
		vals, err = l.store.Peek(ctx, peek...)
	}
	if err != nil {
		return allow, err
	}
	scope := "route " + routeID
	var rej rejection
	if b.RequestsPerMinute > 0 && count > b.RequestsPerMinute {
		rej.add(scope, RequestsPerMinute, strconv.FormatInt(b.RequestsPerMinute, 10), minuteLeft)
	}
	i := 0
	if b.TokensPerMinute > 0 {
		if vals[i] >= b.TokensPerMinute {
			rej.add(scope, TokensPerMinute, strconv.FormatInt(b.TokensPerMinute, 10)+" tokens", minuteLeft)
		}
		i++
	}
	if b.USDPerDay > 0 && vals[i] >= micros(b.USDPerDay) {
		rej.add(scope, USDPerDay, "$"+strconv.FormatFloat(b.USDPerDay, 'f', -1, 64), dayLeft)
	}
	if rej.d != nil {
		return *rej.d, nil
	}
	return Decision{Allowed: true, Remaining: remaining(b.RequestsPerMinute, count)}, nil
}

// Record adds a completed request's tokens (input plus output) and cost to the tenant's month and
// to the route's minute and day counters, in one round trip. An empty tenant or route ID skips
// its counters.
func (l *Limiter) Record(ctx context.Context, tenant, routeID string, tokens int64, usd float64) error {
	if tokens < 0 || usd < 0 || math.IsNaN(usd) || math.IsInf(usd, 0) {
		return fmt.Errorf("limits: invalid usage: %d tokens, %v USD", tokens, usd)
	}
	now := l.now()
	minute, _ := minuteOf(now)
	day, _ := dayOf(now)
	month, _ := monthOf(now)
	var adds []Add
	if tenant != "" && tokens > 0 {
		adds = append(adds, Add{Key: tenantTokKey(tenant, month), Delta: tokens, TTL: monthTTL})
	}
	if routeID != "" {
		if tokens > 0 {
			adds = append(adds, Add{Key: routeTPMKey(routeID, minute), Delta: tokens, TTL: minuteTTL})
		}
		if m := micros(usd); m > 0 {
			adds = append(adds, Add{Key: routeUSDKey(routeID, day), Delta: m, TTL: dayTTL})
		}
	}
	return l.store.Add(ctx, adds...)
}

// TenantUsage returns the tokens the tenant used this month (UTC).
func (l *Limiter) TenantUsage(ctx context.Context, tenant string) (int64, error) {
	month, _ := monthOf(l.now())
	v, err := l.store.Peek(ctx, tenantTokKey(tenant, month))
	if err != nil {
		return 0, err
	}
	return v[0], nil
}

// RouteUsage is a route's usage in the current windows.
type RouteUsage struct {
	RequestsThisMinute, TokensThisMinute int64
	USDToday                             float64
}

// RouteUsage returns the route's requests and tokens this minute and its spend today (UTC).
func (l *Limiter) RouteUsage(ctx context.Context, routeID string) (RouteUsage, error) {
	now := l.now()
	minute, _ := minuteOf(now)
	day, _ := dayOf(now)
	v, err := l.store.Peek(ctx, routeRPMKey(routeID, minute), routeTPMKey(routeID, minute), routeUSDKey(routeID, day))
	if err != nil {
		return RouteUsage{}, err
	}
	return RouteUsage{RequestsThisMinute: v[0], TokensThisMinute: v[1], USDToday: float64(v[2]) / 1e6}, nil
}

// RetryAfterSeconds is RetryAfter rounded up to whole seconds, for the Retry-After header.
func (d Decision) RetryAfterSeconds() int64 {
	return int64((d.RetryAfter + time.Second - 1) / time.Second)
}
