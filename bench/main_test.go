package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fixtureDir holds the files the workloads serve, made by TestMain.
var fixtureDir string

// smallFile is the path of file_small's 1 KiB file.
var smallFile string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "respond-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixtureDir = dir
	smallFile = filepath.Join(dir, smallFileName)
	if err := os.WriteFile(smallFile, bytes.Repeat([]byte("%PDF-1.4 respond"), smallFileSize/16), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
