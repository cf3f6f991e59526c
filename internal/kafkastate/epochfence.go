package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// The changelog's producer-epoch fence. The consumer group's fence (Options.Fence) stops a
// processor from sending more once its generation ended, but a produce request already sent
// is not taken back: a partition leader (or a network) that held it can append it after the
// partition's next owner restored and wrote, and every later restore then reads the old
// owner's values (BENCHMARKS.md, round 19). With an EpochFence, every owner of changelog
// partition p takes a producer epoch for it before it restores: InitProducerID under one
// transactional id per (consumer group, changelog topic, partition), which gives the next
// owner the same producer id with a higher epoch, and a first write with it (the fence
// record), after which the partition leader refuses every batch of an older epoch
// (INVALID_PRODUCER_EPOCH). The old owner's late batch is refused instead of landing; its next
// append fails with an *EpochFencedError, and it writes nothing more to that partition.

// The state.changelog.fence modes.
const (
	// FenceAuto fences when the cluster can host the transaction coordinator's topic, and
	// otherwise writes unfenced with one warning (a single broker left at the default
	// transaction.state.log.replication.factor of 3).
	FenceAuto = "auto"
	// FenceOn fences, and a restore fails, naming the broker setting, when the cluster
	// cannot.
	FenceOn = "on"
	// FenceOff writes with no producer epoch, as before round 20.
	FenceOff = "off"
)

// FenceModes are the valid modes (state.FenceModes, which config validation checks).
var FenceModes = []string{FenceAuto, FenceOn, FenceOff}

// transactionStateTopic is the transaction coordinator's topic; replicationSetting is the
// broker setting that gives it its replication factor when the coordinator creates it.
const (
	transactionStateTopic = "__transaction_state"
	replicationSetting    = "transaction.state.log.replication.factor"
)

// FenceUnavailableMsg is the warning FenceAuto logs, once, when the cluster cannot host the
// transaction coordinator: the changelog is then written without producer epochs.
const FenceUnavailableMsg = "state changelog: writing without producer epochs, so an old owner's batch held on the wire " +
	"can still land after a handover (state.changelog.fence: auto)"

// EpochFencedMsg is logged when the partition leader refused a changelog write of this
// processor's epoch: another processor took the partition's epoch after it (the partition is
// its now), and this one writes nothing more to it.
const EpochFencedMsg = "state changelog: fenced by a newer owner's producer epoch; writing nothing more to the partition"

// EpochFence takes the changelog partitions' producer epochs for the Logs of one processor
// (Options.Epoch). It decides once whether the cluster can fence (the transaction
// coordinator's topic exists, or its replication setting fits the brokers), and logs its
// verdict once; mode auto that fell back by it asks the cluster again every epochRetry
// (askClusterAgain). Mode auto that fell back at run time instead (the coordinator silent, ACLs
// refusing) asks again every epochRetry (retryDue), and fences again once answered.
type EpochFence struct {
	mode  string
	group string
	cn    wkafka.Conn
	log   *slog.Logger
	// probe says what the verdict is made of; tests replace it.
	probe func(ctx context.Context) (coordinator, error)

	mu       sync.Mutex
	probed   *Coordinator // the probe's verdict, once it answered (Coordinator)
	probedAt time.Time    // when: a verdict that the cluster cannot host is asked again after epochRetry
	// probeAt is when mode auto, fallen back by the probe's verdict (a broker setting), asks
	// the cluster again at a restore; zero: it does not.
	probeAt time.Time
	decided bool
	on      bool
	why     error // mode on: why the cluster cannot fence
	took    bool  // an InitProducerID was answered: the coordinator works
	// retryAt is when mode auto, fallen back at run time (a coordinator that did not answer,
	// ACLs that refused), asks the coordinator again (retry); zero: it does not.
	retryAt time.Time
	// retrying is set while that ask is under way: its failure is logged as "still".
	retrying bool
	// loadingSaid: LateEpochLoadingMsg was logged in this episode of "loading" answers (it ends
	// at an answer or a fallback).
	loadingSaid bool
}

// coordinator is what decides whether the cluster can host the transaction coordinator.
type coordinator struct {
	topicExists bool // __transaction_state exists
	brokers     int  // brokers in the cluster's metadata
	replication int  // the brokers' transaction.state.log.replication.factor (0: not known)
	broker      string
}

// NewEpochFence returns the fence of the Logs a processor in consumer group group opens, in
// mode (FenceAuto, FenceOn, FenceOff; "" is FenceAuto).
func NewEpochFence(cn wkafka.Conn, group, mode string, log *slog.Logger) (*EpochFence, error) {
	switch mode {
	case "":
		mode = FenceAuto
	case FenceAuto, FenceOn, FenceOff:
	default:
		return nil, fmt.Errorf("state changelog fence %q: want one of %v", mode, FenceModes)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &EpochFence{mode: mode, group: group, cn: cn, log: log}
	f.probe = f.probeCluster
	return f, nil
}

// TransactionalID is the transactional id of changelog partition p of topic in the fence's
// group: every owner of the partition asks the same one, so each gets a higher epoch of one
// producer id.
func (f *EpochFence) TransactionalID(topic string, p int) string {
	return "wirestream-state/" + f.group + "/" + topic + "/" + strconv.Itoa(p)
}

// use reports whether the Logs write with producer epochs. Mode off: never. Mode auto: when
// the cluster can host the transaction coordinator, else once a warning. Mode on: when it
// can, else an error that names the broker setting. A probe that fails (a broker down) is
// asked again at the next restore, and the restore fails meanwhile. Mode auto fallen back at
// run time reports true once per epochRetry: the restore asks the coordinator again.
func (f *EpochFence) use(ctx context.Context) (bool, error) {
	if f == nil || f.mode == FenceOff {
		return false, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.decided {
		if !f.on && f.mode == FenceAuto && !f.probeAt.IsZero() && !time.Now().Before(f.probeAt) {
			f.askClusterAgain(ctx)
		}
		if !f.on && f.retryDue() {
			return true, nil // ask the coordinator again; answered() turns the fence back on
		}
		return f.on, f.why
	}
	c, err := f.coordinator(ctx)
	if err != nil {
		return false, fmt.Errorf("state changelog fence: ask the cluster whether it can host the transaction coordinator: %w", err)
	}
	f.decided = true
	if c.CanHost {
		f.on = true
		f.log.Info("state changelog: writes carry a producer epoch per changelog partition; a newer owner's epoch fences an older owner's late batch",
			"mode", f.mode, "group", f.group)
		return true, nil
	}
	why := fmt.Errorf("%w, or state.changelog.fence: off", c.Why)
	if f.mode == FenceOn {
		f.why = fmt.Errorf("state changelog fence: on, but %w", why)
		return false, f.why
	}
	f.log.Warn(FenceUnavailableMsg, "why", why.Error(), "setting", replicationSetting, "broker", c.Broker,
		"replication_factor", c.Replication, "brokers", c.Brokers, "retry_in", epochRetry)
	f.probeAt = time.Now().Add(epochRetry)
	return false, nil
}

// ClusterCanHostNowMsg is logged (INFO) when mode auto, fallen back because the cluster could
// not host the transaction coordinator, finds that it can now (the broker setting changed, or
// brokers joined): the coordinator is asked next, as after a fallback at run time.
const ClusterCanHostNowMsg = "state changelog: the cluster can host the transaction coordinator now; asking it for producer epochs " +
	"(state.changelog.fence: auto)"

// askClusterAgain asks the probe again, an hour after its verdict made mode auto fall back: a
// broker setting changed or brokers added then no longer wait for a restart. Where the cluster
// can host the coordinator now, the fence asks it as after a fallback at run time (retryAt due);
// where it still cannot, or the probe fails, it asks again after epochRetry, quietly (the first
// warning stands). f.mu is held.
func (f *EpochFence) askClusterAgain(ctx context.Context) {
	f.probeAt = time.Now().Add(epochRetry)
	c, err := f.coordinator(ctx)
	if err != nil || !c.CanHost {
		return
	}
	f.log.Info(ClusterCanHostNowMsg, "group", f.group)
	f.probeAt, f.retryAt = time.Time{}, time.Now()
}

// Coordinator is the probe's verdict on whether the cluster can host the transaction
// coordinator, which every producer epoch needs: the changelog's fence and the sink's
// (kafka.sink_fence) decide by the same one.
type Coordinator struct {
	CanHost     bool
	Why         error  // when it cannot: the cluster's facts and the broker setting to change
	Broker      string // the broker whose setting was read
	Brokers     int
	Replication int // its transaction.state.log.replication.factor (0: not known)
}

// Coordinator probes the cluster once per fence (a failed probe is asked again next time),
// whatever the changelog fence's mode: the sink's fence asks it too. A verdict that the cluster
// cannot host the coordinator is probed again when it is epochRetry old (a broker setting
// changed since); one that it can is kept.
func (f *EpochFence) Coordinator(ctx context.Context) (Coordinator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.coordinator(ctx)
}

// coordinator is Coordinator with f.mu held.
func (f *EpochFence) coordinator(ctx context.Context) (Coordinator, error) {
	if f.probed != nil && (f.probed.CanHost || time.Since(f.probedAt) < epochRetry) {
		return *f.probed, nil
	}
	c, err := f.probe(ctx)
	if err != nil {
		return Coordinator{}, err
	}
	v := Coordinator{CanHost: c.topicExists || c.replication == 0 || c.replication <= c.brokers,
		Broker: c.broker, Brokers: c.brokers, Replication: c.replication}
	if !v.CanHost {
		v.Why = fmt.Errorf("the cluster has %d broker(s) and no %s topic, which the transaction coordinator creates "+
			"with %s=%d (broker %s): it cannot, and InitProducerID answers COORDINATOR_NOT_AVAILABLE forever; "+
			"set %s=1 (and transaction.state.log.min.isr=1) on a single broker",
			c.brokers, transactionStateTopic, replicationSetting, c.replication, c.broker, replicationSetting)
	}
	f.probed, f.probedAt = &v, time.Now()
	return v, nil
}

// denied is called when InitProducerID was refused for want of an ACL (TransactionalId Write,
// cluster IdempotentWrite). Mode auto then writes without epochs from now on, with one
// warning, and reports false; mode on keeps the error. It is asked again after epochRetry
// (ACLs granted since).
func (f *EpochFence) denied(err error) bool {
	if f.mode != FenceAuto || !(errors.Is(err, kafka.TransactionalIDAuthorizationFailed) || errors.Is(err, kafka.ClusterAuthorizationFailed)) {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fallBack("the brokers' ACLs refuse InitProducerID: the processors' principal needs Write on the "+
		"TransactionalId prefix wirestream-state/ and IdempotentWrite on the cluster", err)
	return true
}

// epochRetry is how long mode auto, fallen back at run time, writes without epochs before it
// asks the coordinator again (tests shorten it): at the next restore or append after it.
var epochRetry = time.Hour

// FenceBackMsg is logged (INFO) when mode auto, fallen back at run time, found the coordinator
// answering: the changelog's writes carry producer epochs again, each partition's from its next
// restore or append on.
const FenceBackMsg = "state changelog: the transaction coordinator answers now; writes carry producer epochs again " +
	"(state.changelog.fence: auto)"

// StillUnfencedMsg is logged (WARN) when such an ask again was not answered either.
const StillUnfencedMsg = "state changelog: still writing without producer epochs: the transaction coordinator did not answer again " +
	"(state.changelog.fence: auto)"

// fallBack turns mode auto's fence off for epochRetry, with FenceUnavailableMsg the first time
// and StillUnfencedMsg after an ask again that failed. f.mu is held.
func (f *EpochFence) fallBack(why string, err error) {
	switch {
	case f.on:
		f.log.Warn(FenceUnavailableMsg, "why", why, "err", err.Error(), "retry_in", epochRetry)
	case f.retrying:
		f.log.Warn(StillUnfencedMsg, "why", why, "err", err.Error(), "retry_in", epochRetry)
	}
	f.on, f.retrying, f.loadingSaid = false, false, false
	f.retryAt = time.Now().Add(epochRetry)
}

// retryDue reports whether mode auto, fallen back at run time, is due to ask the coordinator
// again, and marks the ask under way (one at a time: the Logs that restore or append meanwhile
// write without epochs, and take one once it was answered). f.mu is held.
func (f *EpochFence) retryDue() bool {
	if f.mode != FenceAuto || f.retryAt.IsZero() || f.retrying || time.Now().Before(f.retryAt) {
		return false
	}
	f.retrying = true
	return true
}

// retryEnded ends an ask again that neither answered() nor fallBack settled (the generation
// ended, the processor stops): the next restore or append asks again.
func (f *EpochFence) retryEnded() {
	f.mu.Lock()
	f.retrying = false
	f.mu.Unlock()
}

// lateEpoch reports whether a Log restored without an epoch should take one at its append: mode
// auto fell back at run time and has been answered since (another Log's ask again), or is due
// to ask again.
func (f *EpochFence) lateEpoch() bool {
	if f == nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mode == FenceAuto && f.decided && (f.on || f.retryDue())
}

// Fencing reports whether the changelog's writes carry producer epochs now, as far as the fence
// decided: false with mode off, before the first restore, and while mode auto writes without.
// It is the gauge wirestream_state_changelog_epochs.
func (f *EpochFence) Fencing() bool {
	if f == nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mode != FenceOff && f.decided && f.on
}

// firstEpochWait bounds, in mode auto, the wait for the coordinator's answer to the first
// InitProducerID the fence asks before any was answered (tests shorten it).
var firstEpochWait = 30 * time.Second

// loadingWait bounds how long mode auto keeps asking a coordinator whose last answer said it
// is loading (CoordinatorLoading), as the sink fence does.
var loadingWait = 2 * time.Minute

// CoordinatorLoading reports an InitProducerID whose wait ended with the coordinator's last
// answer saying it is loading (COORDINATOR_LOAD_IN_PROGRESS): it works — it is reading
// __transaction_state (a cluster's first InitProducerID creates it, 50 partitions) — and is
// waited for, not taken for silence: on a fresh 3-node cluster under load it answered so for
// over 30 s, and auto wrote unfenced. The changelog's fence and the sink's both ask it.
func CoordinatorLoading(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) && errors.Is(err, kafka.GroupLoadInProgress)
}

// untried reports whether mode auto has not seen the coordinator answer yet: its first
// InitProducerID is then bounded by firstEpochWait (unanswered).
func (f *EpochFence) untried() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mode == FenceAuto && !f.took
}

// answered notes that the coordinator gave an epoch: from then on a coordinator away is
// passing, and waited for.
func (f *EpochFence) answered() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.took = true
	if !f.on {
		// Mode auto had fallen back at run time: its ask again was answered.
		f.log.Info(FenceBackMsg, "group", f.group)
	}
	f.on, f.retrying, f.retryAt, f.loadingSaid = true, false, time.Time{}, false
}

// notAnswered ends an ask again that a late epoch (an append's) did not get answered: the
// fence stays off for another epochRetry.
func (f *EpochFence) notAnswered(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.retrying {
		f.fallBack(fmt.Sprintf("the transaction coordinator did not answer InitProducerID within %v", epochRefreshWait), err)
	}
}

// unanswered is called when, in mode auto, the coordinator did not answer the first
// InitProducerID within firstEpochWait (COORDINATOR_NOT_AVAILABLE throughout: its topic's
// partition has no leader, or it cannot be created, which the probe could not tell). The
// Logs then write without epochs, with one warning, as on a cluster the probe found unable:
// waiting on, the restore waited as long as each generation lasted, and the processor never
// became active. It reports whether the fence fell back, which lasts epochRetry: a coordinator
// away at the first restore no longer leaves the changelog unfenced for the process's life.
func (f *EpochFence) unanswered(err error, waited time.Duration) bool {
	if f.mode != FenceAuto || !coordinatorSilent(err) {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.took {
		return false // another Log's epoch was answered meanwhile: the coordinator works
	}
	why := fmt.Sprintf("the transaction coordinator did not answer InitProducerID within %v "+
		"(is %s online, and its %s met by the brokers?)", firstEpochWait, transactionStateTopic, replicationSetting)
	if CoordinatorLoading(err) {
		why = StillLoading(waited)
	}
	f.fallBack(why, err)
	return true
}

// StillLoading is why mode auto falls back when the transaction coordinator still answered
// that it was loading after it was waited for (loadingWait): it works, but is slow to read
// __transaction_state. Saying that it did not answer sent an operator to the topic's
// replication setting, which is not at fault.
func StillLoading(waited time.Duration) string {
	return fmt.Sprintf("the transaction coordinator still answered InitProducerID that it was loading (COORDINATOR_LOAD_IN_PROGRESS) after %v of asking "+
		"(it reads %s: see the load of its partitions' leaders)", waited.Round(time.Second), transactionStateTopic)
}

// coordinatorSilent reports an InitProducerID that ended unanswered by a working coordinator.
func coordinatorSilent(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kafka.GroupCoordinatorNotAvailable) ||
		errors.Is(err, kafka.NotCoordinatorForGroup) || errors.Is(err, kafka.GroupLoadInProgress)
}

// probeCluster asks the cluster's metadata whether __transaction_state exists and how many
// brokers there are, and, when it does not, a broker's transaction.state.log.replication.factor.
func (f *EpochFence) probeCluster(ctx context.Context) (coordinator, error) {
	cl, done := f.cn.Client(10 * time.Second)
	defer done()
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{transactionStateTopic}})
	if err != nil {
		return coordinator{}, err
	}
	return coordinatorOf(ctx, md, func(ctx context.Context, b kafka.Broker) (string, error) {
		return brokerSetting(ctx, cl, b, replicationSetting)
	})
}

// coordinatorOf makes the verdict's facts of the metadata md and, when md has no
// __transaction_state, of the replication setting describe reads from its first broker. A
// setting the broker will not describe — DescribeConfigs refused by ACLs (a principal granted
// only what the README asks), or a broker that has no such setting (not Apache Kafka) — is not
// known (0), not an error: an error fails every restore, and these never pass, so mode auto
// stood every processor by for good on a secured cluster. The coordinator's own answer then
// decides (InitProducerID; refused by ACLs, auto falls back: denied).
func coordinatorOf(ctx context.Context, md *kafka.MetadataResponse, describe func(context.Context, kafka.Broker) (string, error)) (coordinator, error) {
	c := coordinator{brokers: len(md.Brokers)}
	for _, t := range md.Topics {
		if t.Name == transactionStateTopic && t.Error == nil && len(t.Partitions) > 0 {
			c.topicExists = true
		}
	}
	if c.topicExists || len(md.Brokers) == 0 {
		return c, nil
	}
	b := md.Brokers[0]
	c.broker = net.JoinHostPort(b.Host, strconv.Itoa(b.Port))
	v, err := describe(ctx, b)
	switch {
	case errors.Is(err, kafka.ClusterAuthorizationFailed) || errors.Is(err, errNotDescribed):
		return c, nil // not known
	case err != nil:
		return coordinator{}, err
	}
	c.replication, _ = strconv.Atoi(v)
	return c, nil
}

// errNotDescribed is brokerSetting's error when the broker answered without the setting.
var errNotDescribed = errors.New("setting not described")

// brokerSetting asks broker b for its setting name (DescribeConfigs).
func brokerSetting(ctx context.Context, cl *kafka.Client, b kafka.Broker, name string) (string, error) {
	addr := net.JoinHostPort(b.Host, strconv.Itoa(b.Port))
	res, err := cl.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{
		Addr: kafka.TCP(addr),
		Resources: []kafka.DescribeConfigRequestResource{{
			ResourceType: kafka.ResourceTypeBroker, ResourceName: strconv.Itoa(b.ID), ConfigNames: []string{name},
		}},
	})
	if err != nil {
		return "", fmt.Errorf("describe broker %s's %s: %w", addr, name, err)
	}
	for _, r := range res.Resources {
		if r.Error != nil {
			return "", fmt.Errorf("describe broker %s's %s: %w", addr, name, r.Error)
		}
		for _, e := range r.ConfigEntries {
			if e.ConfigName == name {
				return e.ConfigValue, nil
			}
		}
	}
	return "", fmt.Errorf("broker %s did not describe %s: %w", addr, name, errNotDescribed)
}

// EpochFencedError is an append's (or a restore's) error when the partition leader refused a
// write of the Log's producer epoch: a newer owner took the partition's epoch. The Log writes
// nothing more; the processor gives the partition up until its next generation.
type EpochFencedError struct {
	Topic     string
	Partition int
	Epoch     kafkatable.Identity
	Err       error
	// What names what was fenced in the message: "state changelog" when empty, "sink" for
	// the sink's fenced writer (internal/epochsink), whose refusals the processor handles alike.
	What string
}

func (e *EpochFencedError) Error() string {
	what := e.What
	if what == "" {
		what = "state changelog"
	}
	return fmt.Sprintf("%s %s/%d: fenced: a newer owner took the partition's producer epoch (ours: producer %d, epoch %d): %v",
		what, e.Topic, e.Partition, e.Epoch.ProducerID, e.Epoch.Epoch, e.Err)
}

func (e *EpochFencedError) Unwrap() error { return e.Err }

// EpochRefused reports the partition leader's refusals of an older epoch.
func EpochRefused(err error) bool {
	return errors.Is(err, kafka.InvalidProducerEpoch) || errors.Is(err, kafka.ProducerFenced)
}
