// Package testlong is the project's test-speed convention, written once:
// `make test` runs go test -short and must stay within a few minutes, so
// a test too slow for every run skips under -short and runs in `make
// test-long`, which CI also runs. Each such test says so with Skip, and
// names its fast twin where it has one.
package testlong

import "testing"

// Skip skips tb under -short with the message "long: make test-long",
// followed by " (why)" when why is not empty.
func Skip(tb testing.TB, why string) {
	tb.Helper()
	if !testing.Short() {
		return
	}
	msg := "long: make test-long"
	if why != "" {
		msg += " (" + why + ")"
	}
	tb.Skip(msg)
}
