package geo

import (
	"strconv"
	"strings"
)

// French notation of numbers, for every text diagnum writes: the decimal
// comma, and in FrDecimal the no-break space between groups of digits
// and the minus sign U+2212.

// FrNumber formats v in French notation (decimal comma), with no more
// decimals than needed: 30 → "30", 22.5 → "22,5".
func FrNumber(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// FrDecimal formats v with dec decimals in French notation: decimal comma
// and a no-break space between groups of three digits ("12 345,6").
func FrDecimal(v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "−", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("," + frac)
	}
	return sign + b.String()
}
