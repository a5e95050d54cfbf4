package main

import (
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
)

// TestRunFailsClearly checks the two start-up failures a newcomer meets:
// the port is taken, or the exports folder does not exist.
func TestRunFailsClearly(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name, addr, exports, want string
	}{
		{"address taken", taken.Addr().String(), "", "address already in use"},
		{"exports folder missing", "127.0.0.1:0", t.TempDir() + "/missing", "exports folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.addr, tt.exports, log)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q, %q) = %v, want an error containing %q", tt.addr, tt.exports, err, tt.want)
			}
		})
	}
}
