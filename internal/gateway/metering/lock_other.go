//go:build !unix

package metering

import (
	"fmt"
	"io"
	"os"
)

// lockDir only creates the lock file: without flock(2) the spool relies on one gateway per
// directory.
func lockDir(path string) (io.Closer, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("metering: open spool lock: %w", err)
	}
	return f, nil
}
