package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestUp_takenPortIsNamed(t *testing.T) {
	base := 31000
	ports := PortsFrom(base)
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", ports.APIServer))
	if err != nil {
		t.Skipf("cannot hold port %d for the test: %v", ports.APIServer, err)
	}
	defer func() { _ = l.Close() }()
	dir := t.TempDir()
	_, err = Up(context.Background(), Options{Dir: dir, PortBase: base, SandboxBinary: "unused"})
	want := fmt.Sprintf("port %d (kube-apiserver) is already in use", ports.APIServer)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "OCTOLLM_SANDBOX_PORT_BASE") {
		t.Fatalf("Up with a taken port = %v, want an error containing %q", err, want)
	}
}

func TestUp_secondSandboxInSameDirSaysSo(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// A live sandbox is one whose recorded processes all still run their binaries; this
	// test process stands in for them.
	s := &State{Dir: dir, Ports: PortsFrom(31100), Processes: []*process{{Name: "kube-apiserver", PID: os.Getpid(), Binary: self}}}
	if err := s.save(); err != nil {
		t.Fatal(err)
	}
	_, err = Up(context.Background(), Options{Dir: dir, PortBase: 31100, SandboxBinary: "unused"})
	if !errors.Is(err, ErrAlreadyRunning) || !strings.Contains(err.Error(), "make sandbox-down") {
		t.Fatalf("second Up = %v, want ErrAlreadyRunning naming make sandbox-down", err)
	}
}

func TestDown_stopsExactlyItsOwnProcesses(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	dir := t.TempDir()
	ours, err := startProcess(dir, "ours", sleep, []string{"60"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Not ours: started outside the sandbox. Its pid is recorded with another binary, as
	// after pid reuse; Down must leave it alone.
	other := exec.Command(sleep, "60")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Process.Kill(); _ = other.Wait() })
	s := &State{Dir: dir, Processes: []*process{ours, {Name: "recycled", PID: other.Process.Pid, Binary: "/usr/bin/not-sleep"}}}
	if err := s.save(); err != nil {
		t.Fatal(err)
	}
	n, err := Down(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Down stopped %d processes, want 1", n)
	}
	if ours.alive() {
		t.Error("the sandbox's own process still runs after Down")
	}
	realSleep, _ := filepath.EvalSymlinks(sleep)
	if !(&process{PID: other.Process.Pid, Binary: realSleep}).alive() {
		t.Error("Down stopped a process that was not the sandbox's")
	}
	if _, err := os.Stat(filepath.Join(dir, "state.json")); !os.IsNotExist(err) {
		t.Errorf("Down left the state behind: %v", err)
	}
}

func TestPortBaseFromEnvironmentIsValidated(t *testing.T) {
	t.Setenv("OCTOLLM_SANDBOX_PORT_BASE", "80")
	o := Options{Timeout: time.Second}
	if err := o.defaults(); err == nil || !strings.Contains(err.Error(), "OCTOLLM_SANDBOX_PORT_BASE") {
		t.Fatalf("defaults() = %v, want an error naming OCTOLLM_SANDBOX_PORT_BASE", err)
	}
}

// TestRedisServer starts the sandbox's redis-server (bin/ first, then PATH), waits for its
// PONG and checks that Down stops it: Debian's redis-server is a link to redis-check-rdb,
// which must still run as the server and be recognised as the recorded binary.
func TestRedisServer(t *testing.T) {
	binDir, _ := filepath.Abs(filepath.Join("..", "..", "bin"))
	if _, err := os.Stat(filepath.Join(binDir, "redis-server")); err != nil {
		if _, err := exec.LookPath("redis-server"); err != nil {
			t.Skip("no redis-server in bin/ or on PATH: run `make tools`")
		}
	}
	dir := t.TempDir()
	st := &starter{o: Options{BinDir: binDir, Log: os.Stderr}, s: &State{Dir: dir, Ports: PortsFrom(31200)}}
	p, err := st.startRedis()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.stop(5 * time.Second) })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := st.waitFor(ctx, p, "redis-server", redisPing(st.s.Ports.Redis)); err != nil {
		t.Fatal(err)
	}
	if log, _ := os.ReadFile(p.Log); !strings.Contains(string(log), "Ready to accept connections") {
		t.Errorf("redis-server log:\n%s", log)
	}
	if n, err := Down(dir); err != nil || n != 1 {
		t.Fatalf("Down = %d, %v; want 1 process stopped", n, err)
	}
	if p.alive() {
		t.Error("redis-server still runs after Down")
	}
	if err := redisPing(st.s.Ports.Redis)(context.Background()); err == nil {
		t.Error("redis-server still answers after Down")
	}
}

func TestRedisServer_missingBinarySaysMakeTools(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	st := &starter{o: Options{BinDir: t.TempDir()}, s: &State{Dir: t.TempDir(), Ports: PortsFrom(31200)}}
	if _, err := st.startRedis(); err == nil || !strings.Contains(err.Error(), "make tools") {
		t.Fatalf("startRedis without a binary = %v, want an error saying to run make tools", err)
	}
}
