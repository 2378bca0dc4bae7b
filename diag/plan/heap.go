package plan

// lessHeap is a slice ordered by container/heap: items[0] is the least
// item under less (a max-heap when less says "larger").
type lessHeap[T any] struct {
	items []T
	less  func(a, b T) bool
}

func (h *lessHeap[T]) Len() int           { return len(h.items) }
func (h *lessHeap[T]) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *lessHeap[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *lessHeap[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *lessHeap[T]) Pop() any {
	e := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return e
}
