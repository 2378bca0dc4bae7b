package geo

import "testing"

func TestFrDecimal(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		dec  int
		want string
	}{
		{12345.678, 1, "12\u00a0345,7"},
		{1234567, 0, "1\u00a0234\u00a0567"},
		{999, 0, "999"},
		{0, 0, "0"},
		{-0.0001, 2, "0,00"},
		{-3.5, 1, "−3,5"},
		{-1234.5, 0, "−1\u00a0234"}, // strconv rounds half to even: 1234
		{0.125, 2, "0,12"},          // 0.125 is exact: half to even
	} {
		if got := FrDecimal(tt.v, tt.dec); got != tt.want {
			t.Errorf("FrDecimal(%v, %d) = %q, want %q", tt.v, tt.dec, got, tt.want)
		}
	}
}

func TestFrNumber(t *testing.T) {
	for v, want := range map[float64]string{30: "30", 22.5: "22,5", 1.3: "1,3", 6371.0088: "6371,0088", -0.25: "-0,25"} {
		if got := FrNumber(v); got != want {
			t.Errorf("FrNumber(%v) = %q, want %q", v, got, want)
		}
	}
}
