package testkit

import "runtime"

// LiveHeap is the live heap's bytes after two collections (the second
// frees what the first's finalizers let go): the measure the per-entry
// memory tests and benchmarks take before and after filling a structure.
func LiveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
