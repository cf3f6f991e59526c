package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// laterStore is a StateStore that keeps every save's bytes beside the
// function the loop handed to give them again (laterStateStore).
type laterStore struct {
	memStore
	mu    sync.Mutex
	saved []laterSave
}

type laterSave struct {
	data  []byte
	again func() ([]byte, error)
}

func (s *laterStore) SaveFeedStateLater(ctx context.Context, url string, data []byte, again func() ([]byte, error)) error {
	s.mu.Lock()
	s.saved = append(s.saved, laterSave{data: bytes.Clone(data), again: again})
	s.mu.Unlock()
	return s.SaveFeedState(ctx, url, data)
}

// The store keeps a saved feed state as the function that encodes it
// again (pipeline/state.Store's snapshot calls it at any later time): the
// state the loop handed it must still encode to the bytes it saved after
// the loop went on polling — new items, items gone, untrusted dates'
// arrivals, 304s, a failed fetch, a batch that failed and was rolled
// back — so no later poll may have changed its maps or slices in place.
func TestASavedFeedStateEncodesToItsBytesLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &laterStore{memStore: *newMemStore()}
		spec := Spec{URL: "https://news.example/rss", Name: "Example News"}
		p, err := NewPoller(schedCfg(), []Spec{spec}, store, nil, nil, NewMetrics(nil))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var polls int
		p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
			polls++
			switch {
			case polls%5 == 0:
				return &fetchResult{Status: http.StatusNotModified}, nil
			case polls%7 == 0:
				return nil, errors.New("connection reset")
			}
			// a sliding window of items, dated in the future every third
			// poll (dates not trusted: arrivals counted), undated otherwise
			var items []string
			for i := polls; i < polls+4; i++ {
				guid := fmt.Sprintf("item-%d", i)
				if polls%3 == 0 {
					guid = dated(guid, start.Add(time.Duration(i)*time.Hour))
				}
				items = append(items, guid)
			}
			return ok200(rssDoc("Example", items...), fmt.Sprintf(`"v%d"`, polls)), nil
		}
		var batches int
		runPoller(p, 6*time.Hour, func(record.Batch) (bool, error) {
			batches++
			if batches%4 == 0 {
				return true, errors.New("sink failed")
			}
			return true, nil
		})
		if len(store.saved) < 5 {
			t.Fatalf("%d saves through SaveFeedStateLater, want the loop's saves there", len(store.saved))
		}
		for i, s := range store.saved {
			got, err := s.again()
			if err != nil || !bytes.Equal(got, s.data) {
				t.Errorf("save %d of %d encodes again to\n%s (%v)\nwant what it saved\n%s", i+1, len(store.saved), got, err, s.data)
			}
		}
	})
}
