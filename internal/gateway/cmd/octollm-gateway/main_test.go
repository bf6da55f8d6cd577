package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseConfig_environmentAndFlags(t *testing.T) {
	t.Setenv("OCTOLLM_GATEWAY_LISTEN", "127.0.0.1:9999")
	t.Setenv("OCTOLLM_NAMESPACE", "platform")
	t.Setenv("OCTOLLM_GATEWAY_QUEUE_TIMEOUT", "3s")
	c, err := parseConfig([]string{"--namespace", "flagged"})
	if err != nil {
		t.Fatal(err)
	}
	if c.listen != "127.0.0.1:9999" || c.namespace != "flagged" || c.queueTimeout != 3*time.Second || c.circuitFailures != 3 {
		t.Fatalf("config = %+v: the environment gives defaults, flags override them", c)
	}
}

func TestParseConfig_badSettingsNameTheVariable(t *testing.T) {
	for _, c := range []struct{ env, value, want string }{
		{"OCTOLLM_GATEWAY_QUEUE_TIMEOUT", "soon", `OCTOLLM_GATEWAY_QUEUE_TIMEOUT="soon": want a Go duration such as "30s"`},
		{"OCTOLLM_GATEWAY_SHUTDOWN_GRACE", "-1s", `OCTOLLM_GATEWAY_SHUTDOWN_GRACE="-1s": want a Go duration such as "30s"`},
		{"OCTOLLM_GATEWAY_CIRCUIT_FAILURES", "many", `OCTOLLM_GATEWAY_CIRCUIT_FAILURES="many": want a whole number`},
	} {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, c.value)
			_, err := parseConfig(nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestRun_badLogLevelAndKubeconfig(t *testing.T) {
	c, err := parseConfig([]string{"--log-level", "loud"})
	if err != nil {
		t.Fatal(err)
	}
	if err := run(c); err == nil || !strings.Contains(err.Error(), `OCTOLLM_GATEWAY_LOG_LEVEL="loud": want debug, info, warn or error`) {
		t.Fatalf("err = %v", err)
	}
	c, err = parseConfig([]string{"--kubeconfig", "/nonexistent/kubeconfig"})
	if err != nil {
		t.Fatal(err)
	}
	if err := run(c); err == nil || !strings.Contains(err.Error(), "kubernetes: KUBE_CONFIG_PATH=/nonexistent/kubeconfig") {
		t.Fatalf("err = %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	if got := redactURL("redis://user:secret@10.0.0.3:6379/0"); strings.Contains(got, "secret") || got != "redis://***@10.0.0.3:6379/0" {
		t.Fatalf("redactURL = %q", got)
	}
}
