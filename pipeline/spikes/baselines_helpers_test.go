package spikes

// baselineMap is every baseline of t by key, for a test to range over.
func baselineMap(t *baselines) map[string]termState {
	m := make(map[string]termState, t.len())
	for n := range t.rows {
		ts := t.get(n)
		m[ts.key] = ts
	}
	return m
}

// termOf is key's baseline in t, nil when it has none.
func termOf(t *baselines, key string) *termState {
	if ts, ok := t.lookup(key); ok {
		return &ts
	}
	return nil
}
