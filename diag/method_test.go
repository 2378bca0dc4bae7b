package diag

import (
	"context"
	"errors"
	"math"
	"testing"

	"diagnum/data"
)

// The hand-computed cases of the methods use handDataset (3 demand units
// A 1000 inh., B 2000, C 500; 2 counted sites S1 2 FTE, S2 1 FTE; F is not
// counted) with the catchment d0 = 35 min. Travel times (minutes):
//
//	      S1  S2
//	A      0  20
//	B     20  10
//	C     40  35      (C–S1 is beyond d0: W = 0 for every method)
type methodCase struct {
	name   string
	p      Params
	r      [2]float64 // R_S1, R_S2
	access [3]float64 // A_A, A_B, A_C (not per 10k)
}

func methodCases() []methodCase {
	st := Decay{Kind: DecaySteps, Steps: []Step{{10, 1}, {20, 0.68}, {30, 0.22}}}
	// E2SFCA, steps 10=1,20=0.68,30=0.22: W(0) = W(10) = 1, W(20) = 0.68,
	// W(35) = 0 (beyond the last step).
	//	S1: 1000·1 + 2000·0.68 = 2360 → R1 = 2/2360
	//	S2: 1000·0.68 + 2000·1 + 500·0 = 2680 → R2 = 1/2680
	//	A_A = R1 + 0.68·R2, A_B = 0.68·R1 + R2, A_C = 0
	r1, r2 := 2.0/2360, 1.0/2680
	// 3SFCA, steps: G_A = (1, 0.68)/1.68, G_B = (0.68, 1)/1.68, G_C = 0
	// (its only weight, W(35), is 0).
	//	S1: (1·1000·1 + 0.68·2000·0.68)/1.68 = 1924.8/1.68 → R1 = 2·1.68/1924.8
	//	S2: (0.68·1000·0.68 + 1·2000·1)/1.68 = 2462.4/1.68 → R2 = 1.68/2462.4
	//	A_A = (1·R1·1 + 0.68·R2·0.68)/1.68, A_B = (0.68·R1·0.68 + 1·R2·1)/1.68
	t1, t2 := 2*1.68/1924.8, 1.68/2462.4
	// Gravity, β = 1, minimum time 1 min: W(0) = 1, W(10) = 0.1,
	// W(20) = 0.05, W(35) = 1/35.
	//	S1: 1000·1 + 2000·0.05 = 1100 → R1 = 2/1100
	//	S2: 1000·0.05 + 2000·0.1 + 500/35 = 1850/7 → R2 = 7/1850
	//	A_A = R1 + 0.05·R2, A_B = 0.05·R1 + 0.1·R2, A_C = R2/35
	g1, g2 := 2.0/1100, 7.0/1850
	// Gravity, β = 2: W(0) = 1, W(10) = 1/100, W(20) = 1/400,
	// W(35) = 1/1225.
	//	S1: 1000·1 + 2000/400 = 1005 → R1 = 2/1005
	//	S2: 1000/400 + 2000/100 + 500/1225 → R2 = 1/(22.5 + 500/1225)
	//	A_A = R1 + R2/400, A_B = R1/400 + R2/100, A_C = R2/1225
	q1, q2 := 2.0/1005, 1/(22.5+500.0/1225)
	// E2SFCA, exponential β = 0.1: W(t) = e^(−t/10), W(35) = e^−3.5 ≤ d0.
	//	S1: 1000 + 2000·e^−2 → R1 = 2/(1000 + 2000·e^−2)
	//	S2: 1000·e^−2 + 2000·e^−1 + 500·e^−3.5 → R2 = 1/that
	//	A_A = R1 + e^−2·R2, A_B = e^−2·R1 + e^−1·R2, A_C = e^−3.5·R2
	e1, e2, e35 := math.Exp(-1), math.Exp(-2), math.Exp(-3.5)
	x1, x2 := 2/(1000+2000*e2), 1/(1000*e2+2000*e1+500*e35)
	// Gaussian (the default kernel) with d0 = 35:
	// W(t) = (e^(−½(t/35)²) − e^−½) / (1 − e^−½), so W(0) = 1, W(35) = 0.
	//	E2SFCA: S1: 1000 + 2000·W20 → R1 = 2/that; S2: 1000·W20 + 2000·W10
	//	→ R2 = 1/that; A_A = R1 + W20·R2, A_B = W20·R1 + W10·R2, A_C = 0
	gauss := func(t float64) float64 {
		return (math.Exp(-0.5*(t/35)*(t/35)) - math.Exp(-0.5)) / (1 - math.Exp(-0.5))
	}
	w10, w20 := gauss(10), gauss(20)
	k1, k2 := 2/(1000+2000*w20), 1/(1000*w20+2000*w10)
	//	3SFCA: G_A = (1, W20)/(1 + W20), G_B = (W20, W10)/(W20 + W10),
	//	G_C = 0 (both its weights are 0).
	//	S1: 1000/(1 + W20) + 2000·W20²/(W20 + W10) → R1 = 2/that
	//	S2: 1000·W20²/(1 + W20) + 2000·W10²/(W20 + W10) → R2 = 1/that
	//	A_A = (R1 + W20²·R2)/(1 + W20), A_B = (W20²·R1 + W10²·R2)/(W20 + W10)
	m1 := 2 / (1000/(1+w20) + 2000*w20*w20/(w20+w10))
	m2 := 1 / (1000*w20*w20/(1+w20) + 2000*w10*w10/(w20+w10))
	return []methodCase{
		{"e2sfca gaussienne", Params{}, [2]float64{k1, k2}, [3]float64{k1 + w20*k2, w20*k1 + w10*k2, 0}},
		{"e2sfca exponentielle:0.1", Params{Decay: Decay{Kind: DecayExponential, Beta: 0.1}}, [2]float64{x1, x2},
			[3]float64{x1 + e2*x2, e2*x1 + e1*x2, e35 * x2}},
		{"3sfca gaussienne", Params{Method: Method3SFCA}, [2]float64{m1, m2},
			[3]float64{(m1 + w20*w20*m2) / (1 + w20), (w20*w20*m1 + w10*w10*m2) / (w20 + w10), 0}},
		{"gravite puissance:2", Params{Method: MethodGravity, Decay: Decay{Kind: DecayPower, Beta: 2}}, [2]float64{q1, q2},
			[3]float64{q1 + q2/400, q1/400 + q2/100, q2 / 1225}},
		// 2SFCA: W = 1 within 35 min. S1 reaches A, B: 3000 → R1 = 2/3000;
		// S2 reaches A, B, C: 3500 → R2 = 1/3500. A_A = A_B = R1 + R2 =
		// 1/1050 = 0.000952380952…, A_C = R2 = 0.000285714285….
		{"2sfca", Params{Method: Method2SFCA}, [2]float64{2.0 / 3000, 1.0 / 3500},
			[3]float64{1.0 / 1050, 1.0 / 1050, 1.0 / 3500}},
		// E2SFCA with no decay is 2SFCA.
		{"e2sfca aucune", Params{Decay: Decay{Kind: DecayNone}}, [2]float64{2.0 / 3000, 1.0 / 3500},
			[3]float64{1.0 / 1050, 1.0 / 1050, 1.0 / 3500}},
		{"e2sfca paliers", Params{Decay: st}, [2]float64{r1, r2},
			[3]float64{r1 + 0.68*r2, 0.68*r1 + r2, 0}},
		// 3SFCA, no decay: G_A = G_B = (½, ½), G_C = (0, 1).
		//	S1: ½·1000 + ½·2000 = 1500 → R1 = 2/1500
		//	S2: ½·1000 + ½·2000 + 1·500 = 2000 → R2 = 1/2000
		//	A_A = A_B = ½·R1 + ½·R2 = 1/1500 + 1/4000 = 0.000916666…, A_C = R2
		{"3sfca aucune", Params{Method: Method3SFCA, Decay: Decay{Kind: DecayNone}}, [2]float64{2.0 / 1500, 1.0 / 2000},
			[3]float64{1.0/1500 + 1.0/4000, 1.0/1500 + 1.0/4000, 1.0 / 2000}},
		{"3sfca paliers", Params{Method: Method3SFCA, Decay: st}, [2]float64{t1, t2},
			[3]float64{(t1 + 0.68*0.68*t2) / 1.68, (0.68*0.68*t1 + t2) / 1.68, 0}},
		{"gravite", Params{Method: MethodGravity}, [2]float64{g1, g2},
			[3]float64{g1 + 0.05*g2, 0.05*g1 + 0.1*g2, g2 / 35}},
		// Power decay β = 1 under E2SFCA is the gravity method.
		{"e2sfca puissance:1", Params{Decay: Decay{Kind: DecayPower, Beta: 1}}, [2]float64{g1, g2},
			[3]float64{g1 + 0.05*g2, 0.05*g1 + 0.1*g2, g2 / 35}},
	}
}

// TestMethodsHandComputed checks R_j and A_i of every method against the
// hand-computed values above, with the indexed and the naive computation,
// and the conservation Σ_i A_i·P_i = Σ_j S_j = 3 FTE.
func TestMethodsHandComputed(t *testing.T) {
	ds, tt := handDataset()
	for _, c := range methodCases() {
		for _, compute := range []struct {
			name string
			fn   func(context.Context, *data.Dataset, Params) (*Result, error)
		}{{"indexed", Compute}, {"naive", ComputeNaive}} {
			t.Run(c.name+"/"+compute.name, func(t *testing.T) {
				p := c.p
				p.Timer, p.ThresholdMin = tt, 35
				res, err := compute.fn(context.Background(), ds, p)
				if err != nil {
					t.Fatal(err)
				}
				for j, want := range c.r {
					if got := res.Sites[j].R; !closeRel(got, want, 1e-12) {
						t.Errorf("R_%s = %.17g, want %.17g", res.Sites[j].ID, got, want)
					}
				}
				sum := 0.0
				for i, want := range c.access {
					got := res.Communes[i].Access10k / 10000
					if !closeRel(got, want, 1e-12) {
						t.Errorf("A_%s = %.17g, want %.17g", res.Communes[i].Name, got, want)
					}
					sum += got * float64(ds.Communes[i].Population)
				}
				if !closeRel(sum, 3, 1e-12) {
					t.Errorf("Σ A·P = %.17g, want 3 FTE", sum)
				}
			})
		}
	}
}

// TestNormalize: with Normalize, A_i is divided by the population-weighted
// mean Σ P·A / Σ P = 3/3500 (conservation). 2SFCA, d0 = 35:
// A_A = A_B = (1/1050)/(3/3500) = 10/9, A_C = (1/3500)/(3/3500) = 1/3;
// the weighted mean becomes (3000·10/9 + 500/3)/3500 = 1.
func TestNormalize(t *testing.T) {
	ds, tt := handDataset()
	for _, compute := range []func(context.Context, *data.Dataset, Params) (*Result, error){Compute, ComputeNaive} {
		res, err := compute(context.Background(), ds, Params{Timer: tt, ThresholdMin: 35, Method: Method2SFCA, Normalize: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []float64{10.0 / 9, 10.0 / 9, 1.0 / 3} {
			if got := res.Communes[i].Access10k / 10000; !closeRel(got, want, 1e-12) {
				t.Errorf("normalized A_%s = %.17g, want %.17g", res.Communes[i].Name, got, want)
			}
		}
	}
}

// TestNormalizeEveryMethod: --normaliser is PySAL access's normalize=True,
// A_i / (Σ_k P_k·A_k / Σ_k P_k) over every demand unit (those of access 0
// included): on the hand cases Σ P·A = 3 FTE and Σ P = 3,500, so every
// normalised access is A_i × 3,500 / 3, and R_j is unchanged.
func TestNormalizeEveryMethod(t *testing.T) {
	ds, tt := handDataset()
	for _, c := range methodCases() {
		p := c.p
		p.Timer, p.ThresholdMin, p.Normalize = tt, 35, true
		res := mustCompute(t, ds, p)
		for i, a := range c.access {
			if got, want := res.Communes[i].Access10k/10000, a*3500/3; !closeRel(got, want, 1e-12) && math.Abs(got-want) > 1e-15 {
				t.Errorf("%s: normalised A_%s = %.17g, want %.17g", c.name, res.Communes[i].Name, got, want)
			}
		}
		for j, want := range c.r {
			if got := res.Sites[j].R; !closeRel(got, want, 1e-12) {
				t.Errorf("%s: R_%s = %.17g with --normaliser, want %.17g", c.name, res.Sites[j].ID, got, want)
			}
		}
	}
}

// TestMethodsConservation: on synthetic data sets the indexed computation
// equals the naive one bit for bit for each method, and 2SFCA, E2SFCA
// (step weights, Gaussian) and 3SFCA (Gaussian, exponential) distribute
// the supply exactly:
// Σ_i A_i·P_i = Σ_j S_j over the sites whose catchment is not empty.
func TestMethodsConservation(t *testing.T) {
	for _, p := range []Params{
		{Method: Method2SFCA},
		{}, // E2SFCA, Gaussian
		{Decay: Decay{Kind: DecaySteps, Steps: []Step{{10, 1}, {20, 0.68}, {30, 0.22}}}},
		{Method: Method3SFCA},
		{Method: Method3SFCA, Decay: Decay{Kind: DecayExponential, Beta: 0.1}},
		{Method: MethodGravity, Decay: Decay{Kind: DecayPower, Beta: 2}},
	} {
		ds := synthDataset(1500, 200, 7)
		p.ThresholdMin = 25
		res, _ := againstNaive(t, ds, p)
		var demand, supply float64
		for _, c := range res.Communes {
			demand += c.Access10k / 10000 * float64(c.Population)
		}
		for _, s := range res.Sites {
			if s.Counted && s.ReachPop > 0 {
				supply += s.SupplyFTE
			}
		}
		if !closeRel(demand, supply, 1e-9) || supply == 0 {
			t.Errorf("%s %s: Σ A·P = %.15g, Σ S = %.15g", p.Method, p.Decay, demand, supply)
		}
	}
}

// TestDecayWeights checks each kernel at hand-computed points (d0 = 30).
func TestDecayWeights(t *testing.T) {
	st := Decay{Kind: DecaySteps, Steps: []Step{{10, 1}, {20, 0.68}, {30, 0.22}}}
	for _, c := range []struct {
		k       Decay
		t, want float64
	}{
		{Decay{}, 20, 0.4935752886421534}, // Kernel(20, 30), TestHandComputed
		{Decay{}, 31, 0},
		{st, 0, 1}, {st, 10, 1}, {st, 10.5, 0.68}, {st, 20, 0.68}, {st, 25, 0.22}, {st, 30, 0.22}, {st, 30.1, 0},
		{Decay{Kind: DecayNone}, 29.9, 1}, {Decay{Kind: DecayNone}, 30.1, 0},
		{Decay{Kind: DecayPower, Beta: 2}, 0, 1},      // max(0, 1)^−2
		{Decay{Kind: DecayPower, Beta: 2}, 0.5, 1},    // max(0.5, 1)^−2
		{Decay{Kind: DecayPower, Beta: 2}, 4, 0.0625}, // 4^−2 = 1/16
		{Decay{Kind: DecayExponential, Beta: 0.1}, 10, math.Exp(-1)},
		{Decay{Kind: DecayExponential, Beta: 0.1}, math.NaN(), 0},
	} {
		if got := c.k.Weight(c.t, 30); !closeRel(got, c.want, 1e-15) {
			t.Errorf("%s: W(%v) = %v, want %v", c.k, c.t, got, c.want)
		}
	}
}

// TestParseDecayMethod: the texts of --decroissance and --methode, their
// round trip through String, and the refusals (French, data.ErrBadValue).
func TestParseDecayMethod(t *testing.T) {
	for _, s := range []string{"gaussienne", "aucune", "paliers:10=1,20=0.68,30=0.22", "puissance:1.5", "exponentielle:0.1"} {
		k, err := ParseDecay(s)
		if err != nil || k.String() != s {
			t.Errorf("ParseDecay(%q) = %v, %v", s, k, err)
		}
		if err := (Params{Decay: k}).WithDefaults().Validate(); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "gauss", "gaussienne:1", "puissance", "puissance:0", "puissance:11", "exponentielle:-1",
		"exponentielle:NaN", "paliers", "paliers:", "paliers:10=1,5=0.5", "paliers:10=2", "paliers:10", "paliers:300=1"} {
		if _, err := ParseDecay(s); !errors.Is(err, data.ErrBadValue) {
			t.Errorf("ParseDecay(%q) = %v, want data.ErrBadValue", s, err)
		}
	}
	for _, m := range []Method{Method2SFCA, MethodE2SFCA, Method3SFCA, MethodGravity} {
		if got, err := ParseMethod(m.String()); got != m || err != nil {
			t.Errorf("ParseMethod(%q) = %v, %v", m, got, err)
		}
	}
	if _, err := ParseMethod("4sfca"); !errors.Is(err, data.ErrBadValue) {
		t.Errorf("ParseMethod(4sfca) = %v", err)
	}
	for _, p := range []Params{
		{Method: Method2SFCA, Decay: Decay{Kind: DecayNone}},
		{Method: MethodGravity, Decay: Decay{Kind: DecayExponential, Beta: 1}},
		{Method: 9},
		{Decay: Decay{Kind: DecayPower, Beta: math.Inf(1)}},
	} {
		if err := p.WithDefaults().Validate(); !errors.Is(err, ErrBadParams) {
			t.Errorf("Validate(%v %v) = %v, want ErrBadParams", p.Method, p.Decay, err)
		}
	}
}
