package diag

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls fn(lo, hi) over consecutive chunks of [0, n) on up to
// workers goroutines. Each chunk must write only its own slots, so the
// result does not depend on scheduling. It returns the error of the
// lowest failing chunk, or the context's error.
func parallel(ctx context.Context, n, workers int, fn func(lo, hi int) error) error {
	return parallelChunks(ctx, n, workers, max(16, n/(max(workers, 1)*16)), fn)
}

// parallelChunks is parallel with chunks of the given size (at least 1).
func parallelChunks(ctx context.Context, n, workers, chunk int, fn func(lo, hi int) error) error {
	if n == 0 {
		return ctx.Err()
	}
	if workers < 1 {
		workers = 1
	}
	chunk = max(1, chunk)
	nchunks := (n + chunk - 1) / chunk
	errs := make([]error, nchunks)
	var next atomic.Int64
	run := func() {
		for {
			c := int(next.Add(1)) - 1
			if c >= nchunks {
				return
			}
			if err := ctx.Err(); err != nil {
				errs[c] = err
				continue
			}
			errs[c] = fn(c*chunk, min(n, (c+1)*chunk))
		}
	}
	if workers == 1 || nchunks == 1 {
		run()
	} else {
		var wg sync.WaitGroup
		for range min(workers, nchunks) {
			wg.Go(run)
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// defaultWorkers is the number of goroutines used with the travel-time
// model: one per available CPU.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// Parallel calls fn(lo, hi) over consecutive chunks of [0, n) on one
// goroutine per available CPU (see parallel): for the packages that
// build on diag (the planner), whose chunks write their own slots only.
func Parallel(ctx context.Context, n int, fn func(lo, hi int) error) error {
	return parallel(ctx, n, defaultWorkers(), fn)
}
