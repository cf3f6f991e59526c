#!/usr/bin/env bash
# scripts/soak.sh — a fault-injection soak of the scale-out roles against a 3-broker cluster.
#
#   scripts/soak.sh KAFKA_PORT FEED_PORT LISTEN_PORT [MINUTES] [OUT]
#
# KAFKA_PORT: first of the cluster's six ports (scripts/kafka.sh --cluster 3); FEED_PORT: the
# feed server's port (scripts/soak/feeds.py, on 127.0.1.x and 127.0.2.x); LISTEN_PORT: first of
# six ports for the instances' /metrics (process-1, process-2, fetch-1, fetch-2, and the
# newcomers process-3, fetch-3). MINUTES (default 15) of faults, then items stop appearing and
# the run drains for at most 5 minutes before scripts/soak/check.py counts what reached the
# topics. OUT (default /tmp/wirestream-soak-<KAFKA_PORT>) keeps every log, config, data dir,
# the served items and the fault log (faults.tsv).
#
# It builds bin/wirestream, starts the cluster (or reuses one already running on KAFKA_PORT),
# 2 fetchers and 2 processors, and at random intervals (SOAK_MIN_GAP..SOAK_MAX_GAP s, default
# 30..75) does one of: kill -9 the active processor (restarted 5-20 s later), kill -9 a fetcher
# (restarted 5-20 s later), kill -9 the broker leading the items partition (restarted 10-30 s
# later), a newcomer (process-3 or fetch-3 started and SIGTERMed 30-60 s later). Every process
# it started is stopped by PID on exit; the cluster too if this run started it (its data deleted),
# unless SOAK_KEEP_CLUSTER=1. Each broker restart is waited for (minutes on a loaded box).
# SOAK_FEEDS (default 250) normal feeds; SOAK_SEED seeds the fault choices; SOAK_KINDS (default
# processor,fetcher,broker,newcomer) limits the faults drawn to those kinds, e.g. SOAK_KINDS=broker
# for a soak of broker kills only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ $# -ge 3 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
KPORT=$1 FPORT=$2 LPORT=$3 MINUTES=${4:-15}
OUT=${5:-/tmp/wirestream-soak-$KPORT}
FEEDS=${SOAK_FEEDS:-250}
MIN_GAP=${SOAK_MIN_GAP:-30} MAX_GAP=${SOAK_MAX_GAP:-75}
RANDOM=${SOAK_SEED:-$$}
IFS=, read -r -a KINDS <<<"${SOAK_KINDS:-processor,fetcher,broker,newcomer}"
for k in "${KINDS[@]}"; do
	case $k in processor | fetcher | broker | newcomer) ;; *) echo "soak: SOAK_KINDS: unknown kind '$k' (known: processor, fetcher, broker, newcomer)" >&2; exit 2 ;; esac
done
export KAFKA_PORT=$KPORT KAFKA_STATE_DIR=$OUT/kafka
mkdir -p "$OUT"
FAULTS=$OUT/faults.tsv
log() { printf '%s soak: %s\n' "$(date -u +%T)" "$*" >&2; }
fault() { printf '%s\t%s\n' "$(date -u +%FT%T.%3NZ)" "$*" >>"$FAULTS"; log "$*"; }

go build -o bin/wirestream ./cmd/wirestream
WS=$PWD/bin/wirestream

declare -A PID PORT
PORT=([process-1]=$LPORT [process-2]=$((LPORT + 1)) [fetch-1]=$((LPORT + 2)) [fetch-2]=$((LPORT + 3))
	[process-3]=$((LPORT + 4)) [fetch-3]=$((LPORT + 5)))
FEEDPID=""
STARTED_CLUSTER=0 # stop on exit only a cluster this run started, not one it found running

cleanup() {
	local id
	for id in "${!PID[@]}"; do stop "$id" || true; done
	[ -n "$FEEDPID" ] && kill "$FEEDPID" 2>/dev/null || true
	if [ "$STARTED_CLUSTER" = 1 ] && [ "${SOAK_KEEP_CLUSTER:-0}" != 1 ]; then
		scripts/kafka.sh stop >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! brokers=$(scripts/kafka.sh status 2>/dev/null | sed -n 's/^KAFKA_BROKERS=//p') || [ -z "$brokers" ] ||
	! scripts/kafka.sh status >/dev/null 2>&1; then
	brokers=$(scripts/kafka.sh start --cluster 3 | sed -n 's/^KAFKA_BROKERS=//p')
	STARTED_CLUSTER=1
fi
log "brokers $brokers"
PREFIX=soak$(date +%s).
echo "$PREFIX" >"$OUT/prefix"
echo "$brokers" >"$OUT/brokers"

python3 scripts/soak/feeds.py --urls --port "$FPORT" --feeds "$FEEDS" --out "$OUT/feeds" --event cmd/wirestream/testdata/e2e/event.txt >"$OUT/feeds.txt"
GROW=$((MINUTES * 60))
python3 scripts/soak/feeds.py --port "$FPORT" --feeds "$FEEDS" --out "$OUT/feeds" --grow-for "$GROW" \
	--event cmd/wirestream/testdata/e2e/event.txt >"$OUT/feeds.log" 2>&1 &
FEEDPID=$!

config() { # instance
	local id=$1 f
	{
		printf 'instance: %s\ndata_dir: %s\nlisten: 127.0.0.1:%s\nshutdown_timeout: 20s\n' "$id" "$OUT/$id/data" "${PORT[$id]:-0}"
		printf 'log:\n  format: json\n  level: info\n'
		printf 'kafka:\n  brokers: [%s]\n  topic_prefix: "%s"\n  topics:\n' "$brokers" "$PREFIX"
		for t in stories duplicates events alerts feed_status dead_letters; do
			printf '    %s: {replication_factor: 3, min_insync_replicas: 2}\n' "$t"
		done
		printf 'poller:\n  user_agent: "wirestream-soak (%s)"\n  allow_networks: ["127.0.0.0/8"]\n' "$id"
		printf '  min_interval: 5s\n  start_spread: 10s\n  backoff_initial: 2s\n  backoff_max: 20s\n  timeout: 20s\n  header_timeout: 15s\n'
		printf 'pipeline:\n  maintenance_interval: 5s\n'
		printf 'cluster:\n  feed_partitions: 12\n  replication_factor: 3\n  min_insync_replicas: 2\n'
		printf 'feeds:\n'
		while read -r f; do printf '  - {url: "%s", min_interval: 5s, max_interval: 15s}\n' "$f"; done <"$OUT/feeds.txt"
	} >"$OUT/$id.yaml"
	echo "$OUT/$id.yaml"
}

start() { # instance: runs it in the background, its output appended to OUT/<id>.log
	local id=$1 role=process
	[[ $id == fetch-* ]] && role=fetch
	mkdir -p "$OUT/$id"
	"$WS" run --config "$(config "$id")" --role "$role" --instance "$id" >>"$OUT/$id.log" 2>&1 &
	PID[$id]=$!
	fault "start $id pid ${PID[$id]}"
}

stop() { # instance: SIGTERM, SIGKILL after 40 s
	local id=$1 pid=${PID[$1]:-} i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 400; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		fault "HANG $id pid $pid still running 40 s after SIGTERM: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null && fault "stopped $id (exit 0)" || fault "stopped $id (exit $?)"
	unset "PID[$id]"
}

kill9() { # instance
	local id=$1 pid=${PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset "PID[$id]"
	fault "kill -9 $id pid $pid"
}

metric() { # instance name: the metric's value, empty when unreachable
	curl -s -m 3 "http://127.0.0.1:${PORT[$1]}/metrics" 2>/dev/null | awk -v n="$2" '$1==n {print $2; exit}'
}

items_leader() {
	kcat -b "$brokers" -L -t "${PREFIX}items" -m 5 2>/dev/null | sed -n 's/.*partition 0, leader \([0-9]*\),.*/\1/p' | head -1
}

# crashed: an instance that exited although nobody stopped it.
check_alive() {
	local id
	for id in "${!PID[@]}"; do
		if ! kill -0 "${PID[$id]}" 2>/dev/null; then
			wait "${PID[$id]}" 2>/dev/null && rc=0 || rc=$?
			fault "CRASH $id pid ${PID[$id]} exited by itself (exit $rc): see $OUT/$id.log"
			unset "PID[$id]"
			start "$id"
		fi
	done
}

"$WS" feeds push --config "$(config admin)" >"$OUT/push.log" 2>&1 || { cat "$OUT/push.log" >&2; exit 1; }
fault "feeds push: $(tail -1 "$OUT/push.log")"
start process-1
start process-2
start fetch-1
start fetch-2

t_end=$((SECONDS + GROW))
pending=() # "at instance" restarts
node_down=""
while [ $SECONDS -lt $t_end ]; do
	gap=$((MIN_GAP + RANDOM % (MAX_GAP - MIN_GAP + 1)))
	until_t=$((SECONDS + gap))
	while [ $SECONDS -lt $until_t ] && [ $SECONDS -lt $t_end ]; do
		sleep 1
		check_alive
		# due restarts and stops
		keep=()
		for p in "${pending[@]}"; do
			at=${p%% *} what=${p#* }
			if [ "$SECONDS" -ge "$at" ]; then
				case $what in
				node*) scripts/kafka.sh start-node "${what#node}" >/dev/null 2>>"$OUT/kafka-nodes.log" &&
					fault "restarted broker ${what#node}" || fault "ERROR broker ${what#node} did not restart"
					node_down="" ;;
				stop\ *) stop "${what#stop }" ;;
				*) start "$what" ;;
				esac
			else
				keep+=("$p")
			fi
		done
		pending=("${keep[@]}")
	done
	[ $SECONDS -lt $t_end ] || break
	case ${KINDS[RANDOM % ${#KINDS[@]}]} in
	processor)
		active=""
		for id in process-1 process-2 process-3; do
			[ -n "${PID[$id]:-}" ] && [ "$(metric "$id" wirestream_processor_active)" = 1 ] && active=$id
		done
		if [ -n "$active" ]; then
			kill9 "$active"
			pending+=("$((SECONDS + 5 + RANDOM % 16)) $active")
		else
			fault "no active processor to kill"
		fi
		;;
	fetcher)
		victim=fetch-$((1 + RANDOM % 2))
		if [ -n "${PID[$victim]:-}" ]; then
			kill9 "$victim"
			pending+=("$((SECONDS + 5 + RANDOM % 16)) $victim")
		fi
		;;
	broker)
		leader=$(items_leader)
		if [ -z "$node_down" ] && [ -n "$leader" ]; then
			scripts/kafka.sh kill-node "$leader" 2>>"$OUT/kafka-nodes.log" && fault "kill -9 broker $leader (items leader)"
			node_down=$leader
			pending+=("$((SECONDS + 10 + RANDOM % 21)) node$leader")
		else
			fault "no broker killed (leader '$leader', down '$node_down')"
		fi
		;;
	newcomer)
		id=process-3
		[ $((RANDOM % 2)) = 0 ] && id=fetch-3
		if [ -z "${PID[$id]:-}" ]; then
			start "$id"
			pending+=("$((SECONDS + 30 + RANDOM % 31)) stop $id")
		fi
		;;
	esac
done
fault "faults over: items stop appearing; pending ${pending[*]:-none}"
# Bring everything back: due restarts now, newcomers stopped.
for p in "${pending[@]}"; do
	what=${p#* }
	case $what in
	node*) scripts/kafka.sh start-node "${what#node}" >/dev/null 2>>"$OUT/kafka-nodes.log" && fault "restarted broker ${what#node}" ;;
	stop\ *) stop "${what#stop }" ;;
	*) start "$what" ;;
	esac
done
check_alive

# Drain: until the checker finds nothing missing, at most 5 minutes.
for ((i = 0; i < 10; i++)); do
	sleep 30
	check_alive
	if python3 scripts/soak/check.py "$OUT" --quiet; then break; fi
done
for id in process-1 process-2 fetch-1 fetch-2; do
	{ echo "# $id"; curl -s -m 5 "http://127.0.0.1:${PORT[$id]}/metrics" | grep '^wirestream_' ; } >>"$OUT/metrics.txt" 2>/dev/null || true
done
python3 scripts/soak/check.py "$OUT" | tee "$OUT/report.txt"
