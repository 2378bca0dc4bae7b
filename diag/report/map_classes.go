package report

import (
	"image/color"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"

	"diagnum/data"
	"diagnum/geo"
)

// mapClassCount is the number of quantile classes of the choropleth.
const mapClassCount = 5

// ylOrRd holds the ColorBrewer YlOrRd sequential schemes (Cynthia Brewer,
// colorbrewer2.org, Apache-2.0 licence; marked colour-blind safe there)
// for 3, 4 and 5 classes.
var ylOrRd = map[int][]color.RGBA{
	3: {rgb(0xffeda0), rgb(0xfeb24c), rgb(0xf03b20)},
	4: {rgb(0xffffb2), rgb(0xfecc5c), rgb(0xfd8d3c), rgb(0xe31a1c)},
	5: {rgb(0xffffb2), rgb(0xfecc5c), rgb(0xfd8d3c), rgb(0xf03b20), rgb(0xbd0026)},
}

// noDataColor fills a commune whose score_ecart is not a finite number.
var noDataColor = rgb(0xbdbdbd)

// siteColors are the colours of the site dots, from the Okabe-Ito
// colour-blind safe palette, chosen to stand out on YlOrRd; each kind also
// has its own marker shape (siteShape).
var siteColors = map[data.SiteKind]color.RGBA{
	data.KindCNFS:           rgb(0x0072b2), // blue
	data.KindFranceServices: rgb(0x009e73), // bluish green
	data.KindMediation:      rgb(0xcc79a7), // reddish purple
	data.KindOther:          rgb(0x000000), // black
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// mapClasses are the classes of a choropleth: class i holds the values v
// with upper[i−1] < v ≤ upper[i] (v ≥ min for class 0).
type mapClasses struct {
	min    float64
	upper  []float64    // ascending, distinct; upper[len−1] is the maximum
	low    []float64    // the lowest value of each class
	colors []color.RGBA // one per class
	counts []int        // communes per class
}

// quantileClasses returns the quantile classes of the finite values of
// x: the breaks are the minimum, the quantiles k/5 for k = 1…4
// (stat.Quantile, stat.Empirical: the lowest value at or above a fraction
// k/5 of the values) and the maximum. When the minimum is itself a
// break (ties: half of France's communes have score_ecart 0), it is a
// class of its own and the values above it get the quantiles k/4 of
// theirs, so that the other colours still split the communes that
// differ. Equal breaks are merged, so ties may give fewer than 5
// classes; the colours are then the YlOrRd scheme of that many classes
// (the 3-class one for 1 or 2 classes: its middle, or its ends). No
// finite value gives no class.
func quantileClasses(x []float64) mapClasses {
	var v []float64
	for _, f := range x {
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			v = append(v, f)
		}
	}
	if len(v) == 0 {
		return mapClasses{}
	}
	slices.Sort(v)
	var up []float64
	add := func(q float64) {
		if len(up) == 0 || q > up[len(up)-1] {
			up = append(up, q)
		}
	}
	if q := stat.Quantile(1.0/mapClassCount, stat.Empirical, v, nil); q == v[0] && v[len(v)-1] > q {
		add(q)
		above := v[sort.SearchFloat64s(v, math.Nextafter(q, math.Inf(1))):]
		for k := 1; k < mapClassCount; k++ {
			add(stat.Quantile(float64(k)/(mapClassCount-1), stat.Empirical, above, nil))
		}
	} else {
		for k := 1; k <= mapClassCount; k++ {
			add(stat.Quantile(float64(k)/mapClassCount, stat.Empirical, v, nil))
		}
	}
	c := mapClasses{min: v[0], upper: up, colors: classColors(len(up)), counts: make([]int, len(up)),
		low: make([]float64, len(up))}
	for _, f := range v {
		i := c.class(f)
		if c.counts[i] == 0 {
			c.low[i] = f
		}
		c.counts[i]++
	}
	return c
}

// classColors returns n colours of YlOrRd (1 ≤ n ≤ 5).
func classColors(n int) []color.RGBA {
	switch n {
	case 1:
		return []color.RGBA{ylOrRd[3][1]}
	case 2:
		return []color.RGBA{ylOrRd[3][0], ylOrRd[3][2]}
	}
	return ylOrRd[n]
}

// class returns the class of v, or −1 when v is not finite or there is
// no class.
func (c *mapClasses) class(v float64) int {
	if math.IsNaN(v) || math.IsInf(v, 0) || len(c.upper) == 0 {
		return -1
	}
	for i, u := range c.upper {
		if v <= u {
			return i
		}
	}
	return len(c.upper) - 1
}

// color returns the fill colour of v.
func (c *mapClasses) color(v float64) color.RGBA {
	if i := c.class(v); i >= 0 {
		return c.colors[i]
	}
	return noDataColor
}

// labels returns the legend label of each class in French notation,
// with the fewest decimals (0 to 3) that keep the breaks distinct: "a"
// for a class holding one value, "a – b" for the others (a the previous
// class's upper bound, or the minimum), "> a – b" after a class of the
// one value a (a legend "0" then "0 – 29" read as if 0 were in both).
func (c *mapClasses) labels() []string {
	breaks := c.upper
	if len(c.upper) > 0 && c.min < c.upper[0] {
		breaks = append([]float64{c.min}, c.upper...)
	}
	dec := 0
	for ; dec < 3; dec++ {
		if distinctFormatted(breaks, dec) {
			break
		}
	}
	single := func(i int) bool { return c.low[i] == c.upper[i] }
	out := make([]string, len(c.upper))
	for i, hi := range c.upper {
		lo := c.min
		if i > 0 {
			lo = c.upper[i-1]
		}
		out[i] = geo.FrDecimal(hi, dec)
		switch {
		case single(i):
		case i > 0 && single(i-1):
			out[i] = "> " + geo.FrDecimal(lo, dec) + " – " + out[i]
		default:
			out[i] = geo.FrDecimal(lo, dec) + " – " + out[i]
		}
	}
	return out
}

// distinctFormatted reports whether the ascending values stay distinct
// when formatted with dec decimals.
func distinctFormatted(v []float64, dec int) bool {
	for i := 1; i < len(v); i++ {
		if geo.FrDecimal(v[i], dec) == geo.FrDecimal(v[i-1], dec) {
			return false
		}
	}
	return true
}
