#!/usr/bin/env bash
# scripts/test.sh — the one test command (`make test`): starts a throwaway Kafka broker, runs
# `go test -race` over the module against it, and always stops the broker, keeping go test's exit
# code and leaving its closing lines last on the screen. It installs what the tests need first:
# the broker's jars (scripts/kafka.sh), Chromium for the status page's browser test
# (scripts/chromium.sh) and promtool for the alert rules' unit tests (scripts/promtool.sh: taken
# from Debian's prometheus package into ~/.cache/wirestream, not installed). Test artefacts (the
# /status screenshot) are kept in .cache/test-artifacts.
#
#   scripts/test.sh                      # go test -race -count=1 -timeout 35m ./..., then once
#                                        # without -race the packages holding a race_off_test.go
#                                        # (also after any other unfiltered run of ./...)
#   scripts/test.sh -run Kafka ./sinks/...   # arguments replace the default flags and packages
#                                            # (-timeout 35m is added when they carry none)
#
# A failed run ends with one "test.sh verdict:" line per failed test (scripts/triage.sh): rerun
# alone up to twice, then on the parent commit — flaky, likely this change, or not caused by it.
# The exit code stays go test's. TRIAGE=0 skips it; TRIAGE_BUDGET bounds it (default 1200 s).
#
# KAFKA_PORT picks the broker's port (default 19092); cluster tests use KAFKA_CLUSTER_PORT
# (default KAFKA_PORT+10) and the five ports after it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export KAFKA_PORT=${KAFKA_PORT:-19092}
scripts/kafka.sh install
scripts/chromium.sh install
if browser=$(scripts/chromium.sh path); then
	export CHROMIUM=$browser
fi
scripts/promtool.sh install
if promtool=$(scripts/promtool.sh path); then
	export PROMTOOL=$promtool
fi
artifacts=${TEST_ARTIFACTS:-$PWD/.cache/test-artifacts}
mkdir -p "$artifacts"

# shellcheck source=scripts/triage.sh
. scripts/triage.sh
logs=$(mktemp -d "${TMPDIR:-/tmp}/wirestream-test.XXXXXX")
export TRIAGE_TMPDIR=$logs
root=$PWD

# A broker already on the port is another run's: refuse before the trap below is set, which
# would stop it on the way out and fail that run's tests midway.
if (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; then
	echo "test.sh: port $KAFKA_PORT is in use (another test.sh's broker?): set KAFKA_PORT to a free port" >&2
	exit 1
fi

# Stop on every way out. The EXIT trap alone does not run when bash dies of a signal.
# shellcheck disable=SC2317 # called from the trap
stop_broker() { scripts/kafka.sh stop >/dev/null 2>&1 || echo "test.sh: stopping the broker failed" >&2; }
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	stop_broker
	rm -rf "$logs"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

brokers=$(scripts/kafka.sh start)
case $brokers in
KAFKA_BROKERS=?*) export KAFKA_BROKERS="${brokers#KAFKA_BROKERS=}" ;;
*) echo "test.sh: unexpected output from kafka.sh start: $brokers" >&2; exit 1 ;;
esac
# This broker is ours: fault tests may stop and restart it (see internal/testkit/kafkatest).
export KAFKA_CONTROL=1
# Tests that need a 3-broker cluster start one (kafkatest.StartCluster) on the six ports from
# here, one cluster at a time; override it when those ports belong to someone else.
export KAFKA_CLUSTER_PORT=${KAFKA_CLUSTER_PORT:-$((KAFKA_PORT + 10))}
# Before each triage rerun: a fault test that failed may have left the broker stopped.
# shellcheck disable=SC2317 # called from triage
triage_before_run() { "$root/scripts/kafka.sh" status >/dev/null 2>&1 || "$root/scripts/kafka.sh" start >/dev/null; }

args=("$@")
# go test's default 10 min per package is too short for a package whose cluster test waits
# for another package's cluster (one at a time) on a loaded machine, or whose tests' own bounds
# add up past it (internal/daemon's fetch cap tests): arguments without a -timeout get 35m too.
# 35m, not 25m: under load cmd/wirestream took 1,407 s and internal/daemon 1,255 s (round 35), 93 s
# inside 25m. The timeout only catches a hang: a package started by minute 30 and hung ends at 65,
# and triage's 20-minute budget still ends inside CI's 90 minutes.
if [ ${#args[@]} -eq 0 ]; then
	args=(-race -count=1 -timeout 35m ./...)
else
	has_timeout=
	for a in "${args[@]}"; do
		case $a in
		-timeout | -timeout=* | --timeout | --timeout=* | -test.timeout | -test.timeout=*) has_timeout=1 ;;
		esac
	done
	[ -n "$has_timeout" ] || args=(-timeout 35m "${args[@]}")
fi
status=0
go_test_triaged "$logs/race.log" -artifacts -outputdir "$artifacts" "${args[@]}" || status=$?
# The race detector changes what escapes and drops sync.Pool entries, so a package's allocation
# and memory-bound checks skip under it (its race_off_test.go says raceOn is false); a package
# may also check a fixed sample under it where the full check takes minutes (enricheval's stream
# replays). The full run also runs those packages once without -race, so such a check cannot
# regress unseen. "The full
# run" is ./... with no -run or -skip filter, with or without other flags: the command every
# round's helpers are given is `scripts/test.sh -race -count=1 ./...`, which skipped this.
full=
if [ "$#" -eq 0 ]; then
	full=1
else
	for a in "$@"; do
		case $a in
		./...) full=1 ;;
		-run | -run=* | --run | --run=* | -test.run | -test.run=* | -skip | -skip=* | --skip | --skip=* | -test.skip | -test.skip=*)
			full=
			break
			;;
		esac
	done
fi
if [ -n "$full" ] && [ "$status" -eq 0 ]; then
	mapfile -t norace < <(find . -name race_off_test.go -not -path './.cache/*' -exec dirname {} \; | sort -u)
	if [ ${#norace[@]} -gt 0 ]; then
		echo "test.sh: without -race, the packages whose checks skip or sample under it: ${norace[*]}"
		go_test_triaged "$logs/norace.log" -count=1 -timeout 10m "${norace[@]}" || status=$?
	fi
fi
exit "$status"
