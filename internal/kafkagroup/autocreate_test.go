package kafkagroup

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// A topic an operator deleted under a running group stays deleted. kafka-go's consumer
// group asks for its topics' partitions (the leader when it deals them, the partition
// watcher every few seconds) with metadata requests that let the broker create a missing
// topic, and a broker with auto.create.topics.enable=true (Kafka's default, and
// scripts/kafka.sh's) did: the group's topic came back at once, empty, with the broker's
// defaults — one partition and cleanup.policy=delete for what had been a compacted table.
// Now the member asks without letting it: it owns nothing until the topic is created
// again, as provisioning (or the operator) makes it, and then owns it.
func TestADeletedTopicIsNotCreatedAgainByTheGroupsMetadataRequests(t *testing.T) {
	brokers, topic, _, l := soloGroup(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	res, err := cl.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Errors[topic]; err != nil {
		t.Fatal(err)
	}
	// The watcher notices within its interval (5 s) and the group is dealt again; before,
	// the leader's request had created the topic by then, and the member owned its one
	// partition.
	l.owns(time.Minute, map[string]int{"a": 0})
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}}) // never creates
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range md.Topics {
		if tp.Name == topic && !errors.Is(tp.Error, kafka.UnknownTopicOrPartition) {
			t.Fatalf("topic %s exists again after its deletion (%d partitions, err %v): the group's metadata requests let the broker create it", topic, len(tp.Partitions), tp.Error)
		}
	}

	// Created again as it should be, it is dealt (and the test's cleanup deletes it).
	cr, err := cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: topic, NumPartitions: 3, ReplicationFactor: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := cr.Errors[topic]; err != nil {
		t.Fatal(err)
	}
	l.owns(time.Minute, map[string]int{"a": 3})
}
