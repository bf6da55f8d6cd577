package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRegistry_servesV2OnLoopbackAndDownStopsIt(t *testing.T) {
	binDir, _ := filepath.Abs(filepath.Join("..", "..", "bin"))
	if _, err := os.Stat(filepath.Join(binDir, "registry")); err != nil {
		t.Skip("no registry in bin/: run `bash tools/install.sh registry`")
	}
	dir := t.TempDir()
	st := &starter{o: Options{BinDir: binDir, Log: os.Stderr}, s: &State{Dir: dir, Ports: PortsFrom(31300)}}
	p, err := st.startRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.stop(5 * time.Second) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v2 := httpOK("http://"+st.s.RegistryHost()+"/v2/", nil, "")
	if err := st.waitFor(ctx, p, "OCI registry", v2); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, kv := range st.s.Env() {
		env[kv[0]] = kv[1]
	}
	if got := env["OCTOLLM_REGISTRY"]; got != "127.0.0.1:31327" {
		t.Errorf("OCTOLLM_REGISTRY = %q, want 127.0.0.1:31327 (base+27)", got)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "registry", "config.yml"))
	if !strings.Contains(string(cfg), "addr: 127.0.0.1:31327") || !strings.Contains(string(cfg), "rootdirectory: "+filepath.Join(dir, "registry", "data")) {
		t.Errorf("registry config does not listen on loopback or keep its data in the sandbox:\n%s", cfg)
	}
	if n, err := Down(dir); err != nil || n != 1 {
		t.Fatalf("Down = %d, %v; want 1 process stopped", n, err)
	}
	if p.alive() {
		t.Error("registry still runs after Down")
	}
	if err := v2(context.Background()); err == nil {
		t.Error("registry still answers after Down")
	}
}

func TestRegistry_missingBinarySaysMakeTools(t *testing.T) {
	st := &starter{o: Options{BinDir: t.TempDir()}, s: &State{Dir: t.TempDir(), Ports: PortsFrom(31300)}}
	if _, err := st.startRegistry(); err == nil || !strings.Contains(err.Error(), "make tools") {
		t.Fatalf("startRegistry without a binary = %v, want an error saying to run make tools", err)
	}
}
