# diagnum — territorial diagnostic of digital inclusion.
#   make run    the diagnostic of Creuse (23) on the embedded real data
#   make test   the test suite (with -race, -short: the slow end-to-end
#               cases are left to make test-long), as CI runs it
#   make test-long  every test, the slow ones included (CI runs it too)
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
SHARED      ?= ../shared/data
BIN         := bin/diagnum
FUZZTIME    ?= 10s

.PHONY: all build run test test-long fuzz fuzz-long bench lint data data-check clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/diagnum

run: build
	./$(BIN)

# The timeouts (per package) are far above the expected times (README:
# about 4 minutes for make test on 2 quiet cores, cmd/diagnum the longest
# package at about 2 minutes) so that a loaded machine does not hit them
# by accident, yet well within CI's 90 minutes: a package that hangs fails
# with Go's list of the tests still running and their goroutines, instead
# of the whole run being cut without a word.
test:
	$(GO) test -short -race -count=1 -timeout 20m ./...

# Every test, including those that skip under -short (each says
# "long: make test-long"): the national runs through the built command,
# the whole bad corpus through the CLI, …; then, without the race
# detector (a million rows under it take many GiB), Contrôles at Excel's
# real row limit.
test-long:
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -count=1 -timeout 20m -run '^TestControlesOverflowExcelLimit$$' ./cmd/diagnum

# Short fuzz smoke runs of every Fuzz target (one -fuzz target at a time,
# as go test requires), in every package that has one. Minimising each new
# input is capped at $(FUZZMINIMIZE) runs: with the default (60 s) a slow
# target such as FuzzMeasures spends a short run minimising, not fuzzing.
# Go 1.26 may end a run with a bare "context deadline exceeded" when
# -fuzztime expires (go.dev/issue/75804, fixed in Go 1.27): such a run
# fails only if it also wrote a failing input to testdata/fuzz.
FUZZMINIMIZE ?= 100x
fuzz:
	@set -e; out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
	    n0=$$(ls $$pkg/testdata/fuzz/$$t 2>/dev/null | wc -l); \
	    if $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg >$$out 2>&1; then \
	      tail -n 1 $$out; continue; \
	    fi; \
	    cat $$out; \
	    n1=$$(ls $$pkg/testdata/fuzz/$$t 2>/dev/null | wc -l); \
	    if [ "$$n1" = "$$n0" ] && grep -q '^    context deadline exceeded$$' $$out; then \
	      echo "fuzz $$t: no failing input, Go's fuzztime race (go.dev/issue/75804); not a failure"; \
	    else exit 1; fi; \
	  done; \
	done

# Long fuzzing, off CI: every target for 5 minutes (FUZZTIME), then the
# inputs the fuzzer found interesting (kept in Go's cache) are copied into
# each package's testdata/fuzz/<target>, to be committed: they seed the
# short runs and `go test` from then on.
fuzz-long:
	$(MAKE) fuzz FUZZTIME=5m
	@cache=$$($(GO) env GOCACHE)/fuzz; \
	for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  ip=$$($(GO) list $$pkg); \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    if [ -d "$$cache/$$ip/$$t" ]; then \
	      mkdir -p $$pkg/testdata/fuzz/$$t; cp -n "$$cache/$$ip/$$t"/* $$pkg/testdata/fuzz/$$t/ 2>/dev/null || true; \
	      echo "$$pkg $$t: $$(ls $$pkg/testdata/fuzz/$$t | wc -l) corpus files"; \
	    fi; \
	  done; \
	done

# Benchmarks: medians of $(BENCHCOUNT) runs of the indexed code, one run of
# each naive O(communes × sites) baseline (tens of seconds each), the 10×
# scale case, the national run end to end (in process, then the built
# command under /usr/bin/time for its wall time, CPU time and peak RSS,
# and plan --france --add 8000 with its workbook the same way), then the
# table of medians, ratios, peak memory and targets; last, bench/ sets the
# national measures beside the numpy + cKDTree peer (bench/peer.py,
# interleaved rounds; skipped with a message without python3-numpy and
# python3-scipy) and the command beside the recorded PostGIS figure. The
# demand cases run once each: 350 k, 1 M and 2.3 M demand units × 10 k
# sites (BenchmarkDemand, issue 14; BenchmarkDemandFrance: the same sizes
# placed in the embedded communes' polygons, with their sites) and 350 k,
# 1 M and 2.3 M demand points
# × 50 k sites (BenchmarkComputeGrid, issue 16), with their growth
# exponents; they take minutes (make bench DIAGNUM_BENCH_GRID= leaves the
# 50 k case out). The sites loads from disk run once each (1 M sites, in
# child processes), the 100 k GeoJSON load, paired each time with the same
# sites in CSV, $(BENCHCOUNT) times more, so that its ratio to the CSV
# (issue 17: ≤ 2×) is the median of interleaved rounds.
BENCHCOUNT ?= 5
DIAGNUM_BENCH_GRID ?= 1
BENCHOUT   := /tmp/diagnum-bench.txt
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./geo | tee $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^Benchmark(Compute|ComputeTerritory|ComputeNational|LoadCompute)$$' -benchmem -count $(BENCHCOUNT) ./diag | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^Benchmark(Compute|ComputeNational)Naive$$' -benchtime 1x -count 1 ./diag | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^BenchmarkDemand(France)?$$' -benchtime 1x -count 1 ./diag | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./diag/report | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^BenchmarkCompute10x$$' -benchtime 1x -count 3 ./diag | tee -a $(BENCHOUT)
	DIAGNUM_BENCH_GRID=$(DIAGNUM_BENCH_GRID) $(GO) test -run '^$$' -bench '^BenchmarkComputeGrid$$' -benchtime 1x -count 1 -timeout 60m ./diag | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^BenchmarkEndToEndNational$$' -benchmem -count $(BENCHCOUNT) ./cmd/diagnum | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^BenchmarkPlan(National|Departement)$$' -benchmem -count 3 ./diag/plan | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^BenchmarkGrid5M$$' -benchtime 1x -count 1 ./geo/route | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^Benchmark(LoadSitesFile|IndicatorsWide|LoadDemandGrid)$$' -benchmem -benchtime 1x -count 1 ./data | tee -a $(BENCHOUT)
	$(GO) test -run '^$$' -bench '^BenchmarkLoadSitesFile$$/^geojson$$/^100k$$' -benchtime 1x -count $(BENCHCOUNT) ./data | tee -a $(BENCHOUT)
	@$(MAKE) --no-print-directory build
	@if [ -x /usr/bin/time ]; then \
	  for i in 1 2 3; do \
	    /usr/bin/time -f '%e %M %U %S' -o /tmp/diagnum-time.txt ./$(BIN) --france --quiet --out /tmp/diagnum-bench-france.xlsx; \
	    awk '{printf "BenchmarkCLINational\t1\t%.0f ns/op\t%.0f cpu-ms/op\t%.1f peak-RSS-MiB\n", $$1*1e9, ($$3+$$4)*1e3, $$2/1024}' /tmp/diagnum-time.txt | tee -a $(BENCHOUT); \
	  done; \
	  for i in 1 2 3; do \
	    /usr/bin/time -f '%e %M %U %S' -o /tmp/diagnum-time.txt ./$(BIN) plan --france --add 8000 --quiet --out /tmp/diagnum-bench-plan.xlsx; \
	    awk '{printf "BenchmarkCLIPlan8000\t1\t%.0f ns/op\t%.0f cpu-ms/op\t%.1f peak-RSS-MiB\n", $$1*1e9, ($$3+$$4)*1e3, $$2/1024}' /tmp/diagnum-time.txt | tee -a $(BENCHOUT); \
	  done; \
	  rm -f /tmp/diagnum-time.txt /tmp/diagnum-bench-france.xlsx /tmp/diagnum-bench-plan.xlsx; \
	else echo "bench: no /usr/bin/time (apt-get install time): the command's wall time and peak RSS are not measured"; fi
	@$(GO) run ./diag/internal/benchreport < $(BENCHOUT)
	@echo
	@$(GO) run ./bench -rounds $(BENCHCOUNT) -bin $(BIN)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Regenerate the embedded default data set from the shared open data
# (the only step that reads $(SHARED)); the result is committed.
data:
	$(GO) run ./data/gen -shared $(SHARED) -out data/embed

# Check that regenerating gives identical bytes.
data-check:
	rm -rf /tmp/diagnum-data-check && $(GO) run ./data/gen -shared $(SHARED) -out /tmp/diagnum-data-check
	diff -r /tmp/diagnum-data-check data/embed && echo "make data is reproducible"

clean:
	rm -rf bin
