package kafkastate

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// aclRefused answers InitProducerID as brokers whose ACLs refuse it do.
type aclRefused struct{ Next kafka.RoundTripper }

func (c aclRefused) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); ok {
		return &initproducerid.Response{ErrorCode: int16(kafka.TransactionalIDAuthorizationFailed)}, nil
	}
	return c.Next.RoundTrip(ctx, addr, req)
}

// A Log restored unfenced (the coordinator away) whose late epoch, asked at an append after
// epochRetry, the ACLs refuse says so — naming the ACLs the principal needs — and writes on
// unfenced; it said the coordinator "did not answer within 5s", which sent an operator to the
// brokers rather than to the ACLs.
func TestALateEpochTheACLsRefuseNamesTheACLs(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, logs, _ := awayFence(t, time.Second)
	var refuse atomic.Bool
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return switchable{on: away, when: &coordinatorAway{Next: next},
			otherwise: switchable{on: &refuse, when: aclRefused{Next: next}, otherwise: next}}
	}}
	l, _, _ := f.open(0, o)
	away.Store(false)
	refuse.Store(true)
	time.Sleep(epochRetry)
	appendKV(t, l, state.Stories, "k", "1")
	if l.epoch != nil {
		t.Fatalf("took epoch %+v from a coordinator the ACLs refuse", *l.epoch)
	}
	var still string
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, StillUnfencedMsg) {
			still = line
		}
	}
	if !strings.Contains(still, "ACLs") || strings.Contains(still, "did not answer InitProducerID within") {
		t.Errorf("the late epoch refused by ACLs logged %q, want the ACLs named:\n%s", still, logs.String())
	}
}
