// Package redistest starts throwaway redis-server processes for the tests of the gateway packages
// that share state through Redis (limits, cache). It is imported only by tests.
package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func init() { redis.SetLogger(quiet{}) }

// quiet drops go-redis's log lines (dial failures while a server starts, or in the outage test).
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// Start starts a throwaway redis-server on a free loopback port for the test and returns its
// URL; the server stops when the test ends. A missing redis-server fails the test: `make tools`
// installs it (and `make test` runs it).
func Start(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not on PATH: run `make tools` (it installs redis-server) and retry: %v", err)
	}
	var lastErr error
	for range 5 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close() // only its port was wanted
		var out bytes.Buffer
		cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--dir", t.TempDir(), "--protected-mode", "yes")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start redis-server: %v", err)
		}
		exited := make(chan struct{})
		go func() {
			// The server is always killed, so Wait reports the signal; only its exit matters.
			_ = cmd.Wait()
			close(exited)
		}()
		url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
		opts, _ := redis.ParseURL(url)
		c := redis.NewClient(opts)
		deadline := time.Now().Add(10 * time.Second)
	wait:
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			lastErr = c.Ping(ctx).Err()
			cancel()
			if lastErr == nil || time.Now().After(deadline) {
				break
			}
			select {
			case <-exited:
				lastErr = fmt.Errorf("redis-server exited: %s", out.String())
				break wait
			case <-time.After(20 * time.Millisecond):
			}
		}
		_ = c.Close() // a probe client; the server is what matters
		if lastErr == nil {
			t.Cleanup(func() {
				if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
					t.Errorf("kill redis-server: %v", err)
				}
				<-exited
			})
			return url
		}
		if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatalf("kill redis-server: %v", err)
		}
		<-exited
	}
	t.Fatalf("redis-server did not start: %v", lastErr)
	return ""
}
