// Command benchreport runs respond's benchmarks against hand-written
// net/http and the peer frameworks and regenerates BENCHMARKS.md at the
// repository root: medians over several runs, benchstat's comparison,
// ratios to the floor, the machine and Go version, and how to rerun.
//
//	go -C bench run ./cmd/benchreport                 # from the repository root
//	go -C bench run ./cmd/benchreport -count 10 -e2e-count 10
//	go -C bench run ./cmd/benchreport -from results   # rewrite from the last run
//
// Raw results go to bench/results/ (ignored by git). The numbers are only
// as quiet as the machine: benchreport waits (up to -quiet-wait) for the
// one-minute load average to fall below -quiet-load before it starts, and
// records the load before and after in the report.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchreport: ")
	count := flag.Int("count", 6, "runs of each micro benchmark (-count of go test)")
	benchtime := flag.String("benchtime", "1s", "`duration` of each micro benchmark run")
	e2eCount := flag.Int("e2e-count", 6, "runs of each end-to-end benchmark (fewer cannot tell 5% apart on a shared machine)")
	e2eTime := flag.String("e2e-benchtime", "1s", "`duration` of each end-to-end benchmark run")
	skipE2E := flag.Bool("skip-e2e", false, "do not run the end-to-end benchmarks (keep their last results)")
	instructions := flag.Bool("instructions", true, "count the micro benchmarks' instructions with valgrind, if it is installed")
	from := flag.String("from", "", "write the report from the results in `dir` without running anything")
	out := flag.String("o", "../BENCHMARKS.md", "the report `file`")
	quietLoad := flag.Float64("quiet-load", 0.5, "wait for a one-minute load average below `load` before running")
	quietWait := flag.Duration("quiet-wait", 10*time.Minute, "wait at most this long for the quiet load")
	flag.Parse()

	if _, err := os.Stat("go.mod"); err != nil || !isBenchModule("go.mod") {
		log.Fatal("run me in the bench module: go -C bench run ./cmd/benchreport")
	}
	dir := "results"
	if *from != "" {
		dir = *from
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}

	run := runInfo{Count: *count, E2ECount: *e2eCount, Benchtime: *benchtime, E2ETime: *e2eTime}
	if *from == "" {
		run.LoadBefore = waitQuiet(*quietLoad, *quietWait)
		run.Started = time.Now()
		goTestRuns(filepath.Join(dir, "micro.txt"), *count, "-run", "^$", "-bench", "^BenchmarkMicro$",
			"-benchtime", *benchtime, ".")
		if *instructions {
			micro, err := readTable(filepath.Join(dir, "micro.txt"))
			if err != nil {
				log.Fatal(err)
			}
			countInstructions(filepath.Join(dir, "instructions.txt"), micro)
		}
		goTestRuns(filepath.Join(dir, "features.txt"), *count, "-run", "^$", "-bench", "^BenchmarkFeatures$",
			"-benchtime", *benchtime, ".")
		if !*skipE2E {
			goTestRuns(filepath.Join(dir, "e2e.txt"), *e2eCount, "-run", "^$", "-bench", "^BenchmarkE2E$",
				"-benchtime", *e2eTime, "./e2e")
			goTestRuns(filepath.Join(dir, "static.txt"), *e2eCount, "-run", "^$", "-bench", "^BenchmarkStatic$",
				"-benchtime", *e2eTime, "./e2e")
			goTestRuns(filepath.Join(dir, "fanout.txt"), *e2eCount, "-run", "^$", "-bench", "^BenchmarkFanout$",
				"-benchtime", "20x", "./e2e")
		}
		run.LoadAfter = loadAverage()
		run.Finished = time.Now()
		if err := writeRunInfo(filepath.Join(dir, "run.txt"), run); err != nil {
			log.Fatal(err)
		}
	} else {
		var err error
		if run, err = readRunInfo(filepath.Join(dir, "run.txt")); err != nil {
			log.Fatal(err)
		}
	}

	report, err := buildReport(dir, run)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, report, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", *out)
}

func isBenchModule(gomod string) bool {
	b, err := os.ReadFile(gomod)
	return err == nil && bytes.Contains(b, []byte("module github.com/go-respond/respond/bench\n"))
}

// goTestRuns runs go test count times with -count 1, into out: each run
// measures every implementation once, so the runs are interleaved and a
// machine that slows down during the report slows them all alike (with
// -count, go test runs one implementation count times, then the next).
func goTestRuns(out string, count int, args ...string) {
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	args = append([]string{"test", "-count", "1"}, args...) // output teed to stderr; an error is fatal
	for i := range count {
		log.Printf("go %s > %s (run %d of %d)", strings.Join(args, " "), out, i+1, count)
		cmd := exec.Command("go", args...)
		cmd.Stdout = io.MultiWriter(f, os.Stderr)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("go test: %v", err)
		}
	}
}

func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// waitQuiet waits until the load average is below limit, or for at most
// max, and returns the load it starts at.
func waitQuiet(limit float64, max time.Duration) float64 {
	deadline := time.Now().Add(max)
	for {
		load := loadAverage()
		if load < limit || time.Now().After(deadline) {
			if load >= limit {
				log.Printf("load average still %.2f after %v; running anyway", load, max)
			}
			return load
		}
		log.Printf("load average %.2f; waiting for < %.2f", load, limit)
		time.Sleep(15 * time.Second)
	}
}

// runInfo describes one run, kept in results/run.txt.
type runInfo struct {
	Count, E2ECount       int
	Benchtime, E2ETime    string
	LoadBefore, LoadAfter float64
	Started, Finished     time.Time
}

func writeRunInfo(path string, r runInfo) error {
	s := fmt.Sprintf("count %d\ne2e-count %d\nbenchtime %s\ne2e-benchtime %s\nload-before %.2f\nload-after %.2f\nstarted %s\nfinished %s\n",
		r.Count, r.E2ECount, r.Benchtime, r.E2ETime, r.LoadBefore, r.LoadAfter,
		r.Started.UTC().Format(time.RFC3339), r.Finished.UTC().Format(time.RFC3339))
	return os.WriteFile(path, []byte(s), 0o644)
}

var runLine = regexp.MustCompile(`^(\S+) (.*)$`)

func readRunInfo(path string) (runInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return runInfo{}, err
	}
	var r runInfo
	for _, line := range strings.Split(string(b), "\n") {
		m := runLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		switch v := m[2]; m[1] {
		case "count":
			r.Count, _ = strconv.Atoi(v)
		case "e2e-count":
			r.E2ECount, _ = strconv.Atoi(v)
		case "benchtime":
			r.Benchtime = v
		case "e2e-benchtime":
			r.E2ETime = v
		case "load-before":
			r.LoadBefore, _ = strconv.ParseFloat(v, 64)
		case "load-after":
			r.LoadAfter, _ = strconv.ParseFloat(v, 64)
		case "started":
			r.Started, _ = time.Parse(time.RFC3339, v)
		case "finished":
			r.Finished, _ = time.Parse(time.RFC3339, v)
		}
	}
	return r, nil
}
