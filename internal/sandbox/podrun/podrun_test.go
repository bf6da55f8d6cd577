package podrun

import (
	"slices"
	"testing"
)

// Kubernetes' rules for command and args against the image's entrypoint and cmd.
func TestCommandLine(t *testing.T) {
	entry, cmd := []string{"/usr/local/bin/octollm-gateway"}, []string{"--log-level", "info"}
	cases := []struct {
		name          string
		command, args []string
		want          []string
	}{
		{"image defaults", nil, nil, []string{"/usr/local/bin/octollm-gateway", "--log-level", "info"}},
		{"args replace cmd", nil, []string{"--max-in-flight=10"}, []string{"/usr/local/bin/octollm-gateway", "--max-in-flight=10"}},
		{"command replaces both", []string{"/bin/other"}, nil, []string{"/bin/other"}},
		{"command and args", []string{"/bin/other"}, []string{"-x"}, []string{"/bin/other", "-x"}},
	}
	for _, tc := range cases {
		if got := commandLine(entry, cmd, tc.command, tc.args); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// $(VAR) expands to earlier variables, $$ escapes, unknown references stay as written.
func TestExpand(t *testing.T) {
	env := []string{"NS=octollm", "PORT=8080"}
	for in, want := range map[string]string{
		"http://gw.$(NS).svc:$(PORT)": "http://gw.octollm.svc:8080",
		"$$(NS)":                      "$(NS)",
		"$(MISSING)":                  "$(MISSING)",
		"plain":                       "plain",
	} {
		if got := expand(in, env); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSetEnvReplaces(t *testing.T) {
	env := setEnv([]string{"A=1", "B=2"}, "A", "3")
	if !slices.Equal(env, []string{"A=3", "B=2"}) {
		t.Errorf("setEnv = %q", env)
	}
}
