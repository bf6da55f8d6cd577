package stripeemu_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

// stripeMockBin finds the stripe-mock binary: $STRIPE_MOCK_BIN if it
// exists, else the repository's bin/stripe-mock (installed with
// GOBIN=$PWD/bin go install github.com/stripe/stripe-mock@v0.203.0). The
// test is skipped only when neither exists.
func stripeMockBin(t *testing.T) string {
	t.Helper()
	env := os.Getenv("STRIPE_MOCK_BIN")
	if env != "" {
		if _, err := os.Stat(env); err == nil {
			return env
		}
	}
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "bin", "stripe-mock"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("stripe-mock not found (STRIPE_MOCK_BIN=%q, %s absent): run `GOBIN=$PWD/bin go install github.com/stripe/stripe-mock@v0.203.0` at the repository root or point STRIPE_MOCK_BIN at the binary", env, p)
	}
	return p
}

// startStripeMock runs stripe-mock on a free loopback port for the test's
// lifetime and returns its base URL.
func startStripeMock(t *testing.T) string {
	t.Helper()
	bin := stripeMockBin(t)
	// stripe-mock also serves HTTPS, on all interfaces at :12112, unless told
	// otherwise; park it on a Unix socket so nothing leaves loopback and
	// parallel runs do not collide.
	sock := filepath.Join(t.TempDir(), "https.sock")
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-unix", sock)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	const marker = "Listening for HTTP at address: "
	addr := make(chan string, 1)
	var output bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if a, ok := strings.CutPrefix(line, marker); ok {
				addr <- a
			} else {
				output.WriteString(line + "\n") // read only once addr is closed
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			// The scanner goroutine closed addr, so output is complete.
			t.Fatalf("stripe-mock exited before listening; output:\n%s", output.String())
		}
		return "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("stripe-mock did not report listening within 60s")
	}
	return ""
}

func TestValidatorStripeMock(t *testing.T) {
	mockURL := startStripeMock(t)
	srv := startEmulator(t, stripeemu.Config{ValidatorURL: mockURL})
	sc := newClient(srv.URL, testKey)

	// A valid create passes validation and is served from emulator state.
	params := &stripe.CustomerParams{Email: stripe.String("valid@example.com"), Name: stripe.String("Valid")}
	params.AddMetadata("tenant", "acme")
	c, err := sc.Customers.New(params)
	if err != nil {
		t.Fatalf("valid create: %v", err)
	}
	got, err := sc.Customers.Get(c.ID, nil)
	if err != nil || got.Email != "valid@example.com" || got.Metadata["tenant"] != "acme" {
		t.Fatalf("get after validated create: %v %+v", err, got)
	}
	if all := listAll(t, sc, nil); len(all) != 1 || all[0].ID != c.ID {
		t.Errorf("list = %v, want the emulator's own customer", ids(all))
	}

	// Invalid requests get stripe-mock's verdict.
	for name, p := range map[string]*stripe.CustomerParams{
		"email as object": withExtra(&stripe.CustomerParams{}, "email[first]", "a@b.co"),
		"unknown param":   withExtra(&stripe.CustomerParams{Name: stripe.String("x")}, "favourite_colour", "blue"),
	} {
		_, err := sc.Customers.New(p)
		se := stripeErr(t, err)
		if se.HTTPStatusCode != 400 || se.Type != stripe.ErrorTypeInvalidRequest || !strings.HasPrefix(se.Msg, "Request validation error:") {
			t.Errorf("%s: error = %+v, want stripe-mock's validation error", name, se)
		}
	}

	// The rejection is stripe-mock's response, byte for byte.
	const form = "email[first]=a%40b.co"
	direct := rawPost(t, mockURL+"/v1/customers", form)
	via := rawPost(t, srv.URL+"/v1/customers", form)
	if direct.status != 400 || via.status != 400 || !bytes.Equal(direct.body, via.body) {
		t.Errorf("emulator answered %d %s\nstripe-mock answered %d %s", via.status, via.body, direct.status, direct.body)
	}

	// Rejected requests change no state.
	if all := listAll(t, sc, nil); len(all) != 1 {
		t.Errorf("list after rejected creates = %v", ids(all))
	}
}

type rawResult struct {
	status int
	body   []byte
}

func rawPost(t *testing.T, url, form string) rawResult {
	t.Helper()
	res := do(t, http.MethodPost, url, form, "Bearer "+testKey, nil)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResult{res.StatusCode, b}
}

func TestValidatorUnreachable(t *testing.T) {
	// A loopback port with nothing listening.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + l.Addr().String()
	l.Close()

	srv := startEmulator(t, stripeemu.Config{ValidatorURL: deadURL})
	sc := newClient(srv.URL, testKey)
	_, err = sc.Customers.New(&stripe.CustomerParams{Name: stripe.String("x")})
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 500 || se.Type != stripe.ErrorTypeAPI || !strings.Contains(se.Msg, deadURL) {
		t.Errorf("error = %+v, want a 500 api_error naming %s", se, deadURL)
	}
}
