package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// process is one long-running sandbox component as recorded in the state file, so that
// `make sandbox-down` can stop exactly the processes it started and nothing else.
type process struct {
	Name   string `json:"name"`
	PID    int    `json:"pid"`
	Binary string `json:"binary"` // resolved path of the executable, checked before signalling
	Log    string `json:"log"`
}

// startProcess launches a component in its own process group, detached from the caller,
// with stdout and stderr going to dir/logs/<name>.log.
func startProcess(dir, name, binary string, args []string, env []string) (*process, error) {
	resolved, err := filepath.EvalSymlinks(binary)
	if err != nil {
		return nil, fmt.Errorf("%s: binary %s not found: run `make tools` first", name, binary)
	}
	resolved, err = filepath.Abs(resolved)
	if err != nil {
		return nil, err
	}
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, err
	}
	logPath := filepath.Join(logDir, name+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	defer func() { _ = logFile.Close() }()
	cmd := exec.Command(resolved, args...)
	// argv[0] keeps the name it was started by: Debian's redis-server is a link to
	// redis-check-rdb, which picks its mode from argv[0]. /proc/<pid>/exe is still resolved.
	cmd.Args[0] = binary
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Stdin = nil
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{Name: name, PID: cmd.Process.Pid, Binary: resolved, Log: logPath}
	// Reap the child if it exits while this process still runs; after we exit, init does.
	go func() { _ = cmd.Wait() }()
	return p, nil
}

// alive reports whether the recorded process still runs the recorded binary (a recycled
// pid running something else is not ours).
func (p *process) alive() bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", p.PID))
	if err != nil {
		return false
	}
	exe = strings.TrimSuffix(exe, " (deleted)")
	if exe != p.Binary {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.PID))
	if err != nil {
		return false
	}
	// Field 3 is the state; a zombie has exited already.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
		return false
	}
	return true
}

// stop sends SIGTERM to the process group, waits up to grace and then SIGKILLs it.
func (p *process) stop(grace time.Duration) error {
	if !p.alive() {
		return nil
	}
	_ = syscall.Kill(-p.PID, syscall.SIGTERM)
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) {
		if !p.alive() {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = syscall.Kill(-p.PID, syscall.SIGKILL)
	for i := 0; i < 100; i++ {
		if !p.alive() {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s (pid %d) did not stop", p.Name, p.PID)
}

// logTail returns the last n lines of the component's log, for error messages.
func (p *process) logTail(n int) string {
	f, err := os.Open(p.Log)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// ErrAlreadyRunning is returned by Up when the directory already has a live sandbox.
var ErrAlreadyRunning = errors.New("sandbox already running")
