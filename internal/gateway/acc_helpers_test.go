package gateway_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

var (
	buildOnce   sync.Once
	gatewayPath string
	buildErr    error
)

// gatewayBinary builds octollm-gateway from this checkout once per test binary.
func gatewayBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := acctest.RepoRoot()
		if err != nil {
			buildErr = err
			return
		}
		dir, err := os.MkdirTemp("", "octollm-gateway-bin-")
		if err != nil {
			buildErr = err
			return
		}
		gatewayPath = filepath.Join(dir, "octollm-gateway")
		cmd := exec.Command("go", "build", "-o", gatewayPath, "./internal/gateway/cmd/octollm-gateway")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build octollm-gateway: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return gatewayPath
}

// gatewayProcess is one octollm-gateway run as its pod would run it, against the sandbox.
type gatewayProcess struct {
	t       *testing.T
	url     string
	listen  string
	env     []string
	cmd     *exec.Cmd
	log     *bytes.Buffer
	logMu   *sync.Mutex
	stopped bool
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startGateway starts a gateway on the platform namespace, billing to stripeKey, spooling
// usage in spoolDir, and waits until it is ready.
func startGateway(t *testing.T, namespace, stripeKey, spoolDir string) *gatewayProcess {
	t.Helper()
	s := acctest.Sandbox()
	listen := freeAddr(t)
	env := append(os.Environ(),
		"KUBE_CONFIG_PATH="+s.Kubeconfig,
		"OCTOLLM_NAMESPACE="+namespace,
		"STRIPE_API_KEY="+stripeKey,
		"OCTOLLM_STRIPE_API_BASE="+s.StripeURL(),
		"OCTOLLM_REDIS_URL="+s.RedisURL(),
		"OCTOLLM_GATEWAY_LISTEN="+listen,
		"OCTOLLM_GATEWAY_SPOOL_DIR="+spoolDir,
		"OCTOLLM_GATEWAY_UPSTREAM_TIMEOUT=10s",
		"OCTOLLM_GATEWAY_LOG_LEVEL=debug",
		// The fallback checks fail a model four times in a row; keep it in service for them.
		"OCTOLLM_GATEWAY_CIRCUIT_FAILURES=10",
	)
	g := &gatewayProcess{t: t, url: "http://" + listen, listen: listen, env: env, log: &bytes.Buffer{}, logMu: &sync.Mutex{}}
	g.start()
	t.Cleanup(func() {
		g.stop(syscall.SIGTERM)
		if t.Failed() {
			t.Logf("gateway %s log:\n%s", g.listen, g.logs())
		}
	})
	return g
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (g *gatewayProcess) start() {
	g.t.Helper()
	g.cmd = exec.Command(gatewayBinary(g.t))
	g.cmd.Env = g.env
	g.cmd.Stdout = lockedWriter{g.logMu, g.log}
	g.cmd.Stderr = lockedWriter{g.logMu, g.log}
	if err := g.cmd.Start(); err != nil {
		g.t.Fatal(err)
	}
	g.stopped = false
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(g.url + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("gateway on %s not ready within 60s:\n%s", g.listen, g.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop signals the gateway and waits for it to exit.
func (g *gatewayProcess) stop(sig syscall.Signal) {
	if g.stopped || g.cmd == nil || g.cmd.Process == nil {
		return
	}
	g.stopped = true
	_ = g.cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { _ = g.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		_ = g.cmd.Process.Kill()
		<-done
	}
}

func (g *gatewayProcess) logs() string {
	g.logMu.Lock()
	defer g.logMu.Unlock()
	return g.log.String()
}

// client is the official OpenAI Go SDK pointed at the gateway with a tenant key.
func (g *gatewayProcess) client(key string) *openai.Client {
	c := openai.NewClient(option.WithBaseURL(g.url+"/v1"), option.WithAPIKey(key), option.WithMaxRetries(0))
	return &c
}

// llmAdmin changes the LLM emulator through the sandbox's admin port.
func llmAdmin(t *testing.T, method, path string, body any) []byte {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, fmt.Sprintf("http://127.0.0.1:%d%s", acctest.Sandbox().Ports.EmulatorsAdmin, path), r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %s: %s", method, path, resp.Status, out)
	}
	return out
}

// eventually retries check until it succeeds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %v", what, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func chatParams(model, prompt string, temperature float64) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:       model,
		Messages:    []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)},
		Temperature: openai.Float(temperature),
	}
}

func statusOf(err error) int {
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	if err != nil {
		return -1
	}
	return http.StatusOK
}

// metricAtLeast checks that the gateway's /metrics has the series line with a value >= min.
func metricAtLeast(g *gatewayProcess, series string, least float64) error {
	resp, err := http.Get(g.url + "/metrics")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return err
			}
			if f < least {
				return fmt.Errorf("%s = %v, want at least %v", series, f, least)
			}
			return nil
		}
	}
	return fmt.Errorf("no series %s in /metrics", series)
}

// errorMessage is the message of the gateway's error body, as the SDK decoded it.
func errorMessage(err error) string {
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return fmt.Sprint(err)
}
