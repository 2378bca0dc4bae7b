package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxRenameSteps is how many successive renamings ResolveINSEE follows.
const maxRenameSteps = 8

// ResolveINSEE maps an INSEE code of any vintage to the commune actuelle
// that holds it today. This is the one rule of diagnum for old codes:
//
//   - a code that is a commune actuelle (isCommune) is itself;
//   - any other code goes through renamed (old code of a merged commune,
//     commune déléguée or associée, arrondissement municipal → its
//     successor), step by step, until a commune actuelle: at most
//     maxRenameSteps steps, a cycle or a missing step meaning no commune;
//   - ok is false when no commune actuelle is reached.
//
// The renamed map of make data (Dataset.Renamed) points every old code
// straight at a commune actuelle, so one step suffices there; a longer
// chain (A → B → C) only comes from hand-made maps.
func ResolveINSEE(code string, isCommune func(string) bool, renamed map[string]string) (current string, ok bool) {
	for range maxRenameSteps + 1 {
		if isCommune(code) {
			return code, true
		}
		next, found := renamed[code]
		if !found || next == code {
			return "", false
		}
		code = next
	}
	return "", false
}

// NormINSEE normalises an INSEE commune code: it trims spaces, upper-cases
// the Corsican letters ("2a004" → "2A004") and restores the leading zero
// lost by spreadsheets ("1053" → "01053"). It accepts the shapes of the
// COG: two digits 01–95 (not 20) then three digits, 2A/2B then three
// digits, 971–978 or 984/986–989 then two digits. Anything else is an
// error wrapping ErrBadCode that says what was expected. The shape is
// checked, not the existence of the commune.
func NormINSEE(s string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if len(c) == 4 && codeAllDigits(c) {
		c = "0" + c
	}
	if len(c) != 5 {
		return "", codeError("code INSEE", s, "5 caractères, par exemple 01053, 2A004 ou 97411")
	}
	if !codeAllDigits(c[2:]) {
		return "", codeError("code INSEE", s, "des chiffres après le département, par exemple 01053")
	}
	if c[:2] == "97" || c[:2] == "98" {
		if codeOverseas(c[:3]) {
			return c, nil
		}
		return "", codeError("code INSEE", s, "un code d'outre-mer commençant par 971–978, 984 ou 986–989")
	}
	if _, err := codeMetroDep(c[:2]); err != nil {
		return "", codeError("code INSEE", s, err.Error())
	}
	return c, nil
}

// NormDep normalises a département code: "1" → "01", "2a" → "2A". It
// accepts 01–95 (not 20: Corsica is 2A and 2B), 971–976 and the
// collectivités d'outre-mer of the COG (975, 977, 978, 984, 986–989).
func NormDep(s string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if len(c) == 1 && codeAllDigits(c) {
		c = "0" + c
	}
	switch len(c) {
	case 2:
		if _, err := codeMetroDep(c); err != nil {
			return "", codeError("code de département", s, err.Error())
		}
		return c, nil
	case 3:
		if codeOverseas(c) {
			return c, nil
		}
	}
	return "", codeError("code de département", s, "01–95, 2A, 2B ou 971–976")
}

// NormPostcode normalises a French postcode: 5 digits, a lost leading zero
// restored ("1100" → "01100").
func NormPostcode(s string) (string, error) {
	c := strings.TrimSpace(s)
	if len(c) == 4 && codeAllDigits(c) {
		c = "0" + c
	}
	if len(c) != 5 || !codeAllDigits(c) || c[:2] == "00" {
		return "", codeError("code postal", s, "5 chiffres, par exemple 01100")
	}
	return c, nil
}

// ParseSIRET normalises a SIRET (14 digits; spaces between groups are
// removed). Empty, "null" and all-zero values mean unknown and give "".
// Only the shape is checked, not the Luhn key (La Poste sites and many
// real files break it).
func ParseSIRET(s string) (string, error) {
	c := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00A0' || r == '\u202F' {
			return -1
		}
		return r
	}, s)
	if c == "" || strings.EqualFold(c, "null") || strings.Trim(c, "0") == "" {
		return "", nil
	}
	if len(c) != 14 || !codeAllDigits(c) {
		return "", codeError("SIRET", s, "14 chiffres")
	}
	return c, nil
}

// codeMetroDep checks a two-character metropolitan département code.
func codeMetroDep(d string) (string, error) {
	if d == "2A" || d == "2B" {
		return d, nil
	}
	if !codeAllDigits(d) {
		return "", fmt.Errorf("un département 01–95, 2A ou 2B")
	}
	switch n, _ := strconv.Atoi(d); {
	case n == 20:
		return "", fmt.Errorf("2A ou 2B pour la Corse, pas 20")
	case n < 1 || n > 95:
		return "", fmt.Errorf("un département 01–95, 2A ou 2B")
	}
	return d, nil
}

// codeOverseas reports whether d is a three-digit overseas code of the COG.
func codeOverseas(d string) bool {
	switch d {
	case "971", "972", "973", "974", "975", "976", "977", "978", "984", "986", "987", "988", "989":
		return true
	}
	return false
}

func codeAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func codeError(what, s, want string) error {
	return fmt.Errorf("%w : %s %q : attendu %s", ErrBadCode, what, s, want)
}

// ParseFloatFR parses a number as French files write it: a decimal comma
// or point ("12,5", "12.5"), an optional sign, an optional exponent, and
// spaces, no-break spaces (U+00A0) or narrow no-break spaces (U+202F) as
// thousands separators between groups of three digits ("1 234,5").
//
// It refuses, with an error wrapping ErrBadNumber: the empty string,
// NaN and infinities, values that overflow a float64 ("1e999"), and
// ambiguous separators: both ',' and '.' ("1,234.5" or "1.234,5"), or
// more than one of them ("1.234.567"). A single comma is always decimal:
// "1,234" is 1.234.
func ParseFloatFR(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, numError(s, "vide")
	}
	switch strings.ToLower(strings.TrimLeft(t, "+-")) {
	case "nan", "inf", "infinity":
		return 0, numError(s, "NaN et les infinis ne sont pas acceptés")
	}
	nc, nd := strings.Count(t, ","), strings.Count(t, ".")
	switch {
	case nc > 0 && nd > 0:
		return 0, numError(s, "à la fois ',' et '.' : séparateur décimal ambigu")
	case nc > 1 || nd > 1:
		return 0, numError(s, "plus d'un séparateur décimal")
	}
	t = strings.Replace(t, ",", ".", 1)
	t, err := frUngroup(t)
	if err != nil {
		return 0, numError(s, err.Error())
	}
	if err := frSyntax(t); err != nil {
		return 0, numError(s, err.Error())
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, numError(s, "hors de la plage des nombres représentables")
	}
	return v, nil
}

// frSpaces turns the no-break spaces used as thousands separators into spaces.
var frSpaces = strings.NewReplacer("\u00A0", " ", "\u202F", " ")

// frUngroup removes thousands separators (space, U+00A0, U+202F), which
// must separate groups of exactly three digits in the integer part.
func frUngroup(t string) (string, error) {
	if strings.ContainsAny(t, "\u00A0\u202F") { // Replace allocates even when it replaces nothing
		t = frSpaces.Replace(t)
	}
	if !strings.Contains(t, " ") {
		return t, nil
	}
	intPart, rest := t, ""
	if i := strings.IndexAny(t, ".eE"); i >= 0 {
		intPart, rest = t[:i], t[i:]
	}
	if strings.Contains(rest, " ") {
		return "", fmt.Errorf("espace après le séparateur décimal")
	}
	groups := strings.Split(intPart, " ")
	for i, g := range groups {
		digits := strings.TrimLeft(g, "+-")
		bad := len(digits) != 3 || len(g) != 3
		if i == 0 {
			bad = len(digits) == 0 || len(digits) > 3 || len(g)-len(digits) > 1
		}
		if bad || !codeAllDigits(digits) {
			return "", fmt.Errorf("les espaces doivent séparer des groupes de trois chiffres")
		}
	}
	return strings.Join(groups, "") + rest, nil
}

// frSyntax accepts [+-]digits[.digits][(e|E)[+-]digits] with at least one
// mantissa digit, so that strconv never sees "NaN", "Inf", hex or '_'.
func frSyntax(t string) error {
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	start := i
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	if i == start || t[start:i] == "." {
		return fmt.Errorf("aucun chiffre")
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		exp := i
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i == exp {
			return fmt.Errorf("exposant invalide")
		}
	}
	if i < len(t) {
		return fmt.Errorf("caractère inattendu %q", frRuneAt(t, i))
	}
	return nil
}

func frRuneAt(t string, i int) rune {
	for _, r := range t[i:] {
		return r
	}
	return 0
}

// numberError is the error of ParseFloatFR; it wraps ErrBadNumber and
// keeps the input and the reason so that callers can phrase their own.
type numberError struct{ input, reason string }

func (e *numberError) Error() string {
	return fmt.Sprintf("%v : %q (%s)", ErrBadNumber, e.input, e.reason)
}

func (e *numberError) Unwrap() error { return ErrBadNumber }

func numError(s, reason string) error { return &numberError{s, reason} }

// numReason rephrases a ParseFloatFR error as `"x" is not a number (why)`.
func numReason(err error) string {
	var ne *numberError
	if errors.As(err, &ne) {
		return fmt.Sprintf("%q n'est pas un nombre (%s)", ne.input, ne.reason)
	}
	return err.Error()
}

// DepOfINSEE returns the département code of a commune's INSEE code: its
// first three characters overseas (97x, 98x), else its first two ("2A").
func DepOfINSEE(code string) string {
	if len(code) >= 3 && (code[:2] == "97" || code[:2] == "98") {
		return code[:3]
	}
	if len(code) >= 2 {
		return code[:2]
	}
	return code
}
