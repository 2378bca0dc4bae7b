package plan

// lessHeap is a binary heap of items: items[0] is the least item under
// less (a max-heap when less says "larger"). Its methods are
// container/heap's algorithms called on the items directly, without the
// interface's dynamic calls: the lazy greedy pushes and pops hundreds of
// thousands of entries. Under a strict order (every less of this package
// breaks ties by candidate index) the pops come in the order of a full
// sort, whatever the heap's layout.
type lessHeap[T any] struct {
	items []T
	less  func(a, b T) bool
}

// Len returns the number of items.
func (h *lessHeap[T]) Len() int { return len(h.items) }

// init orders the items into a heap.
func (h *lessHeap[T]) init() {
	n := len(h.items)
	for i := n/2 - 1; i >= 0; i-- {
		h.down(i, n)
	}
}

// push adds x.
func (h *lessHeap[T]) push(x T) {
	h.items = append(h.items, x)
	h.up(len(h.items) - 1)
}

// pop removes and returns the least item.
func (h *lessHeap[T]) pop() T {
	n := len(h.items) - 1
	h.items[0], h.items[n] = h.items[n], h.items[0]
	h.down(0, n)
	x := h.items[n]
	h.items = h.items[:n]
	return x
}

// fix restores the order after items[i] changed.
func (h *lessHeap[T]) fix(i int) {
	if !h.down(i, len(h.items)) {
		h.up(i)
	}
}

func (h *lessHeap[T]) up(j int) {
	for {
		i := (j - 1) / 2 // parent
		if i == j || !h.less(h.items[j], h.items[i]) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		j = i
	}
}

func (h *lessHeap[T]) down(i0, n int) bool {
	i := i0
	for {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 { // j1 < 0 after int overflow
			break
		}
		j := j1 // left child
		if j2 := j1 + 1; j2 < n && h.less(h.items[j2], h.items[j1]) {
			j = j2 // right child
		}
		if !h.less(h.items[j], h.items[i]) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		i = j
	}
	return i > i0
}
