package plan

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync/atomic"

	"diagnum/diag"
)

// Tolerance is the relative tolerance within which two gains are equal:
// a and b are tied when |a − b| ≤ Tolerance·max(|a|, |b|). Sums of the
// same terms in another order, or on another processor, differ by far
// less (about 1e-15 relative), so that ties do not depend on rounding.
const Tolerance = 1e-9

// Stage is a phase of the greedy, named by what it maximises.
type Stage string

// The stages of a plan.
const (
	// StageCoverage maximises the fragile population newly covered.
	StageCoverage Stage = "couverture"
	// StageAccess maximises the reduction of the access deficit.
	StageAccess Stage = "accès"
	// StageCapacity maximises the fragile population newly served (the
	// capacity stage, after coverage saturates).
	StageCapacity Stage = "capacité"
	// StageEquity minimises the worst travel time of the fragile
	// population (ObjectiveEquity).
	StageEquity Stage = "équité"
)

// stagesOf returns the stages of an objective, in order: each starts
// when no candidate gains anything in the one before.
func stagesOf(o Objective) []Stage {
	switch o {
	case ObjectiveAccess:
		return []Stage{StageAccess, StageCapacity}
	case ObjectiveEquity: // after the equity stage (equity)
		return []Stage{StageCapacity}
	}
	return []Stage{StageCoverage, StageCapacity}
}

// criteria returns the gains of g in the order stage st compares them:
// its own criterion, then the secondary criteria that break ties.
//
//	couverture: newly covered, then newly served, then deficit reduced
//	accès:      deficit reduced, then newly covered, then newly served
//	capacité:   newly served, then deficit reduced, then newly covered
func (st Stage) criteria(g gain) [3]float64 {
	switch st {
	case StageAccess:
		return [3]float64{g.acc, g.cov, g.served}
	case StageCapacity:
		return [3]float64{g.served, g.acc, g.cov}
	}
	return [3]float64{g.cov, g.served, g.acc}
}

// floor returns the gain at or below which a candidate gains nothing in
// stage st: Tolerance times the most one post can gain (the territory's
// fragile population, S FTE of deficit, or C·S people served).
func (s *solver) floor(st Stage, p *Plan) float64 {
	switch st {
	case StageAccess:
		return Tolerance * s.supply
	case StageCapacity:
		return Tolerance * s.capacity * s.supply
	}
	return Tolerance * p.FragilePop
}

// tied reports whether a is within Tolerance of the largest value m.
func tied(a, m float64) bool { return a >= m-Tolerance*math.Abs(m) }

// entry is a candidate in the lazy queue, with gains computed at stamp
// (solver.stamp; −1: stale) and key, the queue's stage's criterion of g.
type entry struct {
	c     int32
	stamp int32
	g     gain
	key   float64
}

// queue is a max-heap of the candidates on the stage's own criterion,
// then the lower candidate index (a strict order: the pops come in the
// order of a full sort). The heap holds each candidate's key and stamp
// only, 16 bytes moved by every sift of the hundreds of thousands of
// pushes and pops of a national plan, and g the gains of each
// candidate, which is in the queue once at most.
type queue struct {
	st Stage
	lessHeap[qitem]
	g []gain // gains of each candidate, by candidate index
}

// qitem is a candidate in the queue: its key, the stage's criterion of
// its gains, and the stamp of the gains (entry).
type qitem struct {
	key   float64
	c     int32
	stamp int32
}

// newQueue returns the queue of entries on stage st.
func newQueue(st Stage, entries []entry) *queue {
	q := &queue{st: st, g: make([]gain, len(entries))}
	q.items, q.less = make([]qitem, len(entries)), before
	for k, e := range entries {
		q.items[k] = qitem{c: e.c, stamp: e.stamp}
		q.g[e.c] = e.g
	}
	return q
}

// before orders a ahead of b on the stage's criterion, then the lower
// candidate index.
func before(a, b qitem) bool {
	if a.key != b.key {
		return a.key > b.key
	}
	return a.c < b.c
}

// top returns the gains of the first candidate.
func (q *queue) top() gain { return q.g[q.items[0].c] }

// push adds e to the queue, keyed on its stage.
func (q *queue) push(e entry) {
	q.g[e.c] = e.g
	q.lessHeap.push(qitem{key: q.st.criteria(e.g)[0], c: e.c, stamp: e.stamp})
}

// pop removes and returns the first entry.
func (q *queue) pop() entry {
	it := q.lessHeap.pop()
	return entry{c: it.c, stamp: it.stamp, g: q.g[it.c], key: it.key}
}

// init keys every entry on the queue's stage and orders the queue.
func (q *queue) init() {
	for k := range q.items {
		q.items[k].key = q.st.criteria(q.g[q.items[k].c])[0]
	}
	q.lessHeap.init()
}

// greedy runs the lazy greedy (CELF, Leskovec et al. 2007) stage after
// stage. Each round picks, among the candidates whose gain in the
// stage's criterion is tied (Tolerance) with the largest, those tied
// with the largest second criterion, then third, then the first in
// canonical order (INSEE code, id): exactly the plain greedy's choice,
// since the queue's stale gains are upper bounds of the current ones
// (submodularity). A stage ends when the largest gain is at most its
// floor; the plan stops when the last stage ends (Plan.Stop says why).
func (s *solver) greedy(ctx context.Context, b *diag.Baseline, p *Plan, stages []Stage) error {
	if len(p.Picks) >= p.Requested {
		return nil
	}
	s.terms, s.termsAt = make([]float64, len(s.rPt)), make([]int32, len(s.cands))
	for c := range s.termsAt {
		s.termsAt[c] = -1
	}
	defer func() { s.terms, s.termsAt = nil, nil }()
	first := make([]gain, len(s.cands))
	each(len(first), func(c int) { first[c] = s.gainsFresh(c) })
	entries := make([]entry, len(s.cands))
	for c, g := range first {
		entries[c] = entry{c: int32(c), stamp: s.stamp, g: s.perEuro(c, g)}
	}
	q := newQueue(stages[0], entries)
	q.init()
	p.Stages = append(p.Stages, stages[0])
	if stages[0] == StageCapacity {
		p.CapacityFrom = len(p.Picks)
	}
	s.checkpointLater(p, first)
	si := 0
	for len(p.Picks) < p.Requested {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, ok := s.best(q, p)
		if !ok {
			if q.Len() == 0 {
				p.Stop = s.exhausted(len(p.Picks))
				if s.budget > 0 {
					p.Stop = fmt.Sprintf("budget épuisé après %d postes : il reste %.0f €, moins que le coût d'un poste", len(p.Picks), s.budgetLeft)
				}
				break
			}
			if si+1 == len(stages) {
				p.Stop = saturated(p.Stages, len(p.Picks))
				break
			}
			si++
			q.st = stages[si]
			q.init()
			p.Stages = append(p.Stages, stages[si])
			if stages[si] == StageCapacity {
				p.CapacityFrom = len(p.Picks)
			}
			s.checkpointLater(p, nil)
			continue
		}
		if err := s.pick(ctx, b, p, c, q.st); err != nil {
			return err
		}
	}
	return nil
}

// best returns the candidate to pick in the current state in the
// queue's stage, or false when the stage gains nothing more (or the
// queue is empty). The entries it looks at come back into the queue
// fresh, the one picked stale unless it has reached
// Options.MaxPerPlace.
func (s *solver) best(q *queue, p *Plan) (int, bool) {
	if s.budget > 0 {
		s.dropUnaffordable(q)
	}
	batch := s.batch[:0]
	for q.Len() > 0 && q.items[0].stamp != s.stamp {
		// The stale entries at the top, refreshed together: the fresh
		// entry that ends at the top is, as one by one, at least every
		// other gain, fresh or an upper bound.
		batch = batch[:0]
		for len(batch) < refreshBatch && q.Len() > 0 && q.items[0].stamp != s.stamp {
			batch = append(batch, q.pop())
		}
		s.refreshAll(batch)
		for _, e := range batch {
			q.push(e)
		}
	}
	s.batch = batch
	if q.Len() == 0 {
		return -1, false
	}
	m1 := q.st.criteria(q.top())[0]
	if m1 <= s.floor(q.st, p) {
		return -1, false
	}
	var popped []entry
	for q.Len() > 0 && tied(q.st.criteria(q.top())[0], m1) {
		e := q.pop()
		s.refresh(&e)
		popped = append(popped, e)
	}
	// Every candidate outside popped has a gain below m1's tolerance.
	tier := popped[:0:0]
	for _, e := range popped {
		if tied(q.st.criteria(e.g)[0], m1) {
			tier = append(tier, e)
		}
	}
	for k := 1; k < 3; k++ {
		m := math.Inf(-1)
		for _, e := range tier {
			m = max(m, q.st.criteria(e.g)[k])
		}
		kept := tier[:0]
		for _, e := range tier {
			if tied(q.st.criteria(e.g)[k], m) {
				kept = append(kept, e)
			}
		}
		tier = kept
	}
	chosen := tier[0].c
	for _, e := range tier[1:] {
		chosen = min(chosen, e.c)
	}
	for _, e := range popped {
		if e.c == chosen {
			if s.maxPer > 0 && int(s.posts[e.c])+1 >= s.maxPer {
				continue
			}
			e.stamp = -1 // its gains before the pick bound those after
		}
		q.push(e)
	}
	return int(chosen), true
}

// saturated says why a plan stopped: no candidate gains anything in any
// stage, e.g. « couverture et capacité saturées après 11 postes ».
func saturated(stages []Stage, n int) string {
	names := make([]string, len(stages))
	for i, st := range stages {
		names[i] = string(st)
	}
	return fmt.Sprintf("%s saturées après %d postes : aucun lieu candidat n'apporte plus rien",
		strings.Join(names, " et "), n)
}

// exhausted says why a plan stopped when every candidate has received
// its Options.MaxPerPlace posts (or there is none).
func (s *solver) exhausted(n int) string {
	if len(s.cands) == 0 {
		return "aucun lieu candidat"
	}
	return fmt.Sprintf("chaque lieu candidat a reçu %d poste(s) (--max-par-lieu) après %d postes", s.maxPer, n)
}

// refresh makes entry e fresh: its gains are those of the current
// state (rank, through gainsFresh, which computes again only the terms
// of the points changed since the candidate's last evaluation: none
// when no point within its reach changed, nearly always some when its
// entry reaches the top of the queue).
func (s *solver) refresh(e *entry) {
	if e.stamp == s.stamp {
		return
	}
	e.g = s.rank(int(e.c))
	e.stamp = s.stamp
}

// refreshBatch is the number of stale entries best refreshes together.
const refreshBatch = 8

// refreshAll refreshes the entries of batch, on every available CPU:
// each goroutine takes the next entry not taken yet, only reads the
// state and writes that entry. The caller takes entries too and, once
// none is left, waits only for those being refreshed elsewhere: a helper
// goroutine that starts late (its thread not yet running) finds none
// left and ends, instead of holding up the greedy as a wait for every
// goroutine would. The result does not depend on who refreshes what.
func (s *solver) refreshAll(batch []entry) {
	w := min(len(batch), runtime.GOMAXPROCS(0))
	if w <= 1 {
		for k := range batch {
			s.refresh(&batch[k])
		}
		return
	}
	n := int32(len(batch))
	var next, done atomic.Int32 // this batch's own: a late helper reads them only
	work := func() {
		for k := next.Add(1) - 1; k < n; k = next.Add(1) - 1 {
			s.refresh(&batch[k])
			done.Add(1)
		}
	}
	for range w - 1 {
		go work()
	}
	work()
	for done.Load() < n {
		runtime.Gosched()
	}
}

// allGains returns the gains of every candidate in the current state,
// evaluated in parallel (gains only reads the state).
func (s *solver) allGains() []gain {
	g := make([]gain, len(s.cands))
	each(len(g), func(c int) { g[c] = s.gains(c) })
	return g
}

// rank returns the gains of candidate c as the queue compares them: its
// gains, divided by the cost of a post there under a budget (gain per
// euro; costs differ by zone only).
func (s *solver) rank(c int) gain {
	return s.perEuro(c, s.gainsFresh(c))
}

// perEuro returns the gains g of candidate c divided by the cost of a
// post there under a budget, g itself otherwise.
func (s *solver) perEuro(c int, g gain) gain {
	if s.budget > 0 {
		k := s.cost[c]
		g.cov, g.served, g.acc = g.cov/k, g.served/k, g.acc/k
	}
	return g
}

// dropUnaffordable removes from the queue, for good, the candidates
// whose post costs more than the budget left (which only shrinks).
func (s *solver) dropUnaffordable(q *queue) {
	kept := q.items[:0]
	for _, it := range q.items {
		if s.cost[it.c] <= s.budgetLeft*(1+Tolerance) {
			kept = append(kept, it)
		}
	}
	if len(kept) < len(q.items) {
		q.items = kept
		q.init()
	}
}
