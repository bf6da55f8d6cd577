package limits_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/limits"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/redistest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// backends runs f once against an in-process store and once against a real redis-server. newStore
// returns a fresh, empty store sharing the backend (for Redis: a new client on the same server).
func backends(t *testing.T, f func(t *testing.T, newStore func() limits.Store)) {
	t.Run("memory", func(t *testing.T) {
		var once sync.Once
		var s limits.Store
		f(t, func() limits.Store { once.Do(func() { s = limits.NewMemory() }); return s })
	})
	t.Run("redis", func(t *testing.T) {
		url := redistest.Start(t)
		f(t, func() limits.Store {
			s, err := limits.NewRedis(url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
}

var ctx = context.Background()

func admitTenant(t *testing.T, l *limits.Limiter, tenant string, rpm, tpm int64) limits.Decision {
	t.Helper()
	d, err := l.AdmitTenant(ctx, tenant, rpm, tpm)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func admitRoute(t *testing.T, l *limits.Limiter, route string, b limits.RouteBudget) limits.Decision {
	t.Helper()
	d, err := l.AdmitRoute(ctx, route, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func record(t *testing.T, l *limits.Limiter, tenant, route string, tokens int64, usd float64) {
	t.Helper()
	if err := l.Record(ctx, tenant, route, tokens, usd); err != nil {
		t.Fatal(err)
	}
}

func wantReject(t *testing.T, d limits.Decision, limit, scope string, retry time.Duration) {
	t.Helper()
	if d.Allowed || d.Limit != limit || d.Scope != scope || d.RetryAfter != retry || d.Remaining != 0 {
		t.Fatalf("decision = %+v, want rejected by %s of %s, retry after %s", d, limit, scope, retry)
	}
	if !strings.HasPrefix(d.Reason, scope+": "+limit+" limit of ") {
		t.Fatalf("reason = %q", d.Reason)
	}
}

func TestTenantRequestsPerMinute(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() limits.Store) {
		c := &clock{t: time.Date(2025, 3, 14, 12, 0, 10, 0, time.UTC)}
		l := limits.New(newStore(), c.Now)
		for i := range int64(3) {
			d := admitTenant(t, l, "acme", 3, 0)
			if !d.Allowed || d.Remaining != 2-i {
				t.Fatalf("request %d: %+v", i+1, d)
			}
		}
		d := admitTenant(t, l, "acme", 3, 0)
		wantReject(t, d, "requests_per_minute", "tenant acme", 50*time.Second)
		if d.RetryAfterSeconds() != 50 || d.Reason != "tenant acme: requests_per_minute limit of 3 reached; retry in 50s" {
			t.Fatalf("%+v", d)
		}
		// Another tenant has its own window.
		if d := admitTenant(t, l, "globex", 3, 0); !d.Allowed {
			t.Fatalf("globex: %+v", d)
		}
		// Late in the same minute: still rejected, retry shorter.
		c.Set(time.Date(2025, 3, 14, 12, 0, 59, 500e6, time.UTC))
		d = admitTenant(t, l, "acme", 3, 0)
		wantReject(t, d, "requests_per_minute", "tenant acme", 500*time.Millisecond)
		if d.RetryAfterSeconds() != 1 {
			t.Fatal(d.RetryAfterSeconds())
		}
		// Next minute: a new window.
		c.Set(time.Date(2025, 3, 14, 12, 1, 0, 0, time.UTC))
		if d := admitTenant(t, l, "acme", 3, 0); !d.Allowed || d.Remaining != 2 {
			t.Fatalf("after rollover: %+v", d)
		}
		// No limit.
		for range 10 {
			if d := admitTenant(t, l, "initech", 0, 0); !d.Allowed || d.Remaining != -1 {
				t.Fatalf("unlimited: %+v", d)
			}
		}
	})
}

func TestTenantTokensPerMonth(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() limits.Store) {
		c := &clock{t: time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC)}
		l := limits.New(newStore(), c.Now)
		record(t, l, "acme", "", 999, 0)
		if d := admitTenant(t, l, "acme", 100, 1000); !d.Allowed || d.Remaining != 99 {
			t.Fatalf("%+v", d)
		}
		record(t, l, "acme", "chat", 1, 0.01)
		if u, err := l.TenantUsage(ctx, "acme"); err != nil || u != 1000 {
			t.Fatalf("usage = %d, %v", u, err)
		}
		d := admitTenant(t, l, "acme", 100, 1000)
		wantReject(t, d, "llm_tokens_per_month", "tenant acme", time.Hour)
		if d.Reason != "tenant acme: llm_tokens_per_month limit of 1000 tokens reached; retry in 1h0m0s" {
			t.Fatal(d.Reason)
		}
		// Checking without a request limit makes no count but still checks.
		wantReject(t, admitTenant(t, l, "acme", 0, 1000), "llm_tokens_per_month", "tenant acme", time.Hour)
		// Over both limits: the longer wait wins.
		for range 100 {
			admitTenant(t, l, "acme", 100, 0)
		}
		wantReject(t, admitTenant(t, l, "acme", 100, 1000), "llm_tokens_per_month", "tenant acme", time.Hour)
		wantReject(t, admitTenant(t, l, "acme", 100, 0), "requests_per_minute", "tenant acme", time.Minute)
		// A new month starts at 0.
		c.Set(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
		if d := admitTenant(t, l, "acme", 100, 1000); !d.Allowed {
			t.Fatalf("april: %+v", d)
		}
		if u, err := l.TenantUsage(ctx, "acme"); err != nil || u != 0 {
			t.Fatalf("april usage = %d, %v", u, err)
		}
	})
}

func TestRouteBudget(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() limits.Store) {
		c := &clock{t: time.Date(2025, 3, 14, 18, 30, 15, 0, time.UTC)}
		l := limits.New(newStore(), c.Now)

		t.Run("requests_per_minute", func(t *testing.T) {
			b := limits.RouteBudget{RequestsPerMinute: 2}
			for i := range 2 {
				if d := admitRoute(t, l, "acme/chat", b); !d.Allowed || d.Remaining != int64(1-i) {
					t.Fatalf("%+v", d)
				}
			}
			wantReject(t, admitRoute(t, l, "acme/chat", b), "requests_per_minute", "route acme/chat", 45*time.Second)
			if d := admitRoute(t, l, "chat", b); !d.Allowed {
				t.Fatalf("global route chat shares nothing with acme/chat: %+v", d)
			}
		})
		t.Run("tokens_per_minute", func(t *testing.T) {
			b := limits.RouteBudget{TokensPerMinute: 100}
			if d := admitRoute(t, l, "tpm", b); !d.Allowed || d.Remaining != -1 {
				t.Fatalf("%+v", d)
			}
			record(t, l, "acme", "tpm", 60, 0)
			if d := admitRoute(t, l, "tpm", b); !d.Allowed {
				t.Fatalf("%+v", d)
			}
			record(t, l, "acme", "tpm", 40, 0)
			wantReject(t, admitRoute(t, l, "tpm", b), "tokens_per_minute", "route tpm", 45*time.Second)
			if u, err := l.RouteUsage(ctx, "tpm"); err != nil || u.TokensThisMinute != 100 || u.RequestsThisMinute != 0 {
				t.Fatalf("usage = %+v, %v", u, err)
			}
		})
		t.Run("usd_per_day", func(t *testing.T) {
			b := limits.RouteBudget{USDPerDay: 1.5}
			record(t, l, "acme", "usd", 10, 0.75)
			if d := admitRoute(t, l, "usd", b); !d.Allowed {
				t.Fatalf("%+v", d)
			}
			record(t, l, "acme", "usd", 10, 0.749999)
			if d := admitRoute(t, l, "usd", b); !d.Allowed {
				t.Fatalf("one micro-dollar below: %+v", d)
			}
			record(t, l, "acme", "usd", 10, 0.000001)
			d := admitRoute(t, l, "usd", b)
			wantReject(t, d, "usd_per_day", "route usd", 5*time.Hour+29*time.Minute+45*time.Second)
			if d.Reason != "route usd: usd_per_day limit of $1.5 reached; retry in 5h30m0s" {
				t.Fatal(d.Reason)
			}
			if u, err := l.RouteUsage(ctx, "usd"); err != nil || u.USDToday != 1.5 {
				t.Fatalf("usage = %+v, %v", u, err)
			}
		})
		t.Run("all configured", func(t *testing.T) {
			b := limits.RouteBudget{RequestsPerMinute: 10, TokensPerMinute: 100, USDPerDay: 1}
			if d := admitRoute(t, l, "all", b); !d.Allowed || d.Remaining != 9 {
				t.Fatalf("%+v", d)
			}
			record(t, l, "acme", "all", 5, 1)
			wantReject(t, admitRoute(t, l, "all", b), "usd_per_day", "route all", 5*time.Hour+29*time.Minute+45*time.Second)
			record(t, l, "acme", "all", 95, 0)
			// tokens_per_minute is also full, but usd_per_day lasts longer.
			wantReject(t, admitRoute(t, l, "all", b), "usd_per_day", "route all", 5*time.Hour+29*time.Minute+45*time.Second)
		})
		t.Run("not configured", func(t *testing.T) {
			for range 5 {
				if d := admitRoute(t, l, "free", limits.RouteBudget{}); !d.Allowed || d.Remaining != -1 {
					t.Fatalf("%+v", d)
				}
			}
		})
		t.Run("rollover", func(t *testing.T) {
			c.Set(time.Date(2025, 3, 14, 18, 31, 0, 0, time.UTC))
			if d := admitRoute(t, l, "acme/chat", limits.RouteBudget{RequestsPerMinute: 2}); !d.Allowed {
				t.Fatalf("rpm after a minute: %+v", d)
			}
			if d := admitRoute(t, l, "tpm", limits.RouteBudget{TokensPerMinute: 100}); !d.Allowed {
				t.Fatalf("tpm after a minute: %+v", d)
			}
			wantReject(t, admitRoute(t, l, "usd", limits.RouteBudget{USDPerDay: 1.5}), "usd_per_day", "route usd", 5*time.Hour+29*time.Minute)
			c.Set(time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC))
			if d := admitRoute(t, l, "usd", limits.RouteBudget{USDPerDay: 1.5}); !d.Allowed {
				t.Fatalf("usd the next day: %+v", d)
			}
		})
	})
}

// Two gateway replicas (two Limiters, each with its own store client) share one limit.
func TestReplicasShareLimits(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() limits.Store) {
		c := &clock{t: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}
		a, b := limits.New(newStore(), c.Now), limits.New(newStore(), c.Now)
		allowed := 0
		for i := range 10 {
			l := a
			if i%2 == 1 {
				l = b
			}
			if admitTenant(t, l, "acme", 5, 0).Allowed {
				allowed++
			}
			if admitRoute(t, l, "acme/chat", limits.RouteBudget{RequestsPerMinute: 3}).Allowed {
				allowed += 100
			}
		}
		if allowed != 5+300 {
			t.Fatalf("allowed %d tenant and %d route requests across two replicas, want 5 and 3", allowed%100, allowed/100)
		}
		// Usage recorded by one replica stops the other.
		record(t, a, "acme", "r", 1000, 2)
		wantReject(t, admitTenant(t, b, "acme", 0, 1000), "llm_tokens_per_month", "tenant acme", 17*24*time.Hour+12*time.Hour)
		wantReject(t, admitRoute(t, b, "r", limits.RouteBudget{USDPerDay: 2}), "usd_per_day", "route r", 12*time.Hour)
	})
}

// Many goroutines on two replicas: exactly N requests are allowed.
func TestConcurrentAdmission(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() limits.Store) {
		c := &clock{t: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}
		replicas := []*limits.Limiter{limits.New(newStore(), c.Now), limits.New(newStore(), c.Now)}
		const n, workers, each = 37, 40, 5
		var tenantOK, routeOK atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				l := replicas[w%2]
				for range each {
					d, err := l.AdmitTenant(ctx, "acme", n, 0)
					if err != nil {
						t.Error(err)
						return
					}
					if d.Allowed {
						tenantOK.Add(1)
					}
					d, err = l.AdmitRoute(ctx, "acme/chat", limits.RouteBudget{RequestsPerMinute: n})
					if err != nil {
						t.Error(err)
						return
					}
					if d.Allowed {
						routeOK.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if tenantOK.Load() != n || routeOK.Load() != n {
			t.Fatalf("allowed %d tenant and %d route requests of %d, want exactly %d", tenantOK.Load(), routeOK.Load(), workers*each, n)
		}
	})
}

// A store error comes back with an allowing decision: the caller fails open (or closed).
func TestRedisDown(t *testing.T) {
	s, err := limits.NewRedis("redis://" + brokenRedis(t) + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := limits.New(s, nil)
	d, err := l.AdmitTenant(ctx, "acme", 10, 1000)
	if err == nil || !d.Allowed {
		t.Fatalf("AdmitTenant = %+v, %v; want an error and an allowing decision", d, err)
	}
	d, err = l.AdmitRoute(ctx, "acme/chat", limits.RouteBudget{RequestsPerMinute: 1, USDPerDay: 1})
	if err == nil || !d.Allowed {
		t.Fatalf("AdmitRoute = %+v, %v", d, err)
	}
	if err := l.Record(ctx, "acme", "acme/chat", 10, 0.1); err == nil {
		t.Fatal("Record: no error")
	}
	if err := s.Ping(ctx); err == nil {
		t.Fatal("Ping: no error")
	}
	if _, err := limits.NewRedis("http://example.com"); err == nil {
		t.Fatal("NewRedis accepted an http URL")
	}
}

// brokenRedis returns the address of a server that closes every connection at once (a closed
// port could be taken by a redis-server of a test running in parallel).
func brokenRedis(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln.Addr().String()
}

func TestInvalidInput(t *testing.T) {
	l := limits.New(limits.NewMemory(), nil)
	if err := l.Record(ctx, "acme", "r", -1, 0); err == nil {
		t.Fatal("negative tokens accepted")
	}
	if err := l.Record(ctx, "acme", "r", 1, -0.5); err == nil {
		t.Fatal("negative cost accepted")
	}
	if _, err := l.AdmitTenant(ctx, "", 1, 1); err == nil {
		t.Fatal("empty tenant accepted")
	}
	if _, err := l.AdmitRoute(ctx, "", limits.RouteBudget{RequestsPerMinute: 1}); err == nil {
		t.Fatal("empty route accepted")
	}
}

// Keys, expiries and the one-round-trip scripts against a real Redis, including after the
// server forgets its scripts (SCRIPT FLUSH, as after a failover).
func TestRedisKeys(t *testing.T) {
	url := redistest.Start(t)
	s, err := limits.NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts, _ := redis.ParseURL(url)
	rc := redis.NewClient(opts)
	defer rc.Close()
	now := time.Date(2025, 3, 14, 12, 0, 10, 0, time.UTC)
	l := limits.New(s, func() time.Time { return now })
	admitTenant(t, l, "acme", 10, 1000)
	admitRoute(t, l, "acme/chat", limits.RouteBudget{RequestsPerMinute: 10})
	record(t, l, "acme", "acme/chat", 42, 0.25)
	minute := "29032560" // 2025-03-14T12:00:00Z / 60
	want := map[string]struct {
		val    string
		maxTTL time.Duration
	}{
		"octollm:rpm:acme:" + minute:             {"1", 2 * time.Minute},
		"octollm:tok:acme:2025-03":               {"42", 32 * 24 * time.Hour},
		"octollm:route:rpm:acme/chat:" + minute:  {"1", 2 * time.Minute},
		"octollm:route:tpm:acme/chat:" + minute:  {"42", 2 * time.Minute},
		"octollm:route:usd:acme/chat:2025-03-14": {"250000", 25 * time.Hour},
	}
	keys, err := rc.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != len(want) {
		t.Fatalf("keys = %v", keys)
	}
	for k, w := range want {
		v, err := rc.Get(ctx, k).Result()
		if err != nil || v != w.val {
			t.Fatalf("GET %s = %q, %v; want %q", k, v, err, w.val)
		}
		ttl := rc.PTTL(ctx, k).Val()
		if ttl <= w.maxTTL-time.Minute || ttl > w.maxTTL {
			t.Fatalf("PTTL %s = %s, want just under %s", k, ttl, w.maxTTL)
		}
	}
	if err := rc.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if d := admitTenant(t, l, "acme", 10, 1000); !d.Allowed || d.Remaining != 8 {
		t.Fatalf("after SCRIPT FLUSH: %+v", d)
	}
	if err := rc.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	record(t, l, "acme", "", 8, 0)
	if u, err := l.TenantUsage(ctx, "acme"); err != nil || u != 50 {
		t.Fatalf("usage after SCRIPT FLUSH = %d, %v", u, err)
	}
}

var _ limits.Store = (*limits.RedisStore)(nil)
