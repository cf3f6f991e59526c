package dedupe

// chunkShift sets the rows of a chunk of a chunked array: 8 Ki rows,
// 512 KiB of b-bit values or 448 KiB of story records at the defaults.
// The last chunk is allocated whole up to the array's room, so its spare
// rows are what a chunk's size costs: at 64 Ki rows they were 3.3 % of
// the near index's slot arrays at a million stories (≈ 3.7 B a story,
// 32k rows of values, check bytes, keys and times), at 8 Ki under 1 %
// (BENCHMARKS.md round 45, near45). A smaller chunk costs only its
// 24-byte header (122 of them at a million rows).
const (
	chunkShift = 13
	chunkRows  = 1 << chunkShift
	chunkMask  = chunkRows - 1
)

// chunked is an array of rows of w values each, held in chunks of
// chunkRows rows: the per-slot arrays of the near index and the story
// records. A flat array grows by copying itself whole, and until the next
// collection the old copy and the new one are both in the heap: at a
// million stories the story records alone were ≈ 57 MiB held twice at one
// collection of the 10k-feed + 1M run (BENCHMARKS.md round 40, rss40).
// Growing a chunked array allocates the next chunk and copies nothing but
// the last chunk while it is smaller than chunkRows (a small array grows
// as a flat one would, to its room).
//
// room is the capacity the array's owner gives it (setRoom, fit): when
// the array is full (n == room) the owner decides whether to compact or
// to grow, as it did for a flat array's capacity, and chunks are
// allocated only as rows are pushed, never past room rounded up to the
// row that needs them.
type chunked[T any] struct {
	c    [][]T
	w    int // values a row
	n    int // rows
	room int // rows before it is full
}

func newChunked[T any](w int) chunked[T] { return chunked[T]{w: w} }

func (a *chunked[T]) len() int { return a.n }

// cap is the rows it may hold before its owner must make room.
func (a *chunked[T]) cap() int { return a.room }

// allocated is the rows its chunks have memory for (what it costs).
func (a *chunked[T]) allocated() int {
	r := 0
	for _, c := range a.c {
		r += cap(c) / a.w
	}
	return r
}

// at is row i's value of an array of 1-value rows.
func (a *chunked[T]) at(i int) *T { return &a.c[i>>chunkShift][i&chunkMask] }

// row is row i of an array of w-value rows.
func (a *chunked[T]) row(i int) []T {
	j := (i & chunkMask) * a.w
	return a.c[i>>chunkShift][j : j+a.w : j+a.w]
}

// setRoom makes room at least n rows: nothing is allocated until a row
// is pushed.
func (a *chunked[T]) setRoom(n int) { a.room = max(a.room, n) }

// push appends one row (w values).
func (a *chunked[T]) push(v ...T) {
	ci, j := a.n>>chunkShift, (a.n&chunkMask)*a.w
	if ci == len(a.c) {
		a.c = append(a.c, nil)
	}
	if c := a.c[ci]; j+a.w > cap(c) {
		// This chunk's rows up to the room, whole when the room is past
		// its end: only a chunk smaller than chunkRows is ever copied.
		rows := min(chunkRows, max(a.room-ci<<chunkShift, j/a.w+1))
		g := make([]T, j, rows*a.w)
		copy(g, c)
		a.c[ci] = g
	}
	a.c[ci] = append(a.c[ci], v...)
	a.n++
	a.room = max(a.room, a.n)
}

// truncate keeps the first n rows and lets go of the chunks past them.
// Like shrink for a flat array, a room more than twice the rows (over
// 1024) comes down to the rows, and so does the last chunk's memory.
func (a *chunked[T]) truncate(n int) {
	a.n = n
	keep := (n + chunkMask) >> chunkShift
	clear(a.c[keep:])
	a.c = a.c[:keep]
	if keep > 0 {
		last := n - (keep-1)<<chunkShift
		a.c[keep-1] = a.c[keep-1][:last*a.w]
	}
	if a.room > 1024 && n < a.room/2 {
		a.room = n
		if len(a.c) > 0 && cap(a.c[len(a.c)-1]) > 2*len(a.c[len(a.c)-1]) {
			a.clipLast()
		}
	}
}

// fit drops the room past the rows, and the last chunk's spare memory,
// when more than 1/32 of the room is spare (fitCap's rule).
func (a *chunked[T]) fit() {
	if a.room-a.n <= a.room/32 {
		return
	}
	a.room = a.n
	if a.allocated() > a.n {
		a.clipLast()
	}
}

// clipLast copies the last chunk into an array of its length.
func (a *chunked[T]) clipLast() {
	if len(a.c) == 0 {
		return
	}
	g := make([]T, len(a.c[len(a.c)-1]))
	copy(g, a.c[len(a.c)-1])
	a.c[len(a.c)-1] = g
}

// move copies row r over row w (w < r: compaction).
func (a *chunked[T]) move(w, r int) {
	if a.w == 1 {
		*a.at(w) = *a.at(r)
		return
	}
	copy(a.row(w), a.row(r))
}
