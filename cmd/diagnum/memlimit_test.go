package main

import "testing"

// TestOutputLimit: the limit is set for a small live heap only, and
// never over the user's GOMEMLIMIT.
func TestOutputLimit(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		env  string
		ok   bool
	}{
		{80 << 20, "", true},
		{outputLiveMax, "", true},
		{outputLiveMax + 1, "", false},
		{2 << 30, "", false},
		{80 << 20, "1GiB", false},
	} {
		limit, ok := outputLimit(tt.live, tt.env)
		if ok != tt.ok || ok && limit != outputMemoryLimit {
			t.Errorf("outputLimit(%d, %q) = %d, %v; want ok %v", tt.live, tt.env, limit, ok, tt.ok)
		}
	}
}
