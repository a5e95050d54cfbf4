package main

import (
	"bytes"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Instruction counts are the micro benchmarks' noise-free measure: on a
// shared machine a run's times drift by 20% and more between minutes,
// while the instructions a request executes are the same in every run.
// They are counted by valgrind's cachegrind, with one P and no garbage
// collector so that no other goroutine runs, as the difference between
// two runs of n and 3n iterations (which cancels the start-up).

// instructionImpls are the implementations whose instructions are
// counted: the references and the peers that are fastest somewhere.
var instructionImpls = []string{"floor", "shape", "respond", "respond_noping", "gin", "echo", "chi_render"}

// nativeBudget is the native run time each count aims at per workload:
// valgrind takes about 50 times as long.
const nativeBudget = 20e6 // ns

// countInstructions writes the instructions per request of each
// workload and implementation of micro to out, in the format of go test
// -bench with the unit instructions/op. It reports false, writing
// nothing, when valgrind is not installed.
func countInstructions(out string, micro *table) bool {
	if _, err := exec.LookPath("valgrind"); err != nil {
		log.Printf("valgrind not found: no instruction counts")
		return false
	}
	bin, err := filepath.Abs(filepath.Join(filepath.Dir(out), "bench.test"))
	if err != nil {
		log.Fatal(err)
	}
	if err := exec.Command("go", "test", "-c", "-o", bin, ".").Run(); err != nil {
		log.Fatalf("go test -c: %v", err)
	}
	defer os.Remove(bin)
	var b bytes.Buffer
	for _, wl := range micro.rows {
		for _, impl := range instructionImpls {
			ns, ok := micro.median(wl, impl, "ns/op")
			if !ok {
				continue
			}
			n := max(int(nativeBudget/ns), 100)
			name := "BenchmarkMicro/" + wl + "/" + impl
			per, err := instructionsPerOp(bin, "^"+regexp.QuoteMeta(name)+"$", n)
			if err != nil {
				log.Fatalf("%s: %v", name, err)
			}
			log.Printf("%s: %.0f instructions/op", name, per)
			fmt.Fprintf(&b, "%s-1 1 %.0f instructions/op\n", name, per)
		}
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	return true
}

var instructionsLine = regexp.MustCompile(`I\s+refs:\s+([\d,]+)`)

// instructionsPerOp counts the instructions of one iteration of the
// benchmark bench (a -test.bench pattern) of the test binary bin.
func instructionsPerOp(bin, bench string, n int) (float64, error) {
	run := func(iters int) (float64, error) {
		cmd := exec.Command("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
			bin, "-test.run", "^$", "-test.bench", bench, "-test.benchtime", strconv.Itoa(iters)+"x")
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1", "GOGC=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("valgrind: %v\n%s", err, out)
		}
		m := instructionsLine.FindSubmatch(out)
		if m == nil || !bytes.Contains(out, []byte("PASS")) {
			return 0, fmt.Errorf("no instruction count in:\n%s", out)
		}
		return strconv.ParseFloat(strings.ReplaceAll(string(m[1]), ",", ""), 64)
	}
	a, err := run(n)
	if err != nil {
		return 0, err
	}
	b, err := run(3 * n)
	if err != nil {
		return 0, err
	}
	return math.Round((b - a) / float64(2*n)), nil
}
