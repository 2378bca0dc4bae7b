package testlong

import (
	"flag"
	"testing"
)

// TestSkip: under -short a test calling Skip is skipped with the
// convention's message; without -short it runs on.
func TestSkip(t *testing.T) {
	old := flag.Lookup("test.short").Value.String()
	t.Cleanup(func() { _ = flag.Set("test.short", old) })
	for _, short := range []string{"true", "false"} {
		if err := flag.Set("test.short", short); err != nil {
			t.Fatal(err)
		}
		ran := false
		sub := t.Run("short="+short, func(t *testing.T) {
			Skip(t, "fast twin: TestX")
			ran = true
		})
		if !sub {
			t.Fatalf("short=%s: subtest failed", short)
		}
		if want := short == "false"; ran != want {
			t.Errorf("short=%s: went on after Skip = %v, want %v", short, ran, want)
		}
	}
}
