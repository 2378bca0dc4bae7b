package data

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

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
// (issue 17 §1: GeoJSON within 2× the CSV time) and 1,000,000 from CSV
// (issue 15 §2: ≤ 30 s and ≤ 2 GiB); peak-RSS-MiB is the process's peak
// resident memory (Linux), input bytes included.
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
