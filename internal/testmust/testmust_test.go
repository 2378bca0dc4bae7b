package testmust

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// recorder is a testing.TB that records Fatal instead of ending the test.
type recorder struct {
	testing.TB
	fatal []any
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.fatal = append(r.fatal, args...) }

// TestValue: the value comes back when err is nil; the error fails the
// test otherwise.
func TestValue(t *testing.T) {
	r := &recorder{TB: t}
	if got := Value(42, nil)(r); got != 42 || r.fatal != nil {
		t.Errorf("Value(42, nil) = %d, fatal %v", got, r.fatal)
	}
	bad := errors.New("illisible")
	Value(0, bad)(r)
	if len(r.fatal) != 1 || r.fatal[0] != bad {
		t.Errorf("Value(0, err): fatal %v, want [%v]", r.fatal, bad)
	}
}

// TestWritten: the bytes written come back; a write error fails the
// test.
func TestWritten(t *testing.T) {
	r := &recorder{TB: t}
	got := Written(r, func(w io.Writer) error { _, err := fmt.Fprintf(w, "a;%d", 7); return err })
	if string(got) != "a;7" || r.fatal != nil {
		t.Errorf("Written = %q, fatal %v", got, r.fatal)
	}
	bad := errors.New("disque plein")
	Written(r, func(io.Writer) error { return bad })
	if len(r.fatal) != 1 || r.fatal[0] != bad {
		t.Errorf("write error: fatal %v, want [%v]", r.fatal, bad)
	}
}
