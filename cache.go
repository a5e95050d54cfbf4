package respond

import "sync"

// boundedCache is a map of at most limit entries, safe for concurrent
// use. When it is full, put drops an arbitrary entry (the first in Go's
// randomised map order), which bounds its memory without bookkeeping on
// every hit; the caches of files hold what a lookup can recompute.
type boundedCache[K comparable, V any] struct {
	limit int
	mu    sync.RWMutex
	m     map[K]V
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *boundedCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[K]V)
	}
	if _, ok := c.m[k]; !ok && len(c.m) >= c.limit {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = v
}

func (c *boundedCache[K, V]) remove(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.mu.Unlock()
}

// len returns the number of entries, for tests.
func (c *boundedCache[K, V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// clear removes every entry, for tests.
func (c *boundedCache[K, V]) clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
