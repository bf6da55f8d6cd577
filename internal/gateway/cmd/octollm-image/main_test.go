package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A prebuilt binary keeps this test free of a gateway build; the image package's tests build
// the real one.
func fakeBinary(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "octollm-gateway")
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho gateway\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun_layoutPrintsOneDigestLineAndIsReproducible(t *testing.T) {
	bin := fakeBinary(t)
	var outs []string
	for i := range 2 {
		var stdout, stderr bytes.Buffer
		layout := filepath.Join(t.TempDir(), "oci")
		err := run(context.Background(), []string{"--binary", bin, "--layout", layout, "--tag", "dev",
			"--version", "v1.0.0", "--revision", "abc", "--created", "1764547200"}, &stdout, &stderr)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, stderr.String())
		}
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(layout) + `@sha256:[0-9a-f]{64}\n$`).MatchString(stdout.String()) {
			t.Fatalf("stdout = %q, want exactly LAYOUT@sha256:DIGEST", stdout.String())
		}
		outs = append(outs, strings.TrimPrefix(stdout.String(), layout))
	}
	if outs[0] != outs[1] {
		t.Fatalf("two builds of the same inputs printed %s and %s", outs[0], outs[1])
	}
}

func TestRun_badInputSaysWhatToDo(t *testing.T) {
	bin := fakeBinary(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--binary", bin}, "nothing to do: give --repository to push, --layout to write an OCI layout, or both"},
		{[]string{"--binary", bin, "--layout", t.TempDir(), "--tag", "-x", "--created", "1"}, `--tag "-x": a tag is up to 128 letters`},
		{[]string{"--binary", bin, "--repository", "127.0.0.1:1/Octo/Gateway", "--tag", "dev", "--created", "1"}, `--repository "127.0.0.1:1/Octo/Gateway"`},
		{[]string{"--binary", bin, "--layout", t.TempDir(), "--created", "yesterday"}, `--created "yesterday": want Unix seconds`},
		{[]string{"--binary", bin, "--layout", t.TempDir(), "--platform", "amd64"}, "want OS/ARCH such as linux/amd64"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tc.args, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %q = %v, want an error containing %q", tc.args, err, tc.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("run %q printed %q on stdout on failure", tc.args, stdout.String())
		}
	}
}
