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
