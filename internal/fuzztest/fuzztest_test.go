package fuzztest

import (
	"fmt"
	"io/fs"
	"testing"
)

// TestRefused: no error is not a refusal; a wrapped error of the type
// asked for is one (a foreign error fails the test, so is not tried).
func TestRefused(t *testing.T) {
	if Refused[*fs.PathError](t, nil) {
		t.Error("nil error counted as refused")
	}
	err := fmt.Errorf("load x: %w", &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist})
	if !Refused[*fs.PathError](t, err) {
		t.Error("wrapped *fs.PathError not counted as refused")
	}
}

// TestHead: the first n lines with their ends; the whole input when it
// has n lines or fewer, or when n <= 0.
func TestHead(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "a\nb\n"},
		{"a\r\nb\r\nc", 1, "a\r\n"},
		{"a\nb\nc", 3, "a\nb\nc"},
		{"a\nb\n", 2, "a\nb\n"},
		{"a\nb", 5, "a\nb"},
		{"a\nb", 0, "a\nb"},
		{"", 20, ""},
	} {
		if got := string(Head([]byte(tc.in), tc.n)); got != tc.want {
			t.Errorf("Head(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
