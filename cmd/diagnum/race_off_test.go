//go:build !race

package main

// raceEnabled tells a test that the race detector is on (go test -race).
const raceEnabled = false
