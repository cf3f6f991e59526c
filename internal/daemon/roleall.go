package daemon

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/clusterstatus"
	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/pipeline/record"
)

// RoleAllGroup is the consumer group every `run` in role all joins, under the topic prefix,
// on the stories topic. It reads and commits nothing: its members are how one run learns that
// another one in role all publishes to the same brokers and topics, which publishes every
// record twice (a second role all is no standby: README "Scaling out").
const RoleAllGroup = "role-all"

// StatusGroups are the groups of the deployment cfg names, as `wirestream status` and
// `wirestream migrate` read them: the processors' and the fetchers' of a scaled-out
// deployment, and the role-all group. processorOffsets asks for the processors' committed
// and end offsets too (status's lag; migrate only needs the members).
func StatusGroups(cfg config.Config, processorOffsets bool) []clusterstatus.Group {
	return []clusterstatus.Group{
		{Role: clusterstatus.Processors, ID: GroupID(cfg, cfg.Cluster.ProcessGroup), Topic: ItemsTopic(cfg), Offsets: processorOffsets},
		{Role: clusterstatus.Fetchers, ID: GroupID(cfg, cfg.Cluster.FetchGroup), Topic: FeedTopics(cfg).Feeds()},
		roleAllStatusGroup(cfg),
	}
}

// roleAllStatusGroup is the role-all group (RoleAllGroup, on the stories topic) as
// clusterstatus describes it.
func roleAllStatusGroup(cfg config.Config) clusterstatus.Group {
	return clusterstatus.Group{Role: clusterstatus.RoleAll, ID: GroupID(cfg, RoleAllGroup), Topic: cfg.Kafka.TopicName(record.TypeStory)}
}

// WatchRoleAll keeps cfg's run in the role-all group until ctx ends and logs a WARN at each
// generation that has another member: at the start of the second run, and in the first when
// the second joins. It only warns: a run being replaced (a rolling restart) stays a member
// until its session ends, and refusing to start then would be worse than the warning.
func WatchRoleAll(ctx context.Context, cfg config.Config, log *slog.Logger) {
	log = log.With("component", "role_all_check")
	cn, err := Conn(cfg)
	if err != nil {
		log.Warn("cannot check for another run in role all", "err", err)
		return
	}
	group := roleAllStatusGroup(cfg)
	// A registry of its own: the group's partition gauges are no role's metrics.
	member, err := kafkagroup.New(groupConfig(cfg, RoleAllGroup, group.Topic), cn, log,
		kafkagroup.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		log.Warn("cannot check for another run in role all", "err", err)
		return
	}
	err = member.Run(ctx, kafkagroup.Handler{
		Assigned: func(context.Context, kafkagroup.Assignment) {},
		Work: func(ctx context.Context, g *kafkagroup.Generation) {
			st, err := clusterstatus.Read(ctx, cn, []clusterstatus.Group{group}, log)
			if err != nil || len(st) == 0 {
				return // the next generation asks again
			}
			if len(st[0].Members) < 2 {
				log.Info("no other run in role all publishes to these brokers and topic_prefix", "group", group.ID)
				return
			}
			instances := make([]string, 0, len(st[0].Members))
			for _, m := range st[0].Members {
				instances = append(instances, m.Instance+" ("+m.Host+")")
			}
			msg := "another run in role all publishes to these brokers and topic_prefix: every story, event and alert is published twice, " +
				"and the two decide events and alerts apart; stop one, or run one processor (--role process) and fetchers (--role fetch) instead"
			if same := clusterstatus.SameNamed(st[0].Members); same != "" {
				msg += "; " + same
			}
			log.Warn(msg, "group", group.ID, "members", len(st[0].Members), "instances", strings.Join(instances, ", "))
		},
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Warn("cannot check for another run in role all", "err", err)
	}
}
