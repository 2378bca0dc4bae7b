package diag

import (
	"context"
	"math"
	"slices"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// unitPass is what the first pass of Demand gives for each unit of a
// layer: its commune, its time to the nearest counted site and its pairs
// with the counted sites within the threshold (unitPairs).
type unitPass struct {
	comm     []int     // commune (data order), -1 when the unit is refused
	offshore []bool    // placed from just off a polygon (PlaceOffshore)
	tu       []float64 // t_u (0 for a refused unit)
	// The pairs of unit i are chunks[pc[i]].q[po[i]:po[i]+pn[i]] (counted
	// sites by increasing index), with their weights in .w.
	pc, po, pn []int32
	chunks     []pairChunk
}

// pairChunk holds the pairs of the units of one chunk of the pass.
type pairChunk struct {
	q []int32
	w []float64
}

// pairs returns the pairs of unit i (see unitPass).
func (ps *unitPass) pairs(i int) ([]int32, []float64) {
	c := &ps.chunks[ps.pc[i]]
	lo, hi := ps.po[i], ps.po[i]+ps.pn[i]
	return c.q[lo:hi], c.w[lo:hi]
}

// Units are visited by cells of 1/50° of latitude by 1/32° of longitude
// (about 2.2 × 2.4 km in France), row by row within tiles of 25 × 16
// cells (0.5°), the tiles row by row: the units of a cell (up to a
// hundred 200 m cells) share one search of the site tree and one of the
// polygon tree, and a chunk of the pass stays within a few tiles.
const (
	cellsPerDegLat = 50
	cellsPerDegLon = 32
	tileRows       = 25
	tileCols       = 16
	noCell         = math.MaxUint32 // units without a usable point
)

// unitCell returns the cell key of p (see cellsPerDegLat), noCell when p
// is not a usable point.
func unitCell(p orb.Point) uint64 {
	if !finitePoint(p) {
		return noCell
	}
	row := min(int((p[1]+90)*cellsPerDegLat), 180*cellsPerDegLat-1)
	col := min(int((p[0]+180)*cellsPerDegLon), 360*cellsPerDegLon-1)
	tile := (row/tileRows)*(360*cellsPerDegLon/tileCols) + col/tileCols
	return uint64((tile*tileRows+row%tileRows)*tileCols + col%tileCols)
}

// spatialOrder returns the units' indexes in visiting order (by cell,
// then by index), each with its cell key in the high 32 bits.
func spatialOrder(us []data.DemandUnit) []uint64 {
	keys := make([]uint64, len(us))
	for i := range us {
		keys[i] = unitCell(us[i].Point)<<32 | uint64(i)
	}
	return radixSortHigh(keys, make([]uint64, len(keys)))
}

// radixSortHigh sorts keys by their high 32 bits, keeping the order of
// equal ones (a stable least-significant-digit radix sort, 4 passes of a
// byte; tmp is scratch of the same length), and returns the sorted slice
// (keys or tmp): keys built in index order come out as slices.Sort puts
// them, in linear time.
func radixSortHigh(keys, tmp []uint64) []uint64 {
	if len(keys) == 0 {
		return keys
	}
	for shift := 32; shift < 64; shift += 8 {
		var count [257]int
		for _, k := range keys {
			count[(k>>shift)&0xff+1]++
		}
		if count[(keys[0]>>shift)&0xff+1] == len(keys) {
			continue // one value of this byte: already in order
		}
		for b := 1; b < 257; b++ {
			count[b] += count[b-1]
		}
		for _, k := range keys {
			b := (k >> shift) & 0xff
			tmp[count[b]] = k
			count[b]++
		}
		keys, tmp = tmp, keys
	}
	return keys
}

// placeUnits is the first pass of Demand: every unit placed in its
// commune (assigner.placePoint) and its pairs found (unitPairs), on all
// cores, cell by cell (spatialOrder). Each unit's figures are those of
// placing and measuring it alone; only the searches are shared.
func (e *engine) placeUnits(ctx context.Context, us []data.DemandUnit) (*unitPass, error) {
	a := newAssigner(e.ds)
	a.index()
	order := spatialOrder(us)
	n := len(us)
	ps := &unitPass{comm: make([]int, n), offshore: make([]bool, n), tu: make([]float64, n),
		pc: make([]int32, n), po: make([]int32, n), pn: make([]int32, n)}
	nc := (n + demandBlock - 1) / demandBlock
	ps.chunks = make([]pairChunk, nc)
	err := parallel(ctx, nc, e.workers, func(lo, hi int) error {
		w := &passWorker{e: e, a: a, ps: ps, us: us, ctrNear: -1}
		for c := lo; c < hi; c++ {
			if err := w.chunk(ctx, c, order[c*demandBlock:min(n, (c+1)*demandBlock)]); err != nil {
				return err
			}
		}
		return nil
	})
	return ps, err
}

// passWorker is the state of one worker of placeUnits.
type passWorker struct {
	e     *engine
	a     *assigner
	ps    *unitPass
	us    []data.DemandUnit
	buf   unitBuf
	parts []int32
	cands []geo.Neighbor
	near  []geo.Neighbor
	// ctrNear is the commune point nearest to the last cell's centre,
	// −1 for none.
	ctrNear int
	cs      sortScratch
	q       []int32
	w       []float64
}

// chunk places and measures the units of order (one chunk c of the
// pass), cell by cell, and stores their pairs as chunk c.
func (w *passWorker) chunk(ctx context.Context, c int, order []uint64) error {
	w.q, w.w = w.q[:0], w.w[:0]
	for len(order) > 0 {
		cell := order[0] >> 32
		end := 1
		for end < len(order) && order[end]>>32 == cell {
			end++
		}
		if err := w.cell(ctx, c, order[:end], cell != noCell && end > 1); err != nil {
			return err
		}
		order = order[end:]
	}
	w.ps.chunks[c] = pairChunk{q: slices.Clone(w.q), w: slices.Clone(w.w)}
	return nil
}

// cell places and measures the units of one cell; shared tells whether
// they share their searches (two units or more with usable points).
// With c the centre of the cell's box and r the largest distance from c
// to a unit (with a margin for rounding), they share the polygon parts
// meeting the box, the counted sites within reach + r of c, which hold
// every site within reach of each unit, and, without polygons, the
// commune points within d_c + 2r of c, d_c the distance from c to its
// nearest commune point, which hold the nearest of each unit (triangle
// inequality).
func (w *passWorker) cell(ctx context.Context, c int, order []uint64, shared bool) error {
	e, us, a := w.e, w.us, w.a
	var parts []int32
	var cands []geo.Neighbor
	near := pointNear{hint: -1}
	if shared {
		lo, hi := us[uint32(order[0])].Point, us[uint32(order[0])].Point
		for _, k := range order {
			p := us[uint32(k)].Point
			lo, hi = orb.Point{min(lo[0], p[0]), min(lo[1], p[1])}, orb.Point{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		ctr := orb.Point{(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2}
		var r float64
		for _, k := range order {
			r = max(r, geo.HaversineKm(ctr, us[uint32(k)].Point))
		}
		if a.polys != nil {
			w.parts = a.polys.AppendParts(w.parts[:0], lo, hi)
			parts = w.parts
		} else if a.points != nil {
			if nc, ok := a.points.NearestOneFrom(ctr, w.ctrNear); ok {
				w.ctrNear = nc.Index // the next cell's search starts there
				w.near = a.points.AppendWithin(w.near[:0], ctr, (nc.Km+2*r)*(1+1e-9)+1e-6)
				near.cands = w.near
			}
		}
		if len(e.counted) > 0 {
			reach := e.tm.reachKm(e.d0)
			w.cands = e.sidx().AppendWithin(w.cands[:0], ctr, (reach+r)*(1+1e-9)+1e-6)
			sortNeighbors(w.cands, &w.cs)
			cands = w.cands
		}
	}
	ps := w.ps
	for _, k := range order {
		i := int(uint32(k))
		kc, check := a.placePoint(us[i].Point, parts, &near)
		ps.pc[i], ps.po[i] = int32(c), int32(len(w.q))
		if kc < 0 {
			ps.comm[i] = -1
			continue
		}
		ps.comm[i], ps.offshore[i] = kc, check == data.PlaceOffshore
		p := unitPlace(&us[i], w.a.codes[kc])
		var qs []int32
		var ws []float64
		var err error
		if shared {
			qs, ws, ps.tu[i], err = e.unitPairsOf(ctx, p, cands, &w.buf)
		} else {
			qs, ws, ps.tu[i], err = e.unitPairs(ctx, p, &w.buf)
		}
		if err != nil {
			return err
		}
		ps.pn[i] = int32(len(qs))
		w.q, w.w = append(w.q, qs...), append(w.w, ws...)
	}
	return nil
}

// siteSumsOf returns, per block of demandBlock units in unit order, the
// block's sums Σ G_uj·P_u·W_uj per site it reaches (siteSums), over the
// placed units of population > 0: fixed whatever the number of workers,
// the denominators of R_j come out the same bit for bit on any machine.
func (e *engine) siteSumsOf(ctx context.Context, us []data.DemandUnit, ps *unitPass) ([][]siteSum, error) {
	nb := (len(us) + demandBlock - 1) / demandBlock
	blocks := make([][]siteSum, nb)
	err := parallel(ctx, nb, e.workers, func(lo, hi int) error {
		sums := newSiteSums(len(e.counted))
		for bi := lo; bi < hi; bi++ {
			for i := bi * demandBlock; i < min(len(us), (bi+1)*demandBlock); i++ {
				if ps.comm[i] < 0 || !(us[i].Pop > 0) {
					continue
				}
				qs, ws := ps.pairs(i)
				g := unitSelection(e.p.Method, ws)
				for x, q := range qs {
					sums.add(q, g(ws[x])*us[i].Pop*ws[x])
				}
			}
			blocks[bi] = sums.take()
		}
		return nil
	})
	return blocks, err
}
