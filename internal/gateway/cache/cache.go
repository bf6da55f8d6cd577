// Package cache is the gateway's exact-match response cache: a chat completion answered once is
// served again, without calling the model, to a request that would get the same answer.
//
// # What is cached
//
// Only deterministic requests are cacheable: Cacheable is true when the request sets temperature
// and it is 0. The value is the full response body (the OpenAI chat completion JSON), at most
// MaxValueBytes, stored for the route's cache.ttl_seconds (DefaultTTL when an exact cache sets
// none); Set refuses a value without a TTL.
//
// A route's cache.mode "exact" uses this package directly. For "semantic", an exact match is the
// similarity-1 case of a semantic match, so the gateway may look the exact key up first.
//
// # What is keyed
//
// Key hashes, with SHA-256, these fields (each length-prefixed, so no two field lists share
// an encoding):
//
//   - the route ID ("<name>" for a global route, "<tenant>/<name>" for a tenant route);
//   - the model that serves the request (after routing and fallback), so an answer of one
//     model is never served as another's;
//   - the canonical request (Canonical: the request body with every field that changes the
//     answer: messages, temperature, top_p, max_tokens, stop, seed, tools, response_format,
//     ...);
//   - the tenant, except on a global route whose cache sets partition_by_tenant = false.
//
// So answers are never shared across tenants, except where a global route explicitly opts in with
// partition_by_tenant = false: then every tenant using that route shares its answers (for public,
// tenant-independent prompts). A tenant route is used only by its tenant, and its key always
// includes the tenant, whatever partition_by_tenant says (it is the default, true, anyway).
//
// Keys are 64 hex digits: prompts and tenant names never appear in Redis keys
// ("octollm:cache:<key>"), and the stores refuse any other key.
//
// # Stores
//
// NewRedis shares the cache between the gateway's replicas (the go-redis client the limits use);
// NewMemory keeps a bounded LRU per replica when no Redis URL is configured. A store error is
// returned to the caller, which treats it as a miss (Get) or ignores it (Set) and counts it: the
// cache never fails a request.
package cache

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// MaxValueBytes is the largest response body the cache stores.
const MaxValueBytes = 1 << 20

// DefaultTTL is the lifetime of an entry of an exact cache whose route sets no ttl_seconds.
const DefaultTTL = time.Hour

// DefaultMaxEntries bounds NewMemory when it is given no positive bound.
const DefaultMaxEntries = 1024

// Errors of Set (and of Get for ErrKey).
var (
	ErrTooLarge = fmt.Errorf("cache: value larger than %d bytes", MaxValueBytes)
	ErrNoTTL    = errors.New("cache: a TTL of at least 1ms is required")
	ErrKey      = errors.New("cache: key is not a cache.Key (64 hex digits)")
)

// Cache stores response bodies by key.
type Cache interface {
	// Get returns the value stored at key, and whether there is one.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores value at key for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Cacheable reports whether a request with this temperature may be served from the cache: only
// when the temperature is set and is 0 (the answer is then the model's most likely one).
func Cacheable(temperature *float64) bool { return temperature != nil && *temperature == 0 }

// Key derives the cache key of a request; see the package comment for what it includes.
func Key(routeID, tenant, model string, partitionByTenant bool, canonicalRequest []byte) string {
	h := sha256.New()
	field := func(b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	h.Write([]byte("octollm-cache/v1"))
	field([]byte(routeID))
	field([]byte(model))
	if partitionByTenant || isTenantRoute(routeID) {
		h.Write([]byte{'T'})
		field([]byte(tenant))
	} else {
		h.Write([]byte{'S'}) // shared by the tenants of a global route
	}
	field(canonicalRequest)
	return hex.EncodeToString(h.Sum(nil))
}

func isTenantRoute(routeID string) bool { return strings.Contains(routeID, "/") }

// ignored are request fields that do not change the answer.
var ignored = []string{"stream", "stream_options", "user", "metadata", "store"}

// Canonical returns the canonical form of an OpenAI chat completion request body for Key: the
// JSON re-encoded with object keys sorted at every level and no insignificant space, without
// the fields that do not change the answer (stream, stream_options, user, metadata, store).
// Every other field, known or not, is kept, so two requests share a key only if they ask the
// same thing. Numbers keep their literal text.
func Canonical(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var req map[string]any
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("cache: request body: %w", err)
	}
	if dec.More() {
		return nil, errors.New("cache: request body: data after the JSON object")
	}
	for _, k := range ignored {
		delete(req, k)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(req); err != nil { // maps encode with sorted keys
		return nil, fmt.Errorf("cache: request body: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func checkKey(key string) error {
	if len(key) != sha256.Size*2 {
		return ErrKey
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return ErrKey
		}
	}
	return nil
}

func checkSet(key string, value []byte, ttl time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if len(value) > MaxValueBytes {
		return ErrTooLarge
	}
	if ttl < time.Millisecond {
		return ErrNoTTL
	}
	return nil
}

// ---- Redis ----

// RedisPrefix prefixes the cache's keys in Redis.
const RedisPrefix = "octollm:cache:"

// NewRedis returns a Cache in Redis through client; the gateway shares the limits' client
// (limits.RedisStore.Client).
func NewRedis(client redis.UniversalClient) Cache { return &redisCache{c: client} }

type redisCache struct{ c redis.UniversalClient }

func (r *redisCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	v, err := r.c.Get(ctx, RedisPrefix+key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("cache: redis: %w", err)
	}
	return v, true, nil
}

func (r *redisCache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkSet(key, value, ttl); err != nil {
		return err
	}
	if err := r.c.Set(ctx, RedisPrefix+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("cache: redis: %w", err)
	}
	return nil
}

// ---- in-process LRU ----

// NewMemory returns an in-process LRU cache of at most maxEntries entries (DefaultMaxEntries when
// maxEntries <= 0), so at most maxEntries * MaxValueBytes bytes of values. Expired entries are
// never returned and are dropped when met or evicted.
func NewMemory(maxEntries int) Cache { return NewMemoryClock(maxEntries, nil) }

// NewMemoryClock is NewMemory with a clock for the TTLs (nil: time.Now).
func NewMemoryClock(maxEntries int, clock func() time.Time) Cache {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	if clock == nil {
		clock = time.Now
	}
	return &memory{max: maxEntries, clock: clock, lru: list.New(), m: map[string]*list.Element{}}
}

type memEntry struct {
	key     string
	value   []byte
	expires time.Time
}

type memory struct {
	max   int
	clock func() time.Time
	mu    sync.Mutex
	lru   *list.List // front: most recently used
	m     map[string]*list.Element
}

func (c *memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	now := c.clock()
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil, false, nil
	}
	e := el.Value.(*memEntry)
	if !now.Before(e.expires) {
		c.lru.Remove(el)
		delete(c.m, key)
		return nil, false, nil
	}
	c.lru.MoveToFront(el)
	return bytes.Clone(e.value), true, nil
}

func (c *memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkSet(key, value, ttl); err != nil {
		return err
	}
	e := &memEntry{key: key, value: bytes.Clone(value), expires: c.clock().Add(ttl)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		el.Value = e
		c.lru.MoveToFront(el)
		return nil
	}
	c.m[key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.m, old.Value.(*memEntry).key)
	}
	return nil
}
