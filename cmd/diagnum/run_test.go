package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs diagnum in a fresh folder and returns stderr and the error.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), args, &stdout, &stderr)
	return stderr.String(), err
}

func TestHelpReadsWell(t *testing.T) {
	out, err := run(t, "--help")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"--dept CODE", "--region", "--france", "--sites", "--indicators", "--threshold", "diagnostic-23.xlsx"} {
		if !strings.Contains(out, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}

// TestBadInputsWriteNothing: each malformed user file stops the run with
// an error naming the file, and no workbook is written.
func TestBadInputsWriteNothing(t *testing.T) {
	bad, err := filepath.Abs("../../testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flag, file, want string
	}{
		{"--sites", "empty.csv", "no usable row"},
		{"--sites", "missing-column.csv", "missing column"},
		{"--sites", "binary.csv", "not a text file"},
		{"--sites", "header-only.csv", "no usable row"},
		{"--indicators", "indicators-no-code.csv", "code_insee"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(bad, tc.file)
			_, err := run(t, tc.flag, path, "--out", "x.xlsx")
			if err == nil {
				t.Fatalf("%s %s: no error", tc.flag, tc.file)
			}
			if !strings.Contains(err.Error(), tc.file) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name the file and %q", err, tc.want)
			}
			if entries, _ := os.ReadDir("."); len(entries) != 0 {
				t.Errorf("files left behind: %v", entries)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--dept", "23", "--france"},
		{"--dept", "ZZ"},
		{"--supply", "boulangerie"},
		{"--etp", "france-services"},
		{"extra"},
	} {
		if _, err := run(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	if _, err := run(t, "--dept", "99"); err == nil || !strings.Contains(err.Error(), "99") {
		t.Errorf("--dept 99: err = %v, want an unknown-territory error", err)
	}
}
