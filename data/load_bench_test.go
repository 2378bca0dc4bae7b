package data

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
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
	for _, n := range []int{100_000, 1_000_000} {
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

// BenchmarkLoadSitesFile loads 1,000,000 sites with 300-character names
// from files on disk, as a user's run does (issue 15 §2: a 1 M-row sites
// CSV within 30 s and 2 GiB; issue 17 §1: the same sites in GeoJSON).
// Each load runs in a child process (this test binary, as
// TestLoadSitesChild), so that peak-RSS-MiB is the load's own peak
// resident memory, B/site that peak over the sites and cpu-ms/op its
// processor time (user and system), steadier than the wall time on a
// shared machine.
func BenchmarkLoadSitesFile(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	for _, format := range []string{"csv", "geojson"} {
		path := filepath.Join(dir, "lieux."+format)
		if err := writeSitesFile(path, n, 300); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%s/%dk", format, n/1000), func(b *testing.B) {
			peak, cpu := 0.0, 0.0
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run=^TestLoadSitesChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), loadChildEnv+"="+path)
				if out, err := cmd.CombinedOutput(); err != nil || !bytes.Contains(out, []byte("PASS")) {
					b.Fatalf("child load: %v\n%s", err, out)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					peak = max(peak, float64(ru.Maxrss)/1024) // Linux: KiB
				}
				cpu += float64(cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime()) / 1e6
			}
			b.ReportMetric(peak, "peak-RSS-MiB")
			b.ReportMetric(cpu/float64(b.N), "cpu-ms/op")
			b.ReportMetric(peak*(1<<20)/n, "B/site")
		})
	}
}

// loadChildEnv names the file TestLoadSitesChild loads.
const loadChildEnv = "DIAGNUM_LOAD_SITES_CHILD"

// TestLoadSitesChild is the child process of BenchmarkLoadSitesFile: it
// loads the sites file named by $DIAGNUM_LOAD_SITES_CHILD, which must
// give 1,000,000 sites. Run alone, it has nothing to do.
func TestLoadSitesChild(t *testing.T) {
	path := os.Getenv(loadChildEnv)
	if path == "" {
		t.Skip("the child process of BenchmarkLoadSitesFile")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sites, _, err := LoadSites(path, f, SitesOptions{})
	if err != nil || len(sites) != 1_000_000 {
		t.Fatalf("%d sites, %v", len(sites), err)
	}
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
