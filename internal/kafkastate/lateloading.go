package kafkastate

// LateEpochLoadingMsg is logged (INFO) once per episode of "loading" answers when a Log's late
// epoch (an append's, mode auto fallen back at run time) met a transaction coordinator that
// answered InitProducerID that it is loading for the whole of its bound (epochRefreshWait): the
// coordinator works, so the Log asks again a minute later (epochRefreshRetry), not after
// epochRetry, and says it did not answer (StillUnfencedMsg) no more — the sink's late ask does
// the same (internal/daemon, SinkCoordinatorLoadingMsg).
const LateEpochLoadingMsg = "state changelog: the transaction coordinator answers InitProducerID that it is loading (COORDINATOR_LOAD_IN_PROGRESS); " +
	"still writing without producer epochs, asking again every minute (state.changelog.fence: auto)"

// stillLoading ends a late epoch's ask that met a loading coordinator: the Log asks again after
// epochRefreshRetry, and the first such ask of an episode (ended by an answer or a fallback)
// says so.
func (f *EpochFence) stillLoading() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.loadingSaid {
		f.log.Info(LateEpochLoadingMsg, "group", f.group, "retry_in", epochRefreshRetry)
		f.loadingSaid = true
	}
}
