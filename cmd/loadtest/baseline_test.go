package main

import (
	"testing"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// The harness's kcat topic is created as the service's topics are: a
// controller election (NOT_CONTROLLER on the first create, which a loaded
// 3-broker cluster answers while it elects) is retried rather than failing
// the run's baseline, and the topic exists once it returns.
func TestTheKcatTopicIsCreatedThroughAControllerElection(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	refused := kafkatest.RefuseNextCreateTopics(c)
	if err := createKcatTopic(t.Context(), c.ListenAddrs(), "loadtest.kcat", 3); err != nil {
		t.Fatalf("create the kcat topic = %v, want the create retried", err)
	}
	if *refused != 1 {
		t.Fatalf("the controller refused %d creates, want the test's 1", *refused)
	}
	cl := &kafkago.Client{Addr: kafkago.TCP(c.ListenAddrs()...)}
	md, err := cl.Metadata(t.Context(), &kafkago.MetadataRequest{Topics: []string{"loadtest.kcat"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil || len(md.Topics[0].Partitions) != 3 {
		t.Fatalf("metadata of the kcat topic: %+v, want 3 partitions", md.Topics)
	}
}
