#!/usr/bin/env bash
# scripts/kafka.sh — a real, throwaway, single-node Apache Kafka broker for tests, without Docker.
#
# Kafka's broker is published on Maven Central, so plain `mvn` assembles its classpath and `java`
# runs it in KRaft combined mode (broker + controller in one process) on 127.0.0.1.
#
# Usage:
#   scripts/kafka.sh install              apt-installs what is missing (java 17+, maven, kcat, wrk),
#                                         then downloads the broker's jars once into the cache
#   scripts/kafka.sh start [--keep-data]  formats and starts the broker in the background, waits
#                                         until it serves, prints KAFKA_BROKERS=127.0.0.1:<port>
#   scripts/kafka.sh stop [--keep-data]   SIGTERM to the PID it started (SIGKILL after 30 s)
#   scripts/kafka.sh status               exit 0 when running, 3 when not
#
#   eval "export $(scripts/kafka.sh start)"   # sets KAFKA_BROKERS in the calling shell
#
# --keep-data: `stop --keep-data` leaves the data dir and cluster id in place and a later
# `start --keep-data` reuses them, so topics and records survive a restart (fault tests).
# Without it, `start` always begins from an empty data dir and `stop` deletes it.
#
# Only the status lines on stdout are meant for machines; progress goes to stderr.
#
# Environment:
#   KAFKA_PORT        client port (default 19092); the controller listens on KAFKA_PORT+1
#   KAFKA_VERSION     org.apache.kafka:kafka_2.13 version (default 4.1.2)
#   WIRESTREAM_CACHE  where jars and Maven's local repo live (default ~/.cache/wirestream)
#   KAFKA_STATE_DIR   pidfile, logs and data-dir pointer (default $TMPDIR/wirestream-kafka-<port>)
#   KAFKA_HEAP_OPTS   JVM heap (default -Xms256m -Xmx768m)
#   KAFKA_START_TIMEOUT  seconds to wait for readiness (default 120: a loaded 2-core machine
#                     has taken 73 s; an idle one takes about 5 s)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KAFKA_PORT=${KAFKA_PORT:-19092}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
KAFKA_VERSION=${KAFKA_VERSION:-4.1.2}
CACHE=${WIRESTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wirestream}
KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION
LIBS=$KAFKA_HOME/libs
LIBS_DONE=$KAFKA_HOME/libs.complete
STATE=${KAFKA_STATE_DIR:-${TMPDIR:-/tmp}/wirestream-kafka-$KAFKA_PORT}
PIDFILE=$STATE/broker.pid
DATA_PTR=$STATE/data-dir
START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

java_major() {
	# `java -version` prints e.g. `openjdk version "17.0.15"` (or "1.8.0_x" for Java 8).
	local v
	v=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
	v=${v#1.}
	echo "${v%%[.+-]*}"
}

cmd_install() {
	local missing=() required=()
	if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
		missing+=(openjdk-17-jre-headless); required+=(java)
	fi
	command -v mvn >/dev/null || { missing+=(maven); required+=(mvn); }
	command -v kcat >/dev/null || missing+=(kcat)
	command -v wrk >/dev/null || missing+=(wrk)

	if [ ${#missing[@]} -gt 0 ]; then
		local sudo=()
		[ "$(id -u)" -eq 0 ] || sudo=(sudo)
		if command -v apt-get >/dev/null; then
			log "installing ${missing[*]} with apt-get"
			# Only refresh the package lists when something is actually missing: it is the slow part.
			DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2 || true
			DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
				"${missing[@]}" >&2 || log "apt-get install ${missing[*]} failed"
		else
			log "no apt-get: install ${missing[*]} yourself"
		fi
		# kcat and wrk are conveniences for people; only java and mvn are needed to run the broker.
		command -v kcat >/dev/null || log "warning: kcat is not installed"
		command -v wrk >/dev/null || log "warning: wrk is not installed"
		local r
		for r in "${required[@]}"; do
			command -v "$r" >/dev/null || die "$r is still missing after install"
		done
		[ "$(java_major)" -ge 17 ] || die "Kafka ${KAFKA_VERSION} needs Java 17+, found $(java_major)"
	fi

	if [ -f "$LIBS_DONE" ]; then
		log "kafka ${KAFKA_VERSION} jars cached in $LIBS"
		return
	fi
	log "downloading kafka ${KAFKA_VERSION} jars from Maven Central into $LIBS"
	mkdir -p "$KAFKA_HOME"
	# Download next to the final place and rename, so an interrupted run leaves no half
	# directory that looks complete; the marker is written last for the same reason.
	local tmp
	tmp=$(mktemp -d "$KAFKA_HOME/libs.partial.XXXXXX")
	# Maven's local repository lives in the cache too, so one WIRESTREAM_CACHE is the whole state.
	# shellcheck disable=SC2086 # KAFKA_MAVEN_OPTS is a list of flags on purpose
	if ! mvn -B -q -f "$SCRIPT_DIR/kafka/pom.xml" \
		-Dmaven.repo.local="$CACHE/m2" -Dkafka.version="$KAFKA_VERSION" ${KAFKA_MAVEN_OPTS:-} \
		org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$tmp" >"$KAFKA_HOME/mvn.log" 2>&1; then
		rm -rf "$tmp"
		tail -n 40 "$KAFKA_HOME/mvn.log" >&2
		die "mvn could not assemble kafka ${KAFKA_VERSION} (log: $KAFKA_HOME/mvn.log)"
	fi
	ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "no kafka_2.13 jar in download"; }
	rm -rf "$LIBS"
	mv "$tmp" "$LIBS"
	date -u +%FT%TZ >"$LIBS_DONE"
	log "kafka ${KAFKA_VERSION}: $(find "$LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS" | cut -f1)"
}

# running prints the PID from the pidfile while that process is still our broker. The marker
# property on its command line guards against signalling an unrelated process that reused the PID.
running() {
	[ -f "$PIDFILE" ] || return 1
	local pid
	pid=$(cat "$PIDFILE")
	kill -0 "$pid" 2>/dev/null || return 1
	if [ -r "/proc/$pid/cmdline" ]; then
		tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "-Dwirestream.kafka.state=$STATE" || return 1
	fi
	echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_java() {
	# Same logging config for the tools and the broker, so StorageTool's lines land in server.log.
	java -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.xml" -Dkafka.logs.dir="$STATE" \
		-cp "$LIBS/*" "$@"
}

write_properties() {
	local data=$1
	cat >"$data/server.properties" <<-EOF
		process.roles=broker,controller
		node.id=1
		controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
		controller.listener.names=CONTROLLER
		listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
		advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
		inter.broker.listener.name=PLAINTEXT
		listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
		log.dirs=$data/logs
		# A single node: every internal topic must make do with one replica.
		offsets.topic.replication.factor=1
		transaction.state.log.replication.factor=1
		transaction.state.log.min.isr=1
		share.coordinator.state.topic.replication.factor=1
		share.coordinator.state.topic.min.isr=1
		# Tests join consumer groups constantly; the default 3 s delay would be paid on each one.
		group.initial.rebalance.delay.ms=0
		# 50 partitions of __consumer_offsets (the default) slow the first group join for nothing.
		offsets.topic.num.partitions=10
		auto.create.topics.enable=true
		num.partitions=1
		# Two cores: keep the thread pools small.
		num.network.threads=2
		num.io.threads=4
		background.threads=4
	EOF
}

cmd_start() {
	local keep=false
	[ "${1:-}" = "--keep-data" ] && keep=true
	[ -f "$LIBS_DONE" ] || die "kafka ${KAFKA_VERSION} is not installed: run scripts/kafka.sh install"
	local pid
	if pid=$(running); then
		die "already running (pid $pid, port $KAFKA_PORT): run scripts/kafka.sh stop first"
	fi
	port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process: set KAFKA_PORT"
	port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is taken: set KAFKA_PORT"
	mkdir -p "$STATE"

	local data=""
	[ -f "$DATA_PTR" ] && data=$(cat "$DATA_PTR")
	if $keep && [ -n "$data" ] && [ -f "$data/cluster.id" ]; then
		log "reusing data dir $data"
	else
		$keep && log "no kept data dir for port $KAFKA_PORT: starting empty"
		[ -n "$data" ] && rm -rf "$data"
		data=$(mktemp -d "${TMPDIR:-/tmp}/wirestream-kafka-$KAFKA_PORT-data.XXXXXX")
		echo "$data" >"$DATA_PTR"
	fi
	write_properties "$data"
	[ -f "$STATE/server.log" ] && mv "$STATE/server.log" "$STATE/server.log.prev"
	: >"$STATE/server.log"

	local t0=$SECONDS
	if [ ! -f "$data/cluster.id" ]; then
		run_java kafka.tools.StorageTool random-uuid >"$data/cluster.id.tmp" 2>>"$STATE/console.log"
		mv "$data/cluster.id.tmp" "$data/cluster.id"
	fi
	# --ignore-formatted keeps a kept data dir as it is. No --standalone: static voters above.
	run_java kafka.tools.StorageTool format -t "$(cat "$data/cluster.id")" \
		-c "$data/server.properties" --ignore-formatted >>"$STATE/console.log" 2>&1 ||
		{ tail -n 30 "$STATE/console.log" >&2; die "formatting $data failed"; }

	# Upstream's flags from kafka-run-class.sh, with a smaller heap (the machine has 2 cores and
	# runs go test -race beside it). Exit on OOM so a starved broker fails tests loudly
	# instead of hanging them. `&` without job control gives java stdin=/dev/null and an
	# ignored SIGINT, so a Ctrl-C in make reaches go test and the trap stops the broker cleanly.
	# shellcheck disable=SC2086 # heap opts are a list of flags
	java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m} -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
		-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
		-XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Dwirestream.kafka.state="$STATE" \
		-Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.xml" -Dkafka.logs.dir="$STATE" \
		-cp "$LIBS/*" kafka.Kafka "$data/server.properties" >>"$STATE/console.log" 2>&1 &
	pid=$!
	echo "$pid" >"$PIDFILE"

	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$PIDFILE"
			tail -n 40 "$STATE/server.log" "$STATE/console.log" >&2 || true
			die "broker exited during start-up (logs in $STATE)"
		fi
		if grep -q 'Kafka Server started' "$STATE/server.log" && port_open "$KAFKA_PORT"; then
			break
		fi
		if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
			tail -n 40 "$STATE/server.log" "$STATE/console.log" >&2 || true
			cmd_stop >/dev/null 2>&1 || true
			die "broker not ready after ${START_TIMEOUT}s (logs in $STATE)"
		fi
		sleep 0.2
	done
	log "broker pid $pid ready on 127.0.0.1:$KAFKA_PORT in $((SECONDS - t0))s (data $data, logs $STATE)"
	echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

cmd_stop() {
	local keep=false
	[ "${1:-}" = "--keep-data" ] && keep=true
	local pid
	if pid=$(running); then
		kill -TERM "$pid"
		local i
		for ((i = 0; i < 300; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "broker pid $pid ignored SIGTERM for 30s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			# Its data dir may be mid-write now; the next start recovers it like after a crash.
			while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
		fi
		log "broker pid $pid stopped"
	else
		log "no broker running on port $KAFKA_PORT"
	fi
	rm -f "$PIDFILE"
	if ! $keep && [ -f "$DATA_PTR" ]; then
		rm -rf "$(cat "$DATA_PTR")"
		rm -f "$DATA_PTR"
	fi
}

cmd_status() {
	local pid
	if pid=$(running); then
		echo "running pid=$pid port=$KAFKA_PORT data=$(cat "$DATA_PTR" 2>/dev/null) logs=$STATE"
		echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
	else
		echo "stopped port=$KAFKA_PORT"
		return 3
	fi
}

case "${2:-}" in
"" | --keep-data) ;;
*) die "unknown option ${2}: only --keep-data (start and stop)" ;;
esac
case "${1:-}" in
install) cmd_install ;;
start) cmd_start "${2:-}" ;;
stop) cmd_stop "${2:-}" ;;
status) cmd_status ;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
