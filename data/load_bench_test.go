package data

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"diagnum/internal/benchstat"
)

// sitesFixture returns n random sites over mainland France as a sites CSV
// and as the same sites in a GeoJSON FeatureCollection, one feature a
// line (as QGIS writes it).
func sitesFixture(n int) (csv, geojson []byte) {
	rng := rand.New(rand.NewPCG(5, 6))
	var c, g bytes.Buffer
	c.WriteString("id,nom,type,latitude,longitude,etp,code_insee\n")
	g.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i := range n {
		lat, lon := 43.5+rng.Float64()*5.5, -0.5+rng.Float64()*6.5
		fmt.Fprintf(&c, "s%d,Lieu numéro %d,cnfs,%.6f,%.6f,1,\n", i, i, lat, lon)
		if i > 0 {
			g.WriteString(",\n")
		}
		fmt.Fprintf(&g, `{"type":"Feature","geometry":{"type":"Point","coordinates":[%.6f,%.6f]},"properties":{"id":"s%d","nom":"Lieu numéro %d","type":"cnfs","etp":1}}`, lon, lat, i, i)
	}
	g.WriteString("\n]}\n")
	return c.Bytes(), g.Bytes()
}

// BenchmarkLoadSites loads 100,000 sites from CSV and from GeoJSON
// (issue 17 §1: GeoJSON within 2× the CSV time) and 1,000,000 from CSV;
// peak-RSS-MiB is the process's peak resident memory (Linux), input bytes
// included. BenchmarkLoadSitesFile measures the 1 M case alone.
func BenchmarkLoadSites(b *testing.B) {
	for _, size := range []struct{ n, nameLen int }{{100_000, 0}, {1_000_000, 300}} {
		n := size.n
		csv, gj := sitesFixture(n)
		formats := map[string][]byte{"csv": csv, "geojson": gj}
		for _, format := range []string{"csv", "geojson"} {
			if n > 100_000 && format == "geojson" {
				continue
			}
			b.Run(fmt.Sprintf("%s/%dk", format, n/1000), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(formats[format])))
				for b.Loop() {
					sites, _, err := LoadSites("s."+format, bytes.NewReader(formats[format]), SitesOptions{})
					if err != nil || len(sites) != n {
						b.Fatalf("%d sites, %v", len(sites), err)
					}
				}
				if rss, ok := benchstat.PeakRSSMiB(); ok {
					b.ReportMetric(rss, "peak-RSS-MiB")
				}
			})
		}
	}
}

// BenchmarkIndicatorsWide loads an indicators file of 1,000 columns over
// 2,000 communes, most cells empty (issue 15 §2: 3,000 empty columns took
// 1.5 GiB and 91 s).
func BenchmarkIndicatorsWide(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("code_insee")
	for j := 1; j < MaxColumns; j++ {
		fmt.Fprintf(&buf, ";ind_%d", j)
	}
	buf.WriteByte('\n')
	for i := range 2000 {
		fmt.Fprintf(&buf, "%05d", 1001+i)
		for j := 1; j < MaxColumns; j++ {
			if j%50 == 0 {
				buf.WriteString(";" + strconv.Itoa(i%97))
			} else {
				buf.WriteByte(';')
			}
		}
		buf.WriteByte('\n')
	}
	in := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := LoadIndicatorsCSV("w.csv", bytes.NewReader(in), NewIndicators()); err != nil {
			b.Fatal(err)
		}
	}
	if rss, ok := benchstat.PeakRSSMiB(); ok {
		b.ReportMetric(rss, "peak-RSS-MiB")
	}
}

// BenchmarkLoadEmbedded decodes the embedded data set (issue 16 §3: no
// allocation per row where it can be avoided; allocs/op is the figure).
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSitesFile loads sites from files on disk, as a user's run
// does: 100,000 sites with short names (issue 17 §1: GeoJSON within 2×
// the time of the same sites in CSV; with names of about 20 characters,
// the JSON around each feature weighs most) and 1,000,000 with
// 300-character names (issue 15 §2: a 1 M-row sites CSV within 30 s and
// 2 GiB, the GeoJSON beside it). Each load runs in a child
// process (this test binary, as TestLoadSitesChild), so that peak-RSS-MiB
// is the load's own peak resident memory, B/site that peak over the sites
// and cpu-ms/op its processor time (user and system), steadier than the
// wall time on a shared machine. Each GeoJSON load is paired with a load
// of the same sites in CSV just before it (not timed in ns/op), and
// reports the CPU and wall times of its LoadSites call over the CSV's
// (x-csv-cpu, x-csv-wall, measured in the children, so that the start of
// a process does not dilute them): the two loads of a pair share the
// machine's load of the moment, and the median over rounds (-count) is
// the figure benchreport judges.
func BenchmarkLoadSitesFile(b *testing.B) {
	dir := b.TempDir()
	for _, size := range []struct{ n, nameLen int }{{100_000, 0}, {1_000_000, 300}} {
		n := size.n
		paths := map[string]string{}
		file := func(b *testing.B, format string) string {
			if paths[format] == "" {
				path := filepath.Join(dir, fmt.Sprintf("lieux-%d.%s", n, format))
				if err := writeSitesFile(path, n, size.nameLen); err != nil {
					b.Fatal(err)
				}
				paths[format] = path
			}
			return paths[format]
		}
		for _, format := range []string{"csv", "geojson"} {
			b.Run(fmt.Sprintf("%s/%dk", format, n/1000), func(b *testing.B) {
				path := file(b, format)
				var pairCSV string
				if format == "geojson" {
					pairCSV = file(b, "csv")
				}
				var peak, cpu float64
				var load, csvLoad childLoad
				for b.Loop() {
					if pairCSV != "" {
						b.StopTimer()
						_, _, l := loadSitesChild(b, pairCSV, n)
						csvLoad.cpu, csvLoad.wall = csvLoad.cpu+l.cpu, csvLoad.wall+l.wall
						b.StartTimer()
					}
					c, p, l := loadSitesChild(b, path, n)
					cpu, peak = cpu+c, max(peak, p)
					load.cpu, load.wall = load.cpu+l.cpu, load.wall+l.wall
				}
				b.ReportMetric(peak, "peak-RSS-MiB")
				b.ReportMetric(cpu/float64(b.N), "cpu-ms/op")
				b.ReportMetric(peak*(1<<20)/float64(n), "B/site")
				if pairCSV != "" {
					b.ReportMetric(load.cpu/csvLoad.cpu, "x-csv-cpu")
					b.ReportMetric(load.wall/csvLoad.wall, "x-csv-wall")
				}
			})
		}
		for _, path := range paths {
			os.Remove(path)
		}
	}
}

// childLoad is the processor (user and system) and wall time of one
// LoadSites call in a child process, in milliseconds.
type childLoad struct{ cpu, wall float64 }

// childLoadLine is the line in which TestLoadSitesChild gives its
// childLoad.
var childLoadLine = regexp.MustCompile(`(?m)^load-sites cpu-ms=([\d.]+) wall-ms=([\d.]+)$`)

// loadSitesChild loads the sites file path, which must give n sites, in
// a child process (TestLoadSitesChild), and returns the processor time of
// the whole process in milliseconds, its peak resident memory in MiB
// (Linux), and the times of the load itself.
func loadSitesChild(b *testing.B, path string, n int) (cpu, peakMiB float64, load childLoad) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadSitesChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), loadChildEnv+"="+path, loadChildCountEnv+"="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	m := childLoadLine.FindSubmatch(out)
	if err != nil || !bytes.Contains(out, []byte("PASS")) || m == nil {
		b.Fatalf("child load: %v\n%s", err, out)
	}
	load.cpu, _ = strconv.ParseFloat(string(m[1]), 64)
	load.wall, _ = strconv.ParseFloat(string(m[2]), 64)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peakMiB = float64(ru.Maxrss) / 1024 // Linux: KiB
	}
	cpu = float64(cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime()) / 1e6
	return cpu, peakMiB, load
}

// loadChildEnv names the file TestLoadSitesChild loads, and
// loadChildCountEnv the number of sites it must give.
const (
	loadChildEnv      = "DIAGNUM_LOAD_SITES_CHILD"
	loadChildCountEnv = "DIAGNUM_LOAD_SITES_COUNT"
)

// TestLoadSitesChild is the child process of BenchmarkLoadSitesFile: it
// loads the sites file named by $DIAGNUM_LOAD_SITES_CHILD, which must
// give $DIAGNUM_LOAD_SITES_COUNT sites, and prints the processor and wall
// time of the load (childLoadLine). Run alone, it has nothing to do.
func TestLoadSitesChild(t *testing.T) {
	path := os.Getenv(loadChildEnv)
	if path == "" {
		t.Skip("the child process of BenchmarkLoadSitesFile")
	}
	want, err := strconv.Atoi(os.Getenv(loadChildCountEnv))
	if err != nil {
		t.Fatal(err)
	}
	f := openFile(t, path)
	cpu, start := benchstat.CPUTime(), time.Now()
	sites, _, err := LoadSites(path, f, SitesOptions{})
	wall := time.Since(start)
	cpu = benchstat.CPUTime() - cpu
	if err != nil || len(sites) != want {
		t.Fatalf("%d sites, %v", len(sites), err)
	}
	fmt.Printf("load-sites cpu-ms=%.1f wall-ms=%.1f\n", float64(cpu)/1e6, float64(wall)/1e6)
}

// writeSitesFile writes n random sites over mainland France, with names
// of about nameLen characters, to a sites CSV or GeoJSON file (by path's
// extension), one row or feature a line.
func writeSitesFile(path string, n, nameLen int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	geojson := strings.HasSuffix(path, ".geojson")
	if geojson {
		w.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	} else {
		w.WriteString("id,nom,type,latitude,longitude,etp,code_insee\n")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	pad := strings.Repeat("x", max(0, nameLen-len("Lieu numéro 1000000 ")))
	for i := range n {
		lat, lon := 43.5+rng.Float64()*5.5, -0.5+rng.Float64()*6.5
		switch {
		case !geojson:
			fmt.Fprintf(w, "s%d,Lieu numéro %d %s,cnfs,%.6f,%.6f,1,\n", i, i, pad, lat, lon)
		default:
			if i > 0 {
				w.WriteString(",\n")
			}
			fmt.Fprintf(w, `{"type":"Feature","geometry":{"type":"Point","coordinates":[%.6f,%.6f]},"properties":{"id":"s%d","nom":"Lieu numéro %d %s","type":"cnfs","etp":1}}`, lon, lat, i, i, pad)
		}
	}
	if geojson {
		w.WriteString("\n]}\n")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestSiteSize: a Site takes 168 bytes on a 64-bit machine, texts apart
// (the memory per row the README states): eight strings of 16 bytes,
// Kind and Placed sharing one word, a point (16), the FTE and the line.
func TestSiteSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("not a 64-bit machine")
	}
	if got := unsafe.Sizeof(Site{}); got != 8*16+8+16+8+8 {
		t.Errorf("Site takes %d bytes, want 168", got)
	}
}
