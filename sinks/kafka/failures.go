package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// isSizeError reports whether the broker refused a request as too large,
// which may be the batch's fault rather than the record's.
func isSizeError(err error) bool {
	return errors.Is(err, kafka.MessageSizeTooLarge) || errors.Is(err, kafka.RecordListTooLarge)
}

// topicGone reports whether a topic that the brokers called unknown is
// really gone and its records must be dead-lettered. With provisioning on,
// a deleted topic is re-created with its configured settings and the
// records retried; false is also returned while the brokers cannot tell.
func (s *Sink) topicGone(ctx context.Context, topic string) bool {
	exists, err := topicExists(ctx, s.cn, topic)
	if err != nil || exists {
		return false // unsure, or metadata still settling: retry
	}
	s.recreateMu.Lock() // also guards specs, which Provision extends
	defer s.recreateMu.Unlock()
	spec, ours := s.specs[topic]
	if !s.cfg.Provision || !ours {
		return true
	}
	if exists, err := topicExists(ctx, s.cn, topic); err != nil || exists {
		return false // re-created by a concurrent Write
	}
	cl, done := s.cn.Client(30 * time.Second)
	defer done()
	if err := createTopics(ctx, s.cn, cl, []TopicSpec{spec}, s.log); err != nil {
		s.log.Error("kafka topic was deleted and re-creating it failed; retrying", "topic", topic, "err", err)
		return false
	}
	s.m.recreated.WithLabelValues(topic).Inc()
	s.log.Warn("kafka topic was deleted while wirestream was publishing to it: re-created it with the configured settings; "+
		"records acknowledged before the deletion are gone with it and consumers must reset their offsets", "topic", topic)
	return false
}

// deadLetter publishes a dead letter for each rejected message. A dead
// letter that cannot be published fails the Write: nothing is dropped
// silently. One refused as too large is sent again without its payload.
func (s *Sink) deadLetter(ctx context.Context, via writers, dead []rejected) error {
	topic := s.cfg.TopicName(record.TypeDeadLetter)
	now := s.now()
	build := func(d rejected, payload bool) (kafka.Message, error) {
		dl := deadLetterFor(d.msg, d.err, now)
		if !payload {
			dl.Payload = ""
			dl.Error += " (payload omitted: the dead-letter topic refused it as too large)"
		}
		msg, err := NewMessage(topic, dl, encode.Encoder{}, now) // dead letters are always native
		if err != nil {
			return msg, fmt.Errorf("kafka sink: dead letter: %w", err)
		}
		s.stamp(&msg)
		return msg, nil
	}
	msgs := make([]kafka.Message, 0, len(dead))
	byID := map[string]rejected{}
	for _, d := range dead {
		s.log.Error("kafka refused a record for good; publishing it as a dead letter",
			"topic", d.msg.Topic, "record_type", Header(d.msg, HeaderRecordType),
			"record_id", Header(d.msg, HeaderRecordID), "reason", d.reason, "err", d.err)
		msg, err := build(d, true)
		if err != nil {
			return err
		}
		msgs = append(msgs, msg)
		byID[Header(msg, HeaderRecordID)] = d
		s.m.deadLetters.WithLabelValues(d.msg.Topic, d.reason).Inc()
	}
	refused := func(r rejected) error {
		return fmt.Errorf("kafka sink: the dead-letter topic %s refused dead letter %s: %w",
			topic, Header(r.msg, HeaderRecordID), r.err)
	}
	var again []kafka.Message
	err := s.send(ctx, via, msgs, func(r rejected) error {
		if !isSizeError(r.err) {
			return refused(r)
		}
		msg, err := build(byID[Header(r.msg, HeaderRecordID)], false)
		if err != nil {
			return err
		}
		again = append(again, msg)
		return nil
	})
	if err != nil || len(again) == 0 {
		return err
	}
	return s.send(ctx, via, again, refused)
}
