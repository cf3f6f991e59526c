#!/usr/bin/env bash
# scripts/loadtest.sh — the measured run behind BENCHMARKS.md: starts a throwaway broker on
# KAFKA_PORT (default 49092, away from the test suite's 19092), runs the load harness
# (cmd/loadtest: wrk and kcat limits included) for each scenario, and stops the broker, also on
# failure or Ctrl-C. Output: markdown tables on stdout, JSON per scenario in $OUT.
#
# Usage: scripts/loadtest.sh [quick|full]     (default quick: the 1,000-feed scenarios only)
#   full adds 10,000 feeds with 1M remembered stories (prefilled once into $OUT/prefill-1m-$TEXT;
#   the fill slows as the store grows: 734k stories took 37 min on a busy 2-core machine).
# Environment: KAFKA_PORT, OUT (default ./loadtest-out), RUNS (default 3), WINDOW (default 20s),
#   TEXT (default news: news-like stories; template: rounds 11–27's text, to reproduce their figures),
#   PREFILL_SPAN (default young: every prefilled story inside dedupe.window, the near index's worst
#   case; history: spread over state.seen_ttl, a week, as a deployment's stories arrive — round 47).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export KAFKA_PORT=${KAFKA_PORT:-49092}
OUT=${OUT:-$PWD/loadtest-out}
RUNS=${RUNS:-3}
WINDOW=${WINDOW:-20s}
TEXT=${TEXT:-news}
PREFILL_SPAN=${PREFILL_SPAN:-young}
MODE=${1:-quick}
mkdir -p "$OUT"

bash scripts/kafka.sh install
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; }
command -v kcat >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >&2; }
eval "export $(bash scripts/kafka.sh start)"
trap 'bash scripts/kafka.sh stop' EXIT

go build -o "$OUT/loadtest" ./cmd/loadtest
lt() { "$OUT/loadtest" -text "$TEXT" -runs "$RUNS" -duration "$WINDOW" -brokers "$KAFKA_BROKERS" "$@"; }

printf 'state:\n  no_sync: true\n' >"$OUT/nosync.yaml"
printf 'pipeline:\n  max_in_flight_batches: 64\nstate:\n  no_sync: true\n' >"$OUT/tuned.yaml"

echo "## polls with a backlog: 1,000 feeds every 0.5 s, 5 % publishing (defaults)"
lt -feeds 1000 -interval 500ms -change-share 0.05 -json "$OUT/polls.json" -cpuprofile "$OUT/polls.cpu"
echo "## polls without a backlog: 2,000 feeds every 0.5 s, 2 items per document"
lt -feeds 2000 -interval 500ms -items 2 -change-share 0.02 -warmup 20s -json "$OUT/polls2.json" -cpuprofile "$OUT/polls2.cpu"
echo "## below capacity: 1,000 feeds every second, 2 items per document, 5 % publishing"
lt -feeds 1000 -items 2 -change-share 0.05 -warmup 20s -json "$OUT/light.json"
echo "## stories: 1,000 feeds, every feed publishes 5 items per second (defaults)"
lt -feeds 1000 -change-share 1 -per-change 5 -json "$OUT/stories.json" -cpuprofile "$OUT/stories.cpu"
echo "## stories, state.no_sync: true"
lt -feeds 1000 -change-share 1 -per-change 5 -config "$OUT/nosync.yaml" -json "$OUT/stories-nosync.json"
echo "## stories, no_sync + 64 batches in flight"
lt -feeds 1000 -change-share 1 -per-change 5 -config "$OUT/tuned.yaml" -json "$OUT/stories-tuned.json"
if [ "$MODE" = full ]; then
	echo "## 10,000 feeds, empty state"
	lt -feeds 10000 -interval 5s -change-share 0.1 -baseline=false -json "$OUT/scale0.json" -memprofile "$OUT/scale0.mem"
	PREFILL_DIR=$OUT/prefill-1m-$TEXT
	[ "$PREFILL_SPAN" = young ] || PREFILL_DIR=$PREFILL_DIR-$PREFILL_SPAN # a directory holds one span
	echo "## 10,000 feeds, 1M remembered stories, $PREFILL_SPAN (prefilled once into $PREFILL_DIR)"
	lt -feeds 10000 -interval 5s -change-share 0.1 -baseline=false -prefill 1000000 -prefill-span "$PREFILL_SPAN" -prefill-dir "$PREFILL_DIR" \
		-json "$OUT/scale.json" -memprofile "$OUT/scale.mem"
fi
