//go:build unix

package metering

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// lockDir takes an exclusive flock(2) on path, released by closing it or by the process's
// death, so a restarted gateway never waits for a stale lock.
func lockDir(path string) (io.Closer, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("metering: open spool lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close() // the lock file holds no data: the flock error is the one to report
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("metering: spool directory %s is in use by another process", path[:len(path)-len(lockName)-1])
		}
		return nil, fmt.Errorf("metering: lock spool: %w", err)
	}
	return f, nil
}
