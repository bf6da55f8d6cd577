package cache_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/cache"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/limits"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/redistest"
)

var ctx = context.Background()

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func key(i int) string {
	return cache.Key("chat", "acme", "gpt-4o-mini", true, fmt.Appendf(nil, `{"n":%d}`, i))
}

func get(t *testing.T, c cache.Cache, k string) ([]byte, bool) {
	t.Helper()
	v, ok, err := c.Get(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	return v, ok
}

func set(t *testing.T, c cache.Cache, k string, v []byte, ttl time.Duration) {
	t.Helper()
	if err := c.Set(ctx, k, v, ttl); err != nil {
		t.Fatal(err)
	}
}

// contract checks what both stores do alike.
func contract(t *testing.T, c cache.Cache) {
	k := key(1)
	if _, ok := get(t, c, k); ok {
		t.Fatal("hit on an empty cache")
	}
	body := []byte(`{"id":"chatcmpl-1","choices":[{"message":{"role":"assistant","content":"4"}}]}`)
	set(t, c, k, body, time.Minute)
	if v, ok := get(t, c, k); !ok || !bytes.Equal(v, body) {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	// Overwrite.
	set(t, c, k, []byte("two"), time.Minute)
	if v, ok := get(t, c, k); !ok || string(v) != "two" {
		t.Fatalf("Get after overwrite = %q, %v", v, ok)
	}
	// Limits: size, TTL, key.
	if err := c.Set(ctx, key(2), make([]byte, cache.MaxValueBytes+1), time.Minute); !errors.Is(err, cache.ErrTooLarge) {
		t.Fatalf("oversized value: %v", err)
	}
	set(t, c, key(2), make([]byte, cache.MaxValueBytes), time.Minute)
	if v, ok := get(t, c, key(2)); !ok || len(v) != cache.MaxValueBytes {
		t.Fatalf("1 MiB value: %d, %v", len(v), ok)
	}
	for _, ttl := range []time.Duration{0, -time.Second, time.Microsecond} {
		if err := c.Set(ctx, key(3), body, ttl); !errors.Is(err, cache.ErrNoTTL) {
			t.Fatalf("ttl %s: %v", ttl, err)
		}
	}
	for _, bad := range []string{"", "what is 2+2?", strings.Repeat("A", 64), k[:63]} {
		if err := c.Set(ctx, bad, body, time.Minute); !errors.Is(err, cache.ErrKey) {
			t.Fatalf("Set key %q: %v", bad, err)
		}
		if _, _, err := c.Get(ctx, bad); !errors.Is(err, cache.ErrKey) {
			t.Fatalf("Get key %q: %v", bad, err)
		}
	}
	// An empty body is a value.
	set(t, c, key(4), nil, time.Minute)
	if v, ok := get(t, c, key(4)); !ok || len(v) != 0 {
		t.Fatalf("empty value: %q, %v", v, ok)
	}
}

func TestMemory(t *testing.T) {
	clk := &clock{t: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}
	c := cache.NewMemoryClock(10, clk.Now)
	contract(t, c)

	t.Run("ttl", func(t *testing.T) {
		set(t, c, key(10), []byte("a"), 10*time.Second)
		clk.Add(9999 * time.Millisecond)
		if _, ok := get(t, c, key(10)); !ok {
			t.Fatal("expired early")
		}
		clk.Add(time.Millisecond)
		if _, ok := get(t, c, key(10)); ok {
			t.Fatal("served after its TTL")
		}
	})
	t.Run("values are copies", func(t *testing.T) {
		v := []byte("abc")
		set(t, c, key(11), v, time.Minute)
		v[0] = 'X'
		got, _ := get(t, c, key(11))
		got[1] = 'Y'
		if again, _ := get(t, c, key(11)); string(again) != "abc" {
			t.Fatalf("stored value changed: %q", again)
		}
	})
}

func TestMemoryLRU(t *testing.T) {
	c := cache.NewMemory(3)
	for i := range 3 {
		set(t, c, key(i), []byte{byte(i)}, time.Hour)
	}
	get(t, c, key(0)) // 0 is now the most recently used; 1 the least
	set(t, c, key(3), []byte{3}, time.Hour)
	for i, want := range []bool{true, false, true, true} {
		if _, ok := get(t, c, key(i)); ok != want {
			t.Fatalf("key %d present = %v, want %v", i, ok, want)
		}
	}
	// Many more entries than the bound: only the last 3 stay.
	for i := 100; i < 1100; i++ {
		set(t, c, key(i), []byte("x"), time.Hour)
	}
	n := 0
	for i := 0; i < 1100; i++ {
		if _, ok := get(t, c, key(i)); ok {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}
	// A bound <= 0 takes the default.
	d := cache.NewMemory(0)
	for i := range cache.DefaultMaxEntries + 1 {
		set(t, d, key(i), []byte("x"), time.Hour)
	}
	if _, ok := get(t, d, key(0)); ok {
		t.Fatal("default bound not applied")
	}
	if _, ok := get(t, d, key(1)); !ok {
		t.Fatal("default bound too small")
	}
}

func TestRedis(t *testing.T) {
	url := redistest.Start(t)
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	c := cache.NewRedis(rc)
	contract(t, c)

	// Replicas share entries; the cache shares the limits' client.
	rs, err := limits.NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	if v, ok := get(t, cache.NewRedis(rs.Client()), key(1)); !ok || string(v) != "two" {
		t.Fatalf("second client: %q, %v", v, ok)
	}

	// Stored under the hashed key with the TTL; no prompt text in any key.
	prompt := "what is the capital of France"
	canon, err := cache.Canonical([]byte(`{"model":"gpt-4o","messages":[{"role":"user","content":"` + prompt + `"}],"temperature":0}`))
	if err != nil {
		t.Fatal(err)
	}
	k := cache.Key("acme/chat", "acme", "gpt-4o", true, canon)
	set(t, c, k, []byte("Paris"), time.Second)
	if ttl := rc.PTTL(ctx, cache.RedisPrefix+k).Val(); ttl <= 0 || ttl > time.Second {
		t.Fatalf("PTTL = %s", ttl)
	}
	keys := rc.Keys(ctx, "*").Val()
	for _, rk := range keys {
		if strings.Contains(rk, "France") || strings.Contains(rk, "acme") || !strings.HasPrefix(rk, cache.RedisPrefix) {
			t.Fatalf("Redis key %q", rk)
		}
	}
	if len(keys) != 4 {
		t.Fatalf("keys = %v", keys)
	}

	// A real TTL expires.
	time.Sleep(1100 * time.Millisecond)
	if _, ok := get(t, c, k); ok {
		t.Fatal("served after its TTL")
	}

	// A store error is returned (the caller treats it as a miss).
	ln, err := net.Listen("tcp", "127.0.0.1:0") // closes every connection at once
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	rc3 := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), DialerRetries: 1, MaxRetries: -1})
	defer rc3.Close()
	down := cache.NewRedis(rc3)
	if _, ok, err := down.Get(ctx, k); err == nil || ok {
		t.Fatalf("Get on a down Redis: %v, %v", ok, err)
	}
	if err := down.Set(ctx, k, []byte("x"), time.Minute); err == nil {
		t.Fatal("Set on a down Redis: no error")
	}
}

func TestKey(t *testing.T) {
	req := []byte(`{"messages":[{"content":"what is the capital of France","role":"user"}],"temperature":0}`)
	base := cache.Key("chat", "acme", "gpt-4o", true, req)
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Fatalf("key %q is not hex SHA-256", base)
	}
	if base != cache.Key("chat", "acme", "gpt-4o", true, bytes.Clone(req)) {
		t.Fatal("key is not deterministic")
	}
	differ := map[string]string{
		"tenant (partitioned)": cache.Key("chat", "globex", "gpt-4o", true, req),
		"model":                cache.Key("chat", "acme", "gpt-4o-mini", true, req),
		"route":                cache.Key("code", "acme", "gpt-4o", true, req),
		"request":              cache.Key("chat", "acme", "gpt-4o", true, []byte(`{"messages":[{"content":"what is the capital of Spain","role":"user"}],"temperature":0}`)),
		"max_tokens":           cache.Key("chat", "acme", "gpt-4o", true, []byte(`{"max_tokens":5,"messages":[{"content":"what is the capital of France","role":"user"}],"temperature":0}`)),
		"shared":               cache.Key("chat", "acme", "gpt-4o", false, req),
		// Field boundaries: moving bytes between fields changes the key.
		"boundaries": cache.Key("chatacme", "", "gpt-4o", true, req),
	}
	seen := map[string]string{base: "base"}
	for what, k := range differ {
		if other, dup := seen[k]; dup {
			t.Errorf("%s: same key as %s", what, other)
		}
		seen[k] = what
	}
	// A global route with partition_by_tenant = false: shared by its tenants.
	if cache.Key("chat", "acme", "gpt-4o", false, req) != cache.Key("chat", "globex", "gpt-4o", false, req) {
		t.Error("global route with partition_by_tenant = false: tenants do not share")
	}
	// A tenant route always keys by tenant.
	if cache.Key("acme/chat", "acme", "gpt-4o", false, req) != cache.Key("acme/chat", "acme", "gpt-4o", true, req) {
		t.Error("tenant route: partition_by_tenant changed the key")
	}
	if cache.Key("acme/chat", "acme", "gpt-4o", false, req) == cache.Key("acme/chat", "globex", "gpt-4o", false, req) {
		t.Error("tenant route: two tenants share a key")
	}
	for k := range seen {
		if strings.Contains(k, "France") || strings.Contains(k, "acme") {
			t.Errorf("key %q contains request text", k)
		}
	}
}

func TestCanonical(t *testing.T) {
	a, err := cache.Canonical([]byte(`{
		"temperature": 0, "model": "auto", "stream": true, "user": "u-1",
		"messages": [{"role": "user", "content": "hi <b>"}], "stop": ["\n"], "metadata": {"trace": "x"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"messages":[{"content":"hi <b>","role":"user"}],"model":"auto","stop":["\n"],"temperature":0}`
	if string(a) != want {
		t.Fatalf("Canonical = %s\nwant        %s", a, want)
	}
	b, err := cache.Canonical([]byte(`{"stop":["\n"],"messages":[{"content":"hi <b>","role":"user"}],"model":"auto","temperature":0,"stream":false}`))
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("reordered request: %s, %v", b, err)
	}
	// Large integers keep every digit (two seeds never collide).
	s1, _ := cache.Canonical([]byte(`{"seed":9007199254740993}`))
	s2, _ := cache.Canonical([]byte(`{"seed":9007199254740992}`))
	if bytes.Equal(s1, s2) {
		t.Fatal("seeds collide")
	}
	for _, bad := range []string{``, `[1]`, `{"a":1} {"b":2}`, `{"a":`} {
		if _, err := cache.Canonical([]byte(bad)); err == nil {
			t.Errorf("Canonical(%q): no error", bad)
		}
	}
}

func TestCacheable(t *testing.T) {
	zero, neg0, warm := 0.0, 0.0, 0.7
	neg0 = -neg0
	if cache.Cacheable(nil) || !cache.Cacheable(&zero) || !cache.Cacheable(&neg0) || cache.Cacheable(&warm) {
		t.Fatal("Cacheable")
	}
}
