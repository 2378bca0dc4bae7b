package plan

import (
	"context"
	"fmt"
	"testing"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"github.com/paulmach/orb"
)

func TestZZExplore(t *testing.T) {
	t0 := time.Now()
	ds, err := data.LoadEmbedded()
	if err != nil { t.Fatal(err) }
	fmt.Println("load", time.Since(t0), len(ds.Communes), len(ds.Sites))
	t0 = time.Now()
	b, err := diag.NewBaseline(context.Background(), ds, diag.Params{})
	if err != nil { t.Fatal(err) }
	fmt.Println("baseline", time.Since(t0))
	for _, d := range b.Result.Deps { if d.Code == "23" || d.Code=="87" { fmt.Printf("%+v\n", d) } }
	fmt.Printf("%+v\n", b.Result.France)
	var pts []orb.Point
	for i := range ds.Communes { p, _ := b.Location(i); pts = append(pts, p) }
	t0 = time.Now()
	cs, err := b.Catchments(context.Background(), pts)
	n := 0
	for _, c := range cs { n += len(c) }
	fmt.Println("catchments", time.Since(t0), n)
	nan := 0
	for _, c := range b.Result.Communes { if c.Fragility != c.Fragility { nan++ } }
	fmt.Println("nan frag", nan, "amed", b.MedianAccess())
}
