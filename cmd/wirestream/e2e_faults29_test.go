package main

// End-to-end faults of the scale-out roles on the one broker `make test`
// starts, beyond e2e_faults_test.go's (round 29, branch faults29): a
// foreign producer's records in the state changelog, the fetcher and the
// processor killed at the same instant. What reached Kafka is read back
// and counted by record id, as a consumer would.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// rolesRun is one fetcher and its processors on cfg's broker and feeds.
type rolesRun struct {
	t   *testing.T
	cfg e2eConfig
	dir string
	fx  *feedFixture
}

func newRolesRun(t *testing.T, fx fixtureOptions) *rolesRun {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	wirestreamBinary(t) // built before the feeds' clock starts
	r := &rolesRun{t: t, dir: t.TempDir(), fx: newFixture(t, fx)}
	r.cfg = e2eConfig{Brokers: brokers, TopicPrefix: rolesTopicPrefix(t, brokers), ShutdownTimeout: 20 * time.Second, MaxInFlight: 4}
	for i := range r.fx.opts.Feeds {
		r.cfg.Feeds = append(r.cfg.Feeds, r.fx.FeedURL(i))
		r.cfg.Names = append(r.cfg.Names, fixturePublishers[i].Name)
	}
	if out := cli(t, "feeds", "push", "--config", roleConfig(t, r.cfg, r.dir, "admin")); !strings.Contains(out, fmt.Sprintf("%d added", fx.Feeds)) {
		t.Fatalf("feeds push: %s", out)
	}
	return r
}

func (r *rolesRun) start(role, instance string) *e2eDaemon {
	r.t.Helper()
	return startDaemon(r.t, roleConfig(r.t, r.cfg, r.dir, instance), "--role", role, "--instance", instance)
}

// checkNoStoryLost waits (bounded) until every item the fixture served is
// on the stories topic and returns the account of it.
func (r *rolesRun) checkNoStoryLost(what string) storyAccount {
	r.t.Helper()
	e2eEventually(r.t, 2*time.Minute, r.fx.AllServed,
		func() string { return fmt.Sprintf("fixture served %d of %d items", len(r.fx.Served()), len(r.fx.All())) })
	topic := topicOf(r.cfg.TopicPrefix, record.TypeStory)
	var acc storyAccount
	e2eEventually(r.t, 2*time.Minute, func() bool {
		acc = accountStories(readTopic(r.t, r.cfg.Brokers, topic))
		return len(acc.Missing(r.fx, r.fx.All())) == 0
	}, func() string {
		missing := acc.Missing(r.fx, r.fx.All())
		return fmt.Sprintf("%s: %d of %d served stories not in %s:%s", what, len(missing), len(r.fx.All()), topic, describeItems(missing))
	})
	acc.check(r.t)
	return acc
}

// A producer that is not wirestream writes records into the state
// changelog partition the active processor appends to — garbage under
// keys of the state's own tables — and the processor is then stopped and
// another started. The new owner restores the partition: it must not be
// stuck refusing it forever with the feeds' items waiting in the items
// topic; it says which record it could not read, and decides every item.
func TestE2EAForeignRecordInTheStateChangelogDoesNotStopProcessing(t *testing.T) {
	r := newRolesRun(t, fixtureOptions{Feeds: 3, Items: 16, Initial: 4, Step: time.Second, Seed: 29})
	fetcher := r.start("fetch", "fetch-1")
	p1 := r.start("process", "process-1")
	e2eEventually(t, 90*time.Second, func() bool { return p1.storiesAcked() > 0 },
		func() string { return "process-1 published no story" })

	// The fault: a foreign producer's records, one per table of the state
	// (table id, then the key), with bytes no table can read.
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP(r.cfg.Brokers...), Topic: r.cfg.TopicPrefix + "state", RequiredAcks: kafka.RequireAll, Transport: tr}
	defer w.Close()
	var garbage []kafka.Message
	for table := byte(1); table <= 8; table++ {
		garbage = append(garbage, kafka.Message{Partition: 0, Key: append([]byte{table}, "not-a-key\xff\x00"...), Value: []byte("\xde\xad\xbe\xef garbage from another producer")})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kafkatest.Write(t, ctx, w, garbage...)

	p1.kill()
	p2 := r.start("process", "process-2")
	e2eEventually(t, 90*time.Second, func() bool { return p2.metric("wirestream_processor_active") == 1 }, func() string {
		return "process-2 never became active after restoring a changelog with foreign records"
	})
	// It says which records it skipped and what to do about them.
	line := p2.waitLog(kafkastate.UnreadableRecordMsg, 10*time.Second)
	if !strings.Contains(line, `"level":"ERROR"`) || !strings.Contains(line, `"offset":`) {
		t.Errorf("the skipped record is not an ERROR naming its offset: %s", line)
	}
	acc := r.checkNoStoryLost("after foreign records in the changelog")
	t.Logf("foreign records in the changelog: %d story messages, %d extra copies, %d second versions", acc.Messages, acc.Duplicates(), acc.Revisions())
	stopCleanly(t, p2, r.cfg.ShutdownTimeout)
	stopCleanly(t, fetcher, r.cfg.ShutdownTimeout)
}
