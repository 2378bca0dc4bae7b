package testnum

import "testing"

func TestParse(t *testing.T) {
	if got := Int(t, "-42"); got != -42 {
		t.Errorf("Int(-42) = %d", got)
	}
	if got := Float(t, "1.5e3"); got != 1500 {
		t.Errorf("Float(1.5e3) = %g", got)
	}
}
