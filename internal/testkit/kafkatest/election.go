package kafkatest

import (
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// RefuseNextCreateTopics makes c answer its next CreateTopics request with NOT_CONTROLLER for
// every topic, as a cluster answers while it elects its controller, and later ones as usual.
// The returned count says how many creates it refused (1 once the request came).
func RefuseNextCreateTopics(c *kfake.Cluster) *int {
	refused := new(int)
	c.ControlKey(int16(kmsg.CreateTopics), func(r kmsg.Request) (kmsg.Response, error, bool) {
		*refused++
		req := r.(*kmsg.CreateTopicsRequest)
		res := req.ResponseKind().(*kmsg.CreateTopicsResponse)
		res.Version = req.Version
		for _, rt := range req.Topics {
			st := kmsg.NewCreateTopicsResponseTopic()
			st.Topic, st.ErrorCode = rt.Topic, kerr.NotController.Code
			res.Topics = append(res.Topics, st)
		}
		return res, nil, true
	})
	return refused
}
