// Package redistest starts a redis-server of a test's own, for the
// tests of the Redis transport and of examples/live.
package redistest

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Start starts redis-server on a free loopback port, without
// persistence, and stops it when the test ends; it returns its
// address. Without redis-server the test is skipped, or fails when
// RESPOND_CI is set, as .ci/run sets it: in CI a missing server is a
// failure, never a skip.
func Start(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("RESPOND_CI") != "" {
			t.Fatalf("redis-server is needed (apt-get install redis-server): %v", err)
		}
		t.Skipf("redis-server is not installed (apt-get install redis-server): %v", err)
	}
	for attempt := 0; ; attempt++ {
		addr := freeAddr(t)
		_, port, _ := net.SplitHostPort(addr)
		cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", t.TempDir())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if err := waitForPing(addr, 5*time.Second); err == nil {
			t.Cleanup(func() {
				cmd.Process.Kill()
				cmd.Wait()
			})
			return addr
		} else if attempt == 4 {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("redis-server on %s: %v", addr, err)
		}
		cmd.Process.Kill() // the port was taken in between: another one
		cmd.Wait()
	}
}

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitForPing waits until the server at addr answers PING with PONG.
func waitForPing(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ping(addr)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return &net.AddrError{Err: "not redis: " + strconv.Quote(line), Addr: addr}
	}
	return nil
}
