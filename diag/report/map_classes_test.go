package report

import (
	"image/color"
	"math"
	"slices"
	"testing"
)

// TestQuantileClasses checks the breaks against hand computation of
// stat.Empirical: the k/5 quantile of n sorted values is the value at
// index ⌈k·n/5⌉ − 1.
func TestQuantileClasses(t *testing.T) {
	seq := make([]float64, 258) // 0, 1, …, 257 (the Creuse test map)
	for i := range seq {
		seq[i] = float64(i)
	}
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		x      []float64
		upper  []float64
		counts []int
		colors []color.RGBA
		labels []string
	}{
		// n = 258: indices ⌈51.6⌉−1 = 51, ⌈103.2⌉−1 = 103, ⌈154.8⌉−1 = 154,
		// ⌈206.4⌉−1 = 206, 257; counts 52, 52, 51, 52, 51.
		{"0…257", seq, []float64{51, 103, 154, 206, 257}, []int{52, 52, 51, 52, 51}, ylOrRd[5],
			[]string{"0 – 51", "51 – 103", "103 – 154", "154 – 206", "206 – 257"}},
		// n = 10 (NaN and +Inf dropped): index 1 holds 0, the minimum,
		// so 0 is a class of its own (6 communes) and the 4 values above
		// it, 1, 2, 3, 10, get the quantiles k/4: indices ⌈k·4/4⌉ − 1 =
		// k − 1, every value a break and a class of one value.
		{"ties", []float64{3, 0, 0, nan, 0, 0, 10, 0, 0, 1, 2, inf}, []float64{0, 1, 2, 3, 10}, []int{6, 1, 1, 1, 1}, ylOrRd[5],
			[]string{"0", "1", "2", "3", "10"}},
		// Ties at the minimum, then a spread: 0 ×3, then 4…11 (quantiles
		// k/4 of 8 values: indices 1, 3, 5, 7 hold 5, 7, 9, 11). The class
		// after "0" reads "> 0 – 5", not "0 – 5".
		{"zeros then spread", []float64{0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11}, []float64{0, 5, 7, 9, 11}, []int{3, 2, 2, 2, 2}, ylOrRd[5],
			[]string{"0", "> 0 – 5", "5 – 7", "7 – 9", "9 – 11"}},
		{"one value", []float64{5, 5}, []float64{5}, []int{2}, []color.RGBA{ylOrRd[3][1]}, []string{"5"}},
		{"two values", []float64{1, 1, 1, 2, 2}, []float64{1, 2}, []int{3, 2}, []color.RGBA{ylOrRd[3][0], ylOrRd[3][2]},
			[]string{"1", "2"}},
		// Every value is a break, each class holds one value; 2 decimals
		// keep them distinct.
		{"decimals", []float64{0.15, 0.11, 0.12, 0.13, 0.14}, []float64{0.11, 0.12, 0.13, 0.14, 0.15}, []int{1, 1, 1, 1, 1},
			ylOrRd[5], []string{"0,11", "0,12", "0,13", "0,14", "0,15"}},
		{"no value", []float64{nan, inf}, nil, nil, nil, []string{}},
	}
	for _, tt := range tests {
		c := quantileClasses(tt.x)
		if !slices.Equal(c.upper, tt.upper) || !slices.Equal(c.counts, tt.counts) ||
			!slices.Equal(c.colors, tt.colors) || !slices.Equal(c.labels(), tt.labels) {
			t.Errorf("%s: upper %v counts %v colors %v labels %q;\nwant %v %v %v %q",
				tt.name, c.upper, c.counts, c.colors, c.labels(), tt.upper, tt.counts, tt.colors, tt.labels)
		}
	}
	c := quantileClasses(seq)
	for _, tt := range []struct {
		v     float64
		class int
	}{{0, 0}, {51, 0}, {51.5, 1}, {257, 4}, {1e9, 4}, {-1, 0}, {nan, -1}, {inf, -1}} {
		if got := c.class(tt.v); got != tt.class {
			t.Errorf("class(%v) = %d, want %d", tt.v, got, tt.class)
		}
	}
	if c.color(nan) != noDataColor || c.color(200) != rgb(0xf03b20) {
		t.Errorf("colors: %v %v", c.color(nan), c.color(200))
	}
}

func TestNiceLength(t *testing.T) {
	for _, tt := range []struct {
		t, want float64
		label   string
	}{
		{37200, 20000, "20 km"}, {1000, 1000, "1 km"}, {999, 500, "500 m"}, {5000, 5000, "5 km"},
		{7.3, 5, "5 m"}, {190000, 100000, "100 km"},
	} {
		got := niceLength(tt.t)
		if math.Abs(got-tt.want) > 1e-9*tt.want || scaleLabel(got) != tt.label {
			t.Errorf("niceLength(%v) = %v %q, want %v %q", tt.t, got, scaleLabel(got), tt.want, tt.label)
		}
	}
}

func TestWrapText(t *testing.T) {
	f := mapFace(10, false)
	s := "Sources : INSEE, Code officiel géographique 2025 ; ANCT, cartographie nationale — diagnum"
	w := f.Width("Sources : INSEE, Code officiel")
	lines := wrapText(f, s, w)
	if len(lines) < 3 || lines[0] != "Sources : INSEE, Code officiel" {
		t.Errorf("lines %q", lines)
	}
	for _, l := range lines {
		if f.Width(l) > w && len(splitWords(l)) > 1 {
			t.Errorf("line %q wider than %v", l, w)
		}
	}
	if got := splitWords("  a  bc "); !slices.Equal(got, []string{"a", "bc"}) {
		t.Errorf("splitWords: %q", got)
	}
}
