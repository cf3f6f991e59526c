package kafkatable

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkameta"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// counted puts a request counter between w's metadata answers and the transport.
func counted(t *testing.T, w *Writer) *kafkatest.RequestCounter {
	t.Helper()
	fm, ok := w.w.Transport.(*kafkameta.Cache)
	if !ok {
		t.Fatalf("the writer's transport is a %T, not a metadata cache", w.w.Transport)
	}
	c := &kafkatest.RequestCounter{Next: fm.Next}
	fm.Next = c
	return c
}

// One Write is one WriteMessages, which kafka-go sends as one produce request per BatchSize
// messages, one after another on the partition; it looked the topic's metadata up once per
// message, which the writer now answers itself.
func TestAWriteSendsAProduceRequestPerBatchSizeAndNoMetadataLookup(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 2)
	w, err := tb.NewPartitionWriter(1)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c := counted(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const n = 600 // 250 + 250 + 100
	entries := make([]Entry, n)
	for i := range entries {
		entries[i] = Entry{Key: fmt.Appendf(nil, "key-%d", i%7), Value: fmt.Appendf(nil, "%d", i)}
	}
	if err := w.Write(ctx, entries...); err != nil {
		t.Fatal(err)
	}
	metadata, produce := c.Counts()
	// At least one produce request per BatchSize (250) entries; more when
	// a request was retried (a leader not yet elected on the new topic,
	// which a loaded CI box shows), so only the floor is asserted.
	if metadata != 0 || produce < 3 {
		t.Errorf("one Write of %d entries sent %d metadata requests and %d produce requests; want 0 and at least 3", n, metadata, produce)
	}
	t.Logf("%d produce requests for %d entries", produce, n)

	// The pinned partition holds every entry, in the order written.
	i := 0
	if _, err := tb.Restore(ctx, 1, FirstOffset, func(r Record) error {
		if want := fmt.Sprint(i); string(r.Value) != want {
			t.Errorf("record %d holds %s, want %s", i, r.Value, want)
		}
		i++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Errorf("partition 1 holds %d records, want %d", i, n)
	}
}

// WriteChecked's chunks are kafka-go's batches, as kafka-go itself cuts them: each chunk goes
// out as exactly one produce request. Were chunk to count fewer bytes a message than kafka-go
// does, a chunk just under BatchBytes would leave as two produce requests, one after another,
// each under its own WriteTimeout and with no check between them (review18: 22 bytes a message
// against kafka-go's 23 made 249 entries of 10 + 3,984 bytes one chunk and two batches). The
// counts, not the constant, are asserted.
func TestAByteBoundChunkNearBatchBytesIsOneProduceRequest(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 1)
	w, err := tb.NewPartitionWriter(0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A first write waits out the new topic's leader election, whose retries would be
	// produce requests of their own.
	if err := w.Write(ctx, Entry{Key: []byte("warm")}); err != nil {
		t.Fatal(err)
	}
	c := counted(t, w)
	entries := func(n, value, last int) []Entry {
		es := make([]Entry, n)
		for i := range es {
			es[i] = Entry{Key: fmt.Appendf(nil, "key%07d", i), Value: make([]byte, value)}
		}
		es[n-1].Value = make([]byte, last)
		return es
	}
	// 10-byte keys; kafka-go counts key + value + 23 bytes a message against BatchBytes (1,000,000).
	for _, tc := range []struct {
		name    string
		entries []Entry
		chunks  int
	}{
		{"249 entries of 10 + 3,984 bytes, 1,000,233 as kafka-go counts them", entries(249, 3984, 3984), 2},
		{"200 entries of 5,000 bytes as kafka-go counts them, BatchBytes exactly", entries(200, 4967, 4967), 1},
		{"200 entries one byte over BatchBytes", entries(200, 4967, 4968), 2},
		{"199 entries one byte under BatchBytes", entries(199, 4967, 9966), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Counts()
			checks := 0
			if err := w.WriteChecked(ctx, func() error { checks++; return nil }, tc.entries...); err != nil {
				t.Fatal(err)
			}
			_, produce := c.Counts()
			if produce != checks || checks != tc.chunks {
				t.Errorf("WriteChecked sent %d produce requests for %d chunks (checks), want %d of each", produce, checks, tc.chunks)
			}
		})
	}
}
