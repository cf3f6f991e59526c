package daemon

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// A word added to spikes.watch by a config edit, on a processor that
// restores its spike state from the Kafka changelog (and on role all's
// file log): the stories before the restart were counted without it,
// and the state keeps no text to count them again. Before, the first
// bucket after the restart judged an ordinary rate of "strike" (three
// stories a bucket) against a baseline that had never counted it, and
// fired. Now the word learns its baseline from the restart on, for
// warmup, which the changelog carries across a second restart under the
// same list; a burst after it fires, watched.
func TestAWordAddedToTheWatchListLearnsAcrossChangelogRestores(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string { return []string{p + "state"} })
	cfg := config.Default()
	spec := kafkastate.Spec(prefix, cfg.State.Changelog, 1, 1, 1)
	openers := map[string]func(context.Context) state.Log{
		"the Kafka changelog": changelogOpener(t, cn, spec),
		"role all's file log": fileLogOpener(t, t.TempDir()),
	}
	for name, open := range openers {
		t.Run(name, func(t *testing.T) { wordAddedAcrossRestores(t, open) })
	}
}

func wordAddedAcrossRestores(t *testing.T, openLog func(context.Context) state.Log) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := spikes.DefaultConfig()
	at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	n := 0
	// hours of three "strike" stories a bucket from three publishers
	// (burstAt: fifteen from six in that bucket), appended bucket by
	// bucket; the strike firings they gave
	play := func(d *spikes.Detector, store *state.Store, hours, burstAt int) []string {
		var fired []string
		pubs := []string{"reuters", "ap", "bbc", "guardian", "nyt", "dw"}
		for b := range hours * 12 {
			stories, from := 3, 3
			if b == burstAt {
				stories, from = 15, 6
			}
			var alerts []*record.Alert
			for i := range stories {
				n++
				published := at.Add(time.Duration(i) * time.Second)
				alerts = append(alerts, d.Observe(&record.Story{ID: fmt.Sprintf("s%05d", n), Publisher: pubs[(b+i)%from],
					Title: "Dockworkers strike at the port", Keywords: []string{"port"}, Published: published})...)
			}
			at = at.Add(cfg.Bucket)
			alerts = append(alerts, d.Advance(at)...)
			for _, a := range alerts {
				if a.Term == "strike" && a.State == record.AlertFiring {
					fired = append(fired, fmt.Sprintf("%s watched=%t", a.ID, a.Watched))
				}
			}
			if err := store.Update(ctx, d.Changes); err != nil {
				t.Fatal(err)
			}
		}
		return fired
	}
	restore := func(watch ...string) (*spikes.Detector, *state.Store) {
		c := cfg
		c.Watch = watch
		d := spikes.New(c, nil)
		store, err := state.Open(ctx, openLog(ctx), state.Options{}, d)
		if err != nil {
			t.Fatal(err)
		}
		return d, store
	}

	d, store := restore()
	if fired := play(d, store, 3, -1); len(fired) != 0 {
		t.Fatalf("unwatched, the ordinary strike stories fired: %v", fired)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	d, store = restore("strike") // the config edit
	if fired := play(d, store, 1, 4); len(fired) != 0 {
		t.Errorf("watched from the restart, ordinary strike stories and a burst within its warm-up fired: %v", fired)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	d, store = restore("strike") // a restart under the same list: the learning goes on
	defer store.Close()
	if fired := play(d, store, 1, -1); len(fired) != 0 {
		t.Errorf("after a second restart, the ordinary strike stories fired: %v", fired)
	}
	if fired := play(d, store, 1, 0); len(fired) != 1 {
		t.Errorf("a burst after the warm-up: firings %v, want one, watched", fired)
	}
}
