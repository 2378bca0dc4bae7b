package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress prints the current step on stderr when it is a terminal and the
// step lasts long enough to matter; it is silent otherwise.
type progress struct {
	w     io.Writer
	on    bool
	name  string
	start time.Time
}

func newProgress(w io.Writer, quiet bool) *progress {
	on := false
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, on: on}
}

// step ends the previous step and starts a new one.
func (p *progress) step(name string) {
	p.end()
	p.name, p.start = name, time.Now()
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K… %s", name)
	}
}

func (p *progress) end() {
	if p.on && p.name != "" {
		fmt.Fprintf(p.w, "\r\033[K✓ %s (%.1f s)\n", p.name, time.Since(p.start).Seconds())
	}
	p.name = ""
}

// done ends the last step.
func (p *progress) done() { p.end() }

// counter returns a function that shows a count beside the current step
// on a terminal (at most every 100 ms; safe for concurrent use), or nil
// when progress is off.
func (p *progress) counter(what string) func(n int64) {
	if !p.on {
		return nil
	}
	var mu sync.Mutex
	var last time.Time
	return func(n int64) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(p.w, "\r\033[K… %d %s", n, what)
	}
}
