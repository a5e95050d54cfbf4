package redis

import (
	"testing"

	"github.com/go-respond/respond/internal/redistest"
	goredis "github.com/redis/go-redis/v9"
)

// startRedis starts a redis-server of the test's own and returns a
// client for it (see redistest.Start).
func startRedis(t testing.TB) *goredis.Client {
	t.Helper()
	client := goredis.NewClient(&goredis.Options{Addr: redistest.Start(t), PoolSize: 64})
	t.Cleanup(func() { client.Close() })
	return client
}
