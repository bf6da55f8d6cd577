package limits

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store holds the counters of the fixed windows. Counters are integers that start at 0 when
// absent; a key expires ttl after its creation (its window length plus a margin), so a store
// never accumulates old windows.
//
// Every method is one round trip to the backing store.
type Store interface {
	// Hit adds 1 to the counter at key (creating it with the given ttl) and, in the same round
	// trip, reads the counters at peek. It returns the new count and one value per peek key.
	// The increment is atomic across every client of the store.
	Hit(ctx context.Context, key string, ttl time.Duration, peek ...string) (int64, []int64, error)
	// Peek reads the counters at keys (0 for an absent key).
	Peek(ctx context.Context, keys ...string) ([]int64, error)
	// Add adds each delta to its counter, creating a counter with its ttl.
	Add(ctx context.Context, adds ...Add) error
	// Ping checks that the store answers (for readiness probes).
	Ping(ctx context.Context) error
	// Close releases the store's connections.
	Close() error
}

// Add is one increment of Store.Add.
type Add struct {
	Key   string
	Delta int64
	TTL   time.Duration
}

// ---- Redis ----

// NewRedis returns a Store on the Redis server at url ("redis://host:port/db", "rediss://..." for
// TLS, as OCTOLLM_REDIS_URL). It does not connect yet: a Redis that is down at start makes
// the first checks fail (and the gateway fail open) instead of the gateway not starting.
func NewRedis(url string) (*RedisStore, error) {
	client, err := OpenRedis(url)
	if err != nil {
		return nil, err
	}
	return &RedisStore{c: client, owned: true}, nil
}

// OpenRedis parses url and returns a go-redis client for it (NewRedis uses it; share one client
// with the response cache through RedisStore.Client or NewRedisClient). Unless the URL sets them, timeouts
// are short (dial 1s, read and write 500ms, one retry, one dial attempt).
func OpenRedis(url string) (*redis.Client, error) {
	if url == "" {
		return nil, errors.New("limits: empty Redis URL")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("limits: Redis URL: %w", err)
	}
	// Fail fast during an outage: the gateway fails open, and a request must not wait seconds
	// for a Redis that is not there. Each setting can be overridden in the URL (dial_timeout,
	// read_timeout, write_timeout, max_retries).
	if opts.DialTimeout == 0 {
		opts.DialTimeout = time.Second
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 500 * time.Millisecond
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 500 * time.Millisecond
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 1 // a retried INCR after a lost reply may count one request twice
	}
	opts.DialerRetries = 1
	return redis.NewClient(opts), nil
}

// NewRedisClient returns a Store on an existing client (a *redis.Client, or a cluster client:
// every script touches a single key, and pipelines are split by slot). Close does not close a
// client passed in.
func NewRedisClient(client redis.UniversalClient) *RedisStore {
	return &RedisStore{c: client}
}

// RedisStore is the Store shared by the gateway's replicas.
type RedisStore struct {
	c     redis.UniversalClient
	owned bool
}

// Client returns the store's go-redis client, to share with the response cache (cache.NewRedis).
func (s *RedisStore) Client() redis.UniversalClient { return s.c }

// hitScript increments KEYS[1] and sets its expiry when it created it, atomically.
var hitScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`)

// addScript adds ARGV[1] to KEYS[1] and sets its expiry when it created it.
var addScript = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`)

func (s *RedisStore) Hit(ctx context.Context, key string, ttl time.Duration, peek ...string) (int64, []int64, error) {
	pipe := s.c.Pipeline()
	// EvalSha first: one round trip once the script is cached on the server; go-redis falls back
	// to EVAL (a second trip) only after a server restart.
	hit := hitScript.EvalSha(ctx, pipe, []string{key}, ttl.Milliseconds())
	gets := make([]*redis.StringCmd, len(peek))
	for i, k := range peek {
		gets[i] = pipe.Get(ctx, k)
	}
	_, err := pipe.Exec(ctx)
	if err != nil && redis.HasErrorPrefix(hit.Err(), "NOSCRIPT") {
		pipe = s.c.Pipeline()
		hit = hitScript.Eval(ctx, pipe, []string{key}, ttl.Milliseconds())
		for i, k := range peek {
			gets[i] = pipe.Get(ctx, k)
		}
		_, err = pipe.Exec(ctx)
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, nil, fmt.Errorf("limits: redis: %w", err)
	}
	n, err := hit.Int64()
	if err != nil {
		return 0, nil, fmt.Errorf("limits: redis: %w", err)
	}
	vals, err := values(gets)
	return n, vals, err
}

func (s *RedisStore) Peek(ctx context.Context, keys ...string) ([]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	pipe := s.c.Pipeline()
	gets := make([]*redis.StringCmd, len(keys))
	for i, k := range keys {
		gets[i] = pipe.Get(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("limits: redis: %w", err)
	}
	return values(gets)
}

func values(gets []*redis.StringCmd) ([]int64, error) {
	out := make([]int64, len(gets))
	for i, g := range gets {
		v, err := g.Int64()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return nil, fmt.Errorf("limits: redis: %w", err)
		default:
			out[i] = v
		}
	}
	return out, nil
}

func (s *RedisStore) Add(ctx context.Context, adds ...Add) error {
	if len(adds) == 0 {
		return nil
	}
	run := func(eval func(*redis.Script, redis.Pipeliner, Add) *redis.Cmd) ([]*redis.Cmd, error) {
		pipe := s.c.Pipeline()
		cmds := make([]*redis.Cmd, len(adds))
		for i, a := range adds {
			cmds[i] = eval(addScript, pipe, a)
		}
		_, err := pipe.Exec(ctx)
		return cmds, err
	}
	cmds, err := run(func(sc *redis.Script, p redis.Pipeliner, a Add) *redis.Cmd {
		return sc.EvalSha(ctx, p, []string{a.Key}, a.Delta, a.TTL.Milliseconds())
	})
	if err != nil && redis.HasErrorPrefix(cmds[0].Err(), "NOSCRIPT") {
		_, err = run(func(sc *redis.Script, p redis.Pipeliner, a Add) *redis.Cmd {
			return sc.Eval(ctx, p, []string{a.Key}, a.Delta, a.TTL.Milliseconds())
		})
	}
	if err != nil {
		return fmt.Errorf("limits: redis: %w", err)
	}
	return nil
}

func (s *RedisStore) Ping(ctx context.Context) error {
	if err := s.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("limits: redis: %w", err)
	}
	return nil
}

func (s *RedisStore) Close() error {
	if s.owned {
		return s.c.Close()
	}
	return nil
}

// ---- in-process ----

// NewMemory returns a Store in this process's memory: the limits then hold per gateway replica
// (N replicas admit up to N times a limit). The gateway uses it when no Redis URL is configured.
func NewMemory() Store { return newMemory(time.Now) }

func newMemory(now func() time.Time) *memoryStore {
	return &memoryStore{now: now, m: map[string]memEntry{}}
}

type memEntry struct {
	n       int64
	expires time.Time
}

type memoryStore struct {
	now       func() time.Time
	mu        sync.Mutex
	m         map[string]memEntry
	nextSweep time.Time
}

// get returns the live value at key; the caller holds mu.
func (s *memoryStore) get(k string, now time.Time) int64 {
	e, ok := s.m[k]
	if !ok {
		return 0
	}
	if !now.Before(e.expires) {
		delete(s.m, k)
		return 0
	}
	return e.n
}

// add adds d to key; the caller holds mu.
func (s *memoryStore) add(k string, d int64, ttl time.Duration, now time.Time) int64 {
	s.sweep(now)
	e, ok := s.m[k]
	if !ok || !now.Before(e.expires) {
		e = memEntry{expires: now.Add(ttl)}
	}
	e.n += d
	s.m[k] = e
	return e.n
}

// sweep drops expired windows at most once a minute, so memory stays bounded by the live windows.
func (s *memoryStore) sweep(now time.Time) {
	if now.Before(s.nextSweep) {
		return
	}
	s.nextSweep = now.Add(time.Minute)
	for k, e := range s.m {
		if !now.Before(e.expires) {
			delete(s.m, k)
		}
	}
}

func (s *memoryStore) Hit(_ context.Context, key string, ttl time.Duration, peek ...string) (int64, []int64, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.add(key, 1, ttl, now)
	out := make([]int64, len(peek))
	for i, k := range peek {
		out[i] = s.get(k, now)
	}
	return n, out, nil
}

func (s *memoryStore) Peek(_ context.Context, keys ...string) ([]int64, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = s.get(k, now)
	}
	return out, nil
}

func (s *memoryStore) Add(_ context.Context, adds ...Add) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range adds {
		s.add(a.Key, a.Delta, a.TTL, now)
	}
	return nil
}

func (s *memoryStore) Ping(context.Context) error { return nil }
func (s *memoryStore) Close() error               { return nil }
