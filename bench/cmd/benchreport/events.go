package main

import "fmt"

// writeEvents writes the events broker's section: BenchmarkFanout (one
// event to many subscribers over loopback) and the per-event cost of
// EventSourceResponse in the sse micro workload, against the targets of
// the events issue. fanout may be nil (no run), micro not.
func writeEvents(p printer, fanout, micro *table) {
	p("## Events\n\n")
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	p("| target | measured | |\n|---|---:|---|\n")
	if floor, ok := micro.median("sse", "floor", "ns/op"); ok {
		if r, ok := micro.median("sse", "respond", "ns/op"); ok {
			p("| sse micro workload, pings on (the default): at most 1.5× the floor | %.2f× | %s |\n", r/floor, met(r/floor <= 1.5))
		}
		if r, ok := micro.median("sse", "respond_noping", "ns/op"); ok {
			p("| sse micro workload, pings off: at most 1.2× the floor | %.2f× | %s |\n", r/floor, met(r/floor <= 1.2))
		}
	}
	if fanout == nil {
		p("\nBenchmarkFanout was not run.\n\n")
		return
	}
	if f, ok := fanout.median("10000", "floor", "server-ns/event"); ok {
		if b, ok := fanout.median("10000", "broker", "server-ns/event"); ok {
			p("| 10,000 subscribers: server CPU per delivered event at most 1.2× the hand-written hub's | %.2f× | %s |\n", b/f, met(b/f <= 1.2))
		}
	}
	if p99, ok := fanout.median("1000", "broker", "p99-ms"); ok {
		p("| 1,000 subscribers: publish-to-receive p99 at most 100 ms | %.1f ms | %s |\n", p99, met(p99 <= 100))
	}
	if idle, ok := fanout.median("10000", "idle", "mem-B/sub"); ok {
		if b, ok := fanout.median("10000", "broker", "mem-B/sub"); ok {
			p("| an idle subscriber: heap and stack beyond net/http's own connection, goal at most 4 KiB | %s | %s |\n", formatBytes(b-idle), met(b-idle <= 4096))
		}
	}
	p("\nBenchmarkFanout (bench/e2e): a server in a process of its own holds N event streams over loopback;\n")
	p("each iteration publishes one event (POST /publish) and waits until every subscriber has read it.\n")
	p("*floor* is a hand-written hub: a channel per subscriber, each event encoded once and handed to every\n")
	p("subscriber's goroutine, which writes and flushes it. *broker* is events.Broker's Stream in memory.\n")
	p("*idle* streams only wait: net/http's own cost per connection. Server CPU is per event delivered to one\n")
	p("subscriber (getrusage of the server process); latency is from the publish to each arrival; memory is\n")
	p("the server's heap and stacks in use after a collection, per idle subscriber. Medians.\n\n")
	p("| subscribers | server | server CPU/event | p50 | p99 | memory/subscriber |\n|---:|---|---:|---:|---:|---:|\n")
	for _, row := range fanout.rows {
		for _, col := range fanout.cols {
			mem, ok := fanout.median(row, col, "mem-B/sub")
			if !ok {
				continue
			}
			cells := [3]string{"–", "–", "–"}
			if v, ok := fanout.median(row, col, "server-ns/event"); ok {
				cells[0] = formatNs(v)
			}
			if v, ok := fanout.median(row, col, "p50-ms"); ok {
				cells[1] = fmt.Sprintf("%.1f ms", v)
			}
			if v, ok := fanout.median(row, col, "p99-ms"); ok {
				cells[2] = fmt.Sprintf("%.1f ms", v)
			}
			p("| %s | %s | %s | %s | %s | %s |\n", row, col, cells[0], cells[1], cells[2], formatBytes(mem))
		}
	}
	p("\nReplay, expiry, slow subscribers, shutdown and the Redis transport are checked by tests, not timed:\n")
	p("events' TestBroker*, and events/redis's TestZeroLoss (2 replicas on one redis-server, 200 subscribers\n")
	p("reconnecting at random, a replica restarted while 10,000 events are published: every subscriber\n")
	p("receives every event exactly once, in order).\n\n")
}
