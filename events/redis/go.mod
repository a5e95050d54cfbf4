module github.com/go-respond/respond/events/redis

go 1.25.0

replace github.com/go-respond/respond => ../..

require (
	github.com/go-respond/respond v0.0.0-00010101000000-000000000000
	github.com/google/go-cmp v0.7.0
	github.com/redis/go-redis/v9 v9.22.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/sys v0.30.0 // indirect
)
