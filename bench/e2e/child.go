package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ChildEnv is the environment variable that turns a test binary (or any
// program calling [ServeChild] early in main) into a server process.
const ChildEnv = "RESPOND_BENCH_E2E_SERVER"

// ServeChild serves the server named by $RESPOND_BENCH_E2E_SERVER on a
// loopback port and never returns; it does nothing when the variable is
// not set. It prints "addr HOST:PORT" on stdout, then answers each "cpu"
// line on stdin with "cpu NANOSECONDS", the user plus system CPU time
// this process has used, and exits when stdin closes, so a server never
// outlives the benchmark that started it.
//
// The servers run in a process of their own so that their CPU time per
// request can be measured apart from the load generator's.
func ServeChild() {
	name := os.Getenv(ChildEnv)
	if name == "" {
		return
	}
	if err := serveChild(name, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func serveChild(name string, in io.Reader, out io.Writer) error {
	dir, err := os.MkdirTemp("", "respond-bench-e2e-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := WriteBigFile(dir); err != nil {
		return err
	}
	if err := writeSmallFile(dir); err != nil {
		return err
	}
	h, err := Handler(name, dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := NewServer(h)
	go srv.Serve(ln)
	fmt.Fprintf(out, "addr %s\n", ln.Addr())
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		switch sc.Text() {
		case "cpu":
			fmt.Fprintf(out, "cpu %d\n", ProcessCPU())
		case "heap":
			fmt.Fprintf(out, "heap %d\n", heapInuse())
		}
	}
	return nil // stdin closed: the parent is done or gone
}

// ProcessCPU returns the user plus system CPU time of this process, in
// nanoseconds, from getrusage(RUSAGE_SELF).
func ProcessCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// Child is a server process started by [StartChild].
type Child struct {
	Addr string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
}

// StartChild runs the executable exe (normally os.Args[0], a test binary
// whose TestMain calls ServeChild) as the named server.
func StartChild(exe, name string) (*Child, error) {
	if !known(name) {
		return nil, fmt.Errorf("e2e: unknown server %q", name)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), ChildEnv+"="+name)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &Child{cmd: cmd, in: in, out: bufio.NewReader(out)}
	addr, err := c.read("addr")
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("e2e: start %s server: %w", name, err)
	}
	c.Addr = addr
	return c, nil
}

// CPU returns the server's CPU time so far, in nanoseconds.
func (c *Child) CPU() (int64, error) { return c.query("cpu") }

// Heap returns the server's memory in use after a full collection, in
// bytes: its heap and its goroutines' stacks.
func (c *Child) Heap() (int64, error) { return c.query("heap") }

// query asks the server for the number called key.
func (c *Child) query(key string) (int64, error) {
	if _, err := io.WriteString(c.in, key+"\n"); err != nil {
		return 0, err
	}
	v, err := c.read(key)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// heapInuse returns the heap and stacks in use after a full collection:
// an idle stream's cost is mostly its goroutine's stack and buffers.
func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

func (c *Child) read(key string) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := c.out.ReadString('\n')
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", r.err
		}
		v, ok := strings.CutPrefix(strings.TrimSpace(r.line), key+" ")
		if !ok {
			return "", fmt.Errorf("e2e: server said %q, want %q", r.line, key+" ...")
		}
		return v, nil
	case <-time.After(30 * time.Second):
		return "", fmt.Errorf("e2e: server did not answer %q", key)
	}
}

// Close stops the server and waits for it to exit.
func (c *Child) Close() error {
	c.in.Close()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		return <-done
	}
}
