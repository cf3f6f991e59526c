package enricheval

import "sync"

// The label files are embedded in the binary (labels), so a second parse
// of one can only give the same answer. "eval topics" read the headline
// files and the IPTC story labels for its classifier table and again for
// its replay, and the per-story files for the replay and again for the
// two readers' agreement ("eval all" read topics-headlines.tsv a third
// time, for keywords); each is parsed once a process now. What is handed
// out is shared: its holders read it and never change it.
var parsedLabels struct {
	sync.Mutex
	files map[parsedKey]any
}

// parsedKey is a label file as one reader parses it.
type parsedKey struct{ name, as string }

// parseOnce returns parse(name), calling parse only the first time name
// is read as as; an error is not kept (the next call parses again).
func parseOnce[T any](name, as string, parse func(string) (T, error)) (T, error) {
	parsedLabels.Lock()
	defer parsedLabels.Unlock()
	k := parsedKey{name, as}
	if v, ok := parsedLabels.files[k]; ok {
		return v.(T), nil
	}
	v, err := parse(name)
	if err != nil {
		return v, err
	}
	if parsedLabels.files == nil {
		parsedLabels.files = map[parsedKey]any{}
	}
	parsedLabels.files[k] = v
	return v, nil
}
