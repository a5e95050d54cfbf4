package redis

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// startRedis starts a redis-server of its own on a free loopback port,
// without persistence, and stops it when the test ends. A missing
// redis-server fails the test: .ci/run installs it.
func startRedis(t testing.TB) *goredis.Client {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is needed (apt-get install redis-server): %v", err)
	}
	for attempt := 0; ; attempt++ {
		port := freePort(t)
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", t.TempDir())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		client := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), PoolSize: 64})
		if waitForRedis(client) == nil {
			t.Cleanup(func() {
				client.Close()
				cmd.Process.Kill()
				cmd.Wait()
			})
			return client
		}
		client.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if attempt == 4 {
			t.Fatalf("redis-server did not answer on port %d", port)
		}
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitForRedis waits up to 5 s for the server to answer PING.
func waitForRedis(client *goredis.Client) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := client.Ping(ctx).Err()
		cancel()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
