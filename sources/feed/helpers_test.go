package feed

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"
)

// memStore is the StateStore of tests.
type memStore struct {
	mu    sync.Mutex
	data  map[string][]byte
	saves int
	// ctxs are the contexts the saves ran under, and live whether each
	// was live when its save came.
	ctxs []context.Context
	live []bool
}

func newMemStore() *memStore { return &memStore{data: map[string][]byte{}} }

func (m *memStore) LoadFeedState(url string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data[url], nil
}

func (m *memStore) SaveFeedState(ctx context.Context, url string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ctxs = append(m.ctxs, ctx)
	m.live = append(m.live, ctx.Err() == nil)
	m.data[url] = append([]byte(nil), data...)
	m.saves++
	return nil
}

func (m *memStore) state(url string) feedState {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, _ := decodeState(maps.Clone(m.data)[url])
	return st
}

// rssDoc renders a small RSS 2.0 document; an item is "guid" or
// "guid@RFC1123Z-date".
func rssDoc(title string, items ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>%s</title><link>https://news.example/</link>`, title)
	for _, it := range items {
		guid, date, _ := strings.Cut(it, "@")
		fmt.Fprintf(&b, `<item><title>Story %s</title><link>https://news.example/%s</link><guid>%s</guid>`, guid, guid, guid)
		if date != "" {
			fmt.Fprintf(&b, `<pubDate>%s</pubDate>`, date)
		}
		b.WriteString(`<dc:creator>Desk</dc:creator></item>`)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func dated(guid string, t time.Time) string { return guid + "@" + t.UTC().Format(time.RFC1123Z) }
