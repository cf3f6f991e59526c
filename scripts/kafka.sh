#!/usr/bin/env bash
# scripts/kafka.sh — a real, throwaway Apache Kafka broker (or a small cluster of them) for tests,
# without Docker.
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
#   scripts/kafka.sh check                exit 0 when java and the jars are ready for start, 3 not
#
#   eval "export $(scripts/kafka.sh start)"   # sets KAFKA_BROKERS in the calling shell
#
# --keep-data: `stop --keep-data` leaves the data dir and cluster id in place and a later
# `start --keep-data` reuses them, so topics and records survive a restart (fault tests).
# Without it, `start` always begins from an empty data dir and `stop` deletes it.
#
# A cluster of N combined broker+controller nodes (KRaft, static quorum of all N) on loopback:
#   scripts/kafka.sh start --cluster 3 [--keep-data]   (or KAFKA_NODES=3 scripts/kafka.sh start)
#                          starts all nodes, waits until every one serves, prints
#                          KAFKA_BROKERS=127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>;
#                          a node that exits before it is ready is restarted once (the start
#                          fails if it exits again), as is the node of start-node
#   scripts/kafka.sh stop [--keep-data]   stops every node of the cluster by its PID (a later
#                                         `start --keep-data` restarts the same cluster)
#   scripts/kafka.sh status               one line per node; exit 0 all up, 3 none, 4 some
#   scripts/kafka.sh kill-node I          SIGKILL node I (1..N), as a crash would: data is kept
#   scripts/kafka.sh stop-node I          SIGTERM node I (clean shutdown, SIGKILL after 30 s)
#   scripts/kafka.sh start-node I         restarts node I on its kept data, waits until it
#                                         serves, prints KAFKA_BROKERS of the whole cluster
#   scripts/kafka.sh pause-node I         SIGSTOP node I: it answers nothing until resume-node,
#                                         as a node stalled by GC or a slow disk; resumed a
#                                         moment later, a follower catches up and stays in the
#                                         ISR (kafkatest.SlowFollower)
#   scripts/kafka.sh resume-node I        SIGCONT node I
# Node I listens on KAFKA_PORT+2*(I-1) (clients) and the port after it (controller), keeps its
# pidfile and logs in $KAFKA_STATE_DIR/node<I> and its data in its own dir. Internal topics get
# replication factor min(N,3) and min ISR one less (3 and 2 for three nodes), which are also the
# defaults for auto-created topics, so one node of three can die without losing acked writes.
#
# Only the status lines on stdout are meant for machines; progress goes to stderr.
#
# Environment:
#   KAFKA_PORT        client port (default 19092); the controller listens on KAFKA_PORT+1
#   KAFKA_NODES       nodes for `start` (default 1: the single broker above); --cluster wins
#   KAFKA_VERSION     org.apache.kafka:kafka_2.13 version (default 4.1.2)
#   WIRESTREAM_CACHE  where jars and Maven's local repo live (default ~/.cache/wirestream)
#   KAFKA_STATE_DIR   pidfile, logs and data-dir pointer (default $TMPDIR/wirestream-kafka-<port>)
#   KAFKA_HEAP_OPTS   JVM heap (default -Xms256m -Xmx768m; -Xms128m -Xmx448m per cluster node)
#   KAFKA_START_TIMEOUT  seconds to wait for readiness (default 120: a loaded 2-core machine
#                     has taken 73 s; an idle one takes about 5 s; 600 for a cluster, whose
#                     three nodes have taken 80 s there and over 240 s at load average 50; a
#                     cluster is ready when every node's metadata lists every running node)
#   KAFKA_OWNER_PID   optional: a watchdog stops the broker(s) once this process is gone, so a
#                     test binary killed by its timeout does not leave JVMs behind
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
# Three JVMs starting at once on two cores busy with tests take longer than one: 80 s on a
# loaded machine, and more than 240 s at load average 50 (round 16). The wait ends as soon as
# every node's metadata lists the cluster (wait_nodes); this is only its ceiling.
CLUSTER_START_TIMEOUT=${KAFKA_START_TIMEOUT:-600}
NODES_FILE=$STATE/nodes  # present while a cluster (not the single broker) owns this state dir

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

# running_in prints the PID from the pidfile in state dir $1 while that process is still our
# broker. The marker property on its command line guards against signalling an unrelated process
# that reused the PID.
running_in() {
	local dir=$1 pid
	[ -f "$dir/broker.pid" ] || return 1
	pid=$(cat "$dir/broker.pid")
	kill -0 "$pid" 2>/dev/null || return 1
	if [ -r "/proc/$pid/cmdline" ]; then
		tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "-Dwirestream.kafka.state=$dir" || return 1
	fi
	echo "$pid"
}

running() { running_in "$STATE"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_java() {
	# Same logging config for the tools and the broker, so StorageTool's lines land in server.log.
	java -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.xml" -Dkafka.logs.dir="${LOGS:-$STATE}" \
		-cp "$LIBS/*" "$@"
}

# write_properties data-dir node-id client-port controller-port voters nodes
write_properties() {
	local data=$1 id=$2 port=$3 cport=$4 voters=$5 nodes=$6
	{
		cat <<-EOF
			process.roles=broker,controller
			node.id=$id
			controller.quorum.voters=$voters
			controller.listener.names=CONTROLLER
			listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
			advertised.listeners=PLAINTEXT://127.0.0.1:$port
			inter.broker.listener.name=PLAINTEXT
			listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
			log.dirs=$data/logs
		EOF
		if [ "$nodes" -eq 1 ]; then
			cat <<-EOF
				# A single node: every internal topic must make do with one replica.
				offsets.topic.replication.factor=1
				transaction.state.log.replication.factor=1
				transaction.state.log.min.isr=1
				share.coordinator.state.topic.replication.factor=1
				share.coordinator.state.topic.min.isr=1
			EOF
		else
			local rf=$((nodes < 3 ? nodes : 3))
			local isr=$((rf - 1))
			cat <<-EOF
				# A cluster: internal topics (and auto-created ones) survive one node's loss, and an
				# acks=all write needs $isr in-sync replicas, so an acked record is on two disks.
				offsets.topic.replication.factor=$rf
				transaction.state.log.replication.factor=$rf
				transaction.state.log.min.isr=$isr
				share.coordinator.state.topic.replication.factor=$rf
				share.coordinator.state.topic.min.isr=$isr
				default.replication.factor=$rf
				min.insync.replicas=$isr
				# Fault tests kill nodes: fence a dead one (and move its leaderships) within 6 s
				# rather than the default 9 s, and drop a lagging follower from the ISR after 10 s.
				broker.session.timeout.ms=6000
				broker.heartbeat.interval.ms=1000
				# A node that has not registered with the controller quorum within this exits
				# ("unable to register with the controller quorum"). The default 60 s was spent at
				# load average 50-110 while the other JVMs were still too slow to form the quorum
				# (round 21: STARTING at 16:51:29, exit at 16:52:27), which failed the cluster's
				# start; the script's own ceiling (KAFKA_START_TIMEOUT, 600 s) bounds the wait.
				initial.broker.registration.timeout.ms=300000
				replica.lag.time.max.ms=10000
				num.replica.fetchers=1
			EOF
		fi
		cat <<-EOF
			# Tests join consumer groups constantly; the default 3 s delay would be paid on each one.
			group.initial.rebalance.delay.ms=0
			# 50 partitions of __consumer_offsets (the default) slow the first group join for nothing.
			offsets.topic.num.partitions=10
			auto.create.topics.enable=true
			num.partitions=1
			# Two cores: keep the thread pools small.
			num.network.threads=2
		EOF
		if [ "$nodes" -eq 1 ]; then
			echo "num.io.threads=4"
			echo "background.threads=4"
		else
			# Three JVMs share the two cores.
			echo "num.io.threads=2"
			echo "background.threads=2"
		fi
	} >"$data/server.properties"
}

# format_data data-dir cluster-id: formats a data dir; --ignore-formatted keeps a kept one as it
# is. No --standalone: the voters are static.
format_data() {
	run_java kafka.tools.StorageTool format -t "$2" -c "$1/server.properties" --ignore-formatted \
		>>"${LOGS:-$STATE}/console.log" 2>&1
}

# launch_broker state-dir data-dir heap-opts: starts one JVM in the background, writes its
# pidfile, prints its PID. Upstream's flags from kafka-run-class.sh, with a smaller heap (the
# machine has 2 cores and runs go test -race beside it). Exit on OOM so a starved broker fails
# tests loudly instead of hanging them. `&` without job control gives java stdin=/dev/null and
# an ignored SIGINT, so a Ctrl-C in make reaches go test and the trap stops the broker cleanly.
launch_broker() {
	local dir=$1 data=$2 heap=$3
	# shellcheck disable=SC2086 # heap opts are a list of flags
	java $heap -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
		-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
		-XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Dwirestream.kafka.state="$dir" \
		-Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.xml" -Dkafka.logs.dir="$dir" \
		-cp "$LIBS/*" kafka.Kafka "$data/server.properties" >>"$dir/console.log" 2>&1 &
	echo "$!" >"$dir/broker.pid"
	echo "$!"
}

rotate_log() {
	[ -f "$1/server.log" ] && mv "$1/server.log" "$1/server.log.prev"
	: >"$1/server.log"
}

# served dir port: the broker in dir logged its start and its port accepts connections.
served() { grep -q 'Kafka Server started' "$1/server.log" && port_open "$2"; }

# stop_pid pid what: SIGTERM, SIGKILL after 30 s, returns once the process is gone.
stop_pid() {
	local pid=$1 what=$2 i
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$what pid $pid ignored SIGTERM for 30s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		# Its data dir may be mid-write now; the next start recovers it like after a crash.
		while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	fi
	log "$what pid $pid stopped"
}

# start_watchdog: with KAFKA_OWNER_PID set, a detached loop stops the broker(s) once that
# process is gone. Its output goes nowhere, so `$(kafka.sh start)` does not wait for it.
start_watchdog() {
	[ -n "${KAFKA_OWNER_PID:-}" ] || return 0
	kill -0 "$KAFKA_OWNER_PID" 2>/dev/null || die "KAFKA_OWNER_PID $KAFKA_OWNER_PID is not running"
	KAFKA_STATE_DIR=$STATE nohup bash "$0" _watch "$KAFKA_OWNER_PID" </dev/null >/dev/null 2>&1 &
	echo "$!" >"$STATE/watchdog.pid"
}

stop_watchdog() {
	[ -f "$STATE/watchdog.pid" ] || return 0
	local pid
	pid=$(cat "$STATE/watchdog.pid")
	rm -f "$STATE/watchdog.pid"
	# Not when the watchdog itself is stopping the brokers.
	[ "$pid" = "$$" ] || [ "${WATCHDOG:-}" = "$pid" ] || kill -TERM "$pid" 2>/dev/null || true
}

cmd_watch() {
	local owner=$1
	while kill -0 "$owner" 2>/dev/null; do sleep 1; done
	log "owner pid $owner is gone: stopping the broker(s) on port $KAFKA_PORT"
	WATCHDOG=$$ cmd_stop false
}

cmd_start() {
	local keep=$1
	[ -f "$LIBS_DONE" ] || die "kafka ${KAFKA_VERSION} is not installed: run scripts/kafka.sh install"
	local pid
	if pid=$(running); then
		die "already running (pid $pid, port $KAFKA_PORT): run scripts/kafka.sh stop first"
	fi
	[ -f "$NODES_FILE" ] && cluster_any_running &&
		die "a cluster is running on port $KAFKA_PORT: run scripts/kafka.sh stop first"
	port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process: set KAFKA_PORT"
	port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is taken: set KAFKA_PORT"
	mkdir -p "$STATE"
	# A cluster's data kept by `stop --keep-data` is of no use to a single broker.
	[ -f "$NODES_FILE" ] && cluster_stop false

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
	write_properties "$data" 1 "$KAFKA_PORT" "$CONTROLLER_PORT" "1@127.0.0.1:$CONTROLLER_PORT" 1
	rotate_log "$STATE"

	local t0=$SECONDS
	if [ ! -f "$data/cluster.id" ]; then
		run_java kafka.tools.StorageTool random-uuid >"$data/cluster.id.tmp" 2>>"$STATE/console.log"
		mv "$data/cluster.id.tmp" "$data/cluster.id"
	fi
	format_data "$data" "$(cat "$data/cluster.id")" ||
		{ tail -n 30 "$STATE/console.log" >&2; die "formatting $data failed"; }

	pid=$(launch_broker "$STATE" "$data" "${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}")
	start_watchdog

	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$PIDFILE"
			tail -n 40 "$STATE/server.log" "$STATE/console.log" >&2 || true
			die "broker exited during start-up (logs in $STATE)"
		fi
		served "$STATE" "$KAFKA_PORT" && break
		if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
			tail -n 40 "$STATE/server.log" "$STATE/console.log" >&2 || true
			cmd_stop false >/dev/null 2>&1 || true
			# A busy machine is the usual cause (round 19: 120 s at load average 48, 69 s on the
			# next try): say so and how to wait longer, not only that it failed.
			die "broker not ready after ${START_TIMEOUT}s at load average $(cut -d' ' -f1-3 /proc/loadavg) (logs in $STATE); on a busy machine KAFKA_START_TIMEOUT=300 waits longer"
		fi
		sleep 0.2
	done
	log "broker pid $pid ready on 127.0.0.1:$KAFKA_PORT in $((SECONDS - t0))s (data $data, logs $STATE)"
	echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

cmd_stop() {
	local keep=$1
	if [ -f "$NODES_FILE" ]; then
		cluster_stop "$keep"
		return
	fi
	stop_watchdog
	local pid
	if pid=$(running); then
		stop_pid "$pid" broker
	else
		log "no broker running on port $KAFKA_PORT"
	fi
	rm -f "$PIDFILE"
	if ! $keep && [ -f "$DATA_PTR" ]; then
		rm -rf "$(cat "$DATA_PTR")"
		rm -f "$DATA_PTR"
	fi
}

# cmd_check: what start needs is here (exit 0), or not (exit 3, saying what is missing).
cmd_check() {
	command -v java >/dev/null || { log "java is not installed: run scripts/kafka.sh install"; return 3; }
	[ "$(java_major)" -ge 17 ] || { log "Kafka ${KAFKA_VERSION} needs Java 17+, found $(java_major)"; return 3; }
	[ -f "$LIBS_DONE" ] || { log "kafka ${KAFKA_VERSION} jars are not in $LIBS: run scripts/kafka.sh install"; return 3; }
}

cmd_status() {
	if [ -f "$NODES_FILE" ]; then
		cluster_status
		return
	fi
	local pid
	if pid=$(running); then
		echo "running pid=$pid port=$KAFKA_PORT data=$(cat "$DATA_PTR" 2>/dev/null) logs=$STATE"
		echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
	else
		echo "stopped port=$KAFKA_PORT"
		return 3
	fi
}

# --- cluster mode ---------------------------------------------------------------------------

cluster_nodes() { cat "$NODES_FILE"; }
node_dir() { echo "$STATE/node$1"; }
node_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
node_cport() { echo $((KAFKA_PORT + 2 * ($1 - 1) + 1)); }

cluster_brokers() {
	local n i out=""
	n=$(cluster_nodes)
	for ((i = 1; i <= n; i++)); do out+="${out:+,}127.0.0.1:$(node_port "$i")"; done
	echo "$out"
}

cluster_voters() {
	local n=$1 i out=""
	for ((i = 1; i <= n; i++)); do out+="${out:+,}$i@127.0.0.1:$(node_cport "$i")"; done
	echo "$out"
}

cluster_any_running() {
	local n i
	n=$(cluster_nodes)
	for ((i = 1; i <= n; i++)); do running_in "$(node_dir "$i")" >/dev/null && return 0; done
	return 1
}

check_node() {
	local n
	[ -f "$NODES_FILE" ] || die "no cluster on port $KAFKA_PORT: start one with --cluster N"
	n=$(cluster_nodes)
	[[ "$1" =~ ^[1-9][0-9]*$ ]] && [ "$1" -le "$n" ] || die "node must be 1..$n, got '$1'"
}

# node_prepare i nodes keep: the node's state dir, data dir and properties; prints the data dir.
node_prepare() {
	local i=$1 n=$2 keep=$3 dir data=""
	dir=$(node_dir "$i")
	mkdir -p "$dir"
	[ -f "$dir/data-dir" ] && data=$(cat "$dir/data-dir")
	if ! $keep || [ -z "$data" ] || [ ! -d "$data" ]; then
		[ -n "$data" ] && rm -rf "$data"
		data=$(mktemp -d "${TMPDIR:-/tmp}/wirestream-kafka-$KAFKA_PORT-node$i-data.XXXXXX")
		echo "$data" >"$dir/data-dir"
	fi
	write_properties "$data" "$i" "$(node_port "$i")" "$(node_cport "$i")" "$(cluster_voters "$n")" "$n"
	echo "$data"
}

# metadata_brokers port: asks the broker on port for its metadata (a Metadata v4 request for no
# topic, over bash's /dev/tcp: no JVM start, no kcat needed) and prints how many brokers it lists
# — the brokers registered with the controller and not fenced, which is what a client sees.
# Prints nothing when the broker does not answer within 10 s, and succeeds all the same: under
# set -e and pipefail a failed probe (timeout's 124, a refused connection's 1) made the caller's
# `got=$(metadata_brokers …)` end the whole script on the spot, with no message, no on-fail and
# the JVMs left running (review21, F1); a probe that fails is "no answer", and the wait goes on.
metadata_brokers() {
	timeout 10 bash -c '
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		# size 23, api key 3 (Metadata), version 4, correlation id 1, client id "kafka.sh",
		# topics: an empty array, no auto-creation.
		printf "\x00\x00\x00\x17\x00\x03\x00\x04\x00\x00\x00\x01\x00\x08kafka.sh\x00\x00\x00\x00\x00" >&3
		# size, correlation id, throttle time, then the brokers array count.
		od -An -v -tu1 -N16 <&3
	' _ "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) b[n++] = $i }
		END { if (n >= 16 && b[7] == 1) print ((b[12] * 256 + b[13]) * 256 + b[14]) * 256 + b[15] }' || true
}

# cluster_alive: how many nodes of the cluster have a live JVM.
cluster_alive() {
	local n i up=0
	n=$(cluster_nodes)
	for ((i = 1; i <= n; i++)); do running_in "$(node_dir "$i")" >/dev/null && up=$((up + 1)); done
	echo "$up"
}

# relaunch_node i: starts node i's JVM again on the data dir its start formatted, after it died
# during start-up. Its first attempt's log is kept as server.log.prev.
relaunch_node() {
	local dir
	dir=$(node_dir "$1")
	rotate_log "$dir"
	launch_broker "$dir" "$(cat "$dir/data-dir")" "$(node_heap)" >/dev/null
}

# wait_nodes on-fail t0 i...: waits until each listed node is ready — it logged its start, and
# its metadata lists every node of the cluster that is running — or fails on a node's second
# death or after CLUSTER_START_TIMEOUT, naming the nodes not ready, what each lacked and its log.
# The readiness is asked of each node, not timed: a loaded machine (load average 50 on 2 cores)
# only makes the wait longer, within the ceiling. On failure it runs on-fail first (so nothing
# half-started is left behind).
#
# A node that dies before it is ready is restarted once, within the same ceiling, saying which
# node, its port and its log's last lines: at load average 50-110 a node of three has exited
# during start-up ("unable to register with the controller quorum", its registration timeout
# spent while the other JVMs were too slow to form the quorum), which failed the whole start and
# the test that wanted the cluster. A node that dies again fails the start: that is no transient.
wait_nodes() {
	local onfail=$1 t0=$2 i dir pid pending want got why
	local -A restarted=()
	shift 2
	while :; do
		pending=0 why=""
		want=$(cluster_alive)
		for i in "$@"; do
			dir=$(node_dir "$i")
			# kill -0 on the PID we launched, not running_in: until the forked shell has
			# exec'd java, the command line lacks the marker, and that is no death.
			pid=$(cat "$dir/broker.pid" 2>/dev/null) || pid=""
			if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
				if [ -z "${restarted[$i]:-}" ]; then
					restarted[$i]=1
					log "node $i (127.0.0.1:$(node_port "$i"), pid ${pid:-none}) exited during start-up after $((SECONDS - t0))s (load average $(cut -d' ' -f1-3 /proc/loadavg)); the last lines of $dir/server.log:"
					tail -n 12 "$dir/server.log" 2>/dev/null | cut -c1-300 | sed 's/^/    /' >&2 || true
					relaunch_node "$i"
					log "node $i restarted once (pid $(cat "$dir/broker.pid")); its first attempt's log is $dir/server.log.prev"
					pending=1 why+="${why:+; }node $i (127.0.0.1:$(node_port "$i")) restarted after exiting during start-up (log $dir/server.log)"
					continue
				fi
				tail -n 40 "$dir/server.log" "$dir/console.log" >&2 || true
				# In a subshell: start-node's on-fail (cmd_stop_node) dies on a node that is not
				# running, and its exit must not end this script before the message below.
				($onfail) >/dev/null 2>&1 || true
				die "node $i (127.0.0.1:$(node_port "$i")) exited during start-up twice, the second time after its restart (logs $dir/server.log and, of the first attempt, $dir/server.log.prev)"
			fi
			if ! served "$dir" "$(node_port "$i")"; then
				pending=1 why+="${why:+; }node $i (127.0.0.1:$(node_port "$i")) has not logged its start (log $dir/server.log)"
				continue
			fi
			# A probe that fails is no answer (metadata_brokers succeeds then, and || keeps it so).
			got=$(metadata_brokers "$(node_port "$i")") || got=""
			if [ "${got:-0}" -lt "$want" ]; then
				pending=1 why+="${why:+; }node $i (127.0.0.1:$(node_port "$i")) lists ${got:-no answer, 0} of $want brokers in its metadata (log $dir/server.log)"
			fi
		done
		[ "$pending" -eq 0 ] && return 0
		if [ $((SECONDS - t0)) -ge "$CLUSTER_START_TIMEOUT" ]; then
			for i in "$@"; do
				dir=$(node_dir "$i")
				tail -n 20 "$dir/server.log" >&2 || true
			done
			($onfail) >/dev/null 2>&1 || true
			die "not ready after ${CLUSTER_START_TIMEOUT}s (load average $(cut -d' ' -f1-3 /proc/loadavg)): $why"
		fi
		sleep 0.5
	done
}

node_heap() { echo "${KAFKA_HEAP_OPTS:--Xms128m -Xmx448m}"; }

# random_uuid prints a Kafka cluster id (16 random bytes, base64url without padding) without the
# seconds of a JVM start that `StorageTool random-uuid` costs. Like Kafka's Uuid.randomUuid, it
# never starts with '-', which command lines would take for a flag.
random_uuid() {
	local id
	while :; do
		id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
		[ "${id:0:1}" != "-" ] && [ ${#id} -eq 22 ] && break
	done
	echo "$id"
}

cluster_start() {
	local n=$1 keep=$2 i p pid
	[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 2 ] && [ "$n" -le 9 ] || die "--cluster: want 2..9 nodes, got '$n'"
	[ -f "$LIBS_DONE" ] || die "kafka ${KAFKA_VERSION} is not installed: run scripts/kafka.sh install"
	if pid=$(running); then
		die "a single broker is running (pid $pid, port $KAFKA_PORT): run scripts/kafka.sh stop first"
	fi
	[ -f "$NODES_FILE" ] && cluster_any_running &&
		die "a cluster is already running on port $KAFKA_PORT: run scripts/kafka.sh stop first"
	for ((i = 1; i <= n; i++)); do
		for p in "$(node_port "$i")" "$(node_cport "$i")"; do
			port_open "$p" && die "port $p (node $i) is taken by another process: set KAFKA_PORT"
		done
	done
	mkdir -p "$STATE"
	if [ -f "$NODES_FILE" ] && [ "$(cluster_nodes)" != "$n" ] && $keep; then
		log "kept data is of a $(cluster_nodes)-node cluster: starting $n nodes empty"
		keep=false
	fi
	echo "$n" >"$NODES_FILE"
	local t0=$SECONDS cid
	if $keep && [ -f "$STATE/cluster.id" ]; then
		log "reusing the kept data of $n nodes"
	else
		$keep && log "no kept cluster on port $KAFKA_PORT: starting empty"
		keep=false
		random_uuid >"$STATE/cluster.id"
	fi
	cid=$(cat "$STATE/cluster.id")

	# Format the nodes in parallel: each StorageTool run is a JVM start of a few seconds.
	local datas=() pids=()
	for ((i = 1; i <= n; i++)); do
		datas[i]=$(node_prepare "$i" "$n" "$keep")
		rotate_log "$(node_dir "$i")"
		LOGS=$(node_dir "$i") format_data "${datas[i]}" "$cid" &
		pids[i]=$!
	done
	local failed=0
	for ((i = 1; i <= n; i++)); do
		wait "${pids[i]}" || { failed=1; tail -n 20 "$(node_dir "$i")/console.log" >&2; }
	done
	[ "$failed" -eq 0 ] || die "formatting the cluster's data dirs failed"

	local nodes=()
	for ((i = 1; i <= n; i++)); do
		launch_broker "$(node_dir "$i")" "${datas[i]}" "$(node_heap)" >/dev/null
		nodes+=("$i")
	done
	start_watchdog
	wait_nodes "cluster_stop false" "$t0" "${nodes[@]}"
	log "cluster of $n nodes ready in $((SECONDS - t0))s (logs $STATE/node*)"
	echo "KAFKA_BROKERS=$(cluster_brokers)"
}

cluster_stop() {
	local keep=$1 n i dir pid
	stop_watchdog
	n=$(cluster_nodes)
	# SIGTERM every node at once, then wait for each: a node stopping alone would wait for a
	# controller quorum that the others are about to take away anyway.
	local pids=()
	for ((i = 1; i <= n; i++)); do
		if pid=$(running_in "$(node_dir "$i")"); then
			kill -TERM "$pid" 2>/dev/null || true
			kill -CONT "$pid" 2>/dev/null || true # a paused node (pause-node) acts on it only so
			pids[i]=$pid
		fi
	done
	for ((i = 1; i <= n; i++)); do
		[ -n "${pids[i]:-}" ] && stop_pid "${pids[i]}" "node $i"
		rm -f "$(node_dir "$i")/broker.pid"
	done
	[ ${#pids[@]} -gt 0 ] || log "no node running on port $KAFKA_PORT"
	if ! $keep; then
		for ((i = 1; i <= n; i++)); do
			dir=$(node_dir "$i")
			[ -f "$dir/data-dir" ] && rm -rf "$(cat "$dir/data-dir")"
			rm -f "$dir/data-dir"
		done
		rm -f "$STATE/cluster.id" "$NODES_FILE"
	fi
}

cluster_status() {
	local n i pid up=0
	n=$(cluster_nodes)
	for ((i = 1; i <= n; i++)); do
		if pid=$(running_in "$(node_dir "$i")"); then
			echo "node $i running pid=$pid port=$(node_port "$i") logs=$(node_dir "$i")"
			up=$((up + 1))
		else
			echo "node $i stopped port=$(node_port "$i")"
		fi
	done
	echo "KAFKA_BROKERS=$(cluster_brokers)"
	[ "$up" -eq "$n" ] && return 0
	[ "$up" -eq 0 ] && return 3
	return 4
}

cmd_kill_node() {
	check_node "$1"
	local dir pid i
	dir=$(node_dir "$1")
	pid=$(running_in "$dir") || die "node $1 is not running"
	kill -KILL "$pid"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && die "node $1 (pid $pid) still alive 10s after SIGKILL"
	rm -f "$dir/broker.pid"
	log "node $1 pid $pid killed"
}

cmd_stop_node() {
	check_node "$1"
	local dir pid
	dir=$(node_dir "$1")
	pid=$(running_in "$dir") || die "node $1 is not running"
	stop_pid "$pid" "node $1"
	rm -f "$dir/broker.pid"
}

cmd_start_node() {
	check_node "$1"
	local i=$1 n dir data pid t0=$SECONDS
	n=$(cluster_nodes)
	dir=$(node_dir "$i")
	pid=$(running_in "$dir") && die "node $i is already running (pid $pid)"
	port_open "$(node_port "$i")" && die "port $(node_port "$i") of node $i is taken by another process"
	data=$(node_prepare "$i" "$n" true)
	rotate_log "$dir"
	LOGS=$dir format_data "$data" "$(cat "$STATE/cluster.id")" ||
		{ tail -n 30 "$dir/console.log" >&2; die "formatting $data failed"; }
	launch_broker "$dir" "$data" "$(node_heap)" >/dev/null
	wait_nodes "cmd_stop_node $i" "$t0" "$i"
	log "node $i ready on 127.0.0.1:$(node_port "$i") in $((SECONDS - t0))s"
	echo "KAFKA_BROKERS=$(cluster_brokers)"
}

# signal_node sig verb i: sends sig to node i's JVM.
signal_node() {
	check_node "$3"
	local pid
	pid=$(running_in "$(node_dir "$3")") || die "node $3 is not running"
	kill "-$1" "$pid"
	log "node $3 pid $pid $2"
}

# --- arguments --------------------------------------------------------------------------------

keep=false
nodes=${KAFKA_NODES:-}
cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
kill-node | stop-node | start-node | pause-node | resume-node)
	[ $# -eq 1 ] || die "$cmd: want exactly one node number"
	;;
_watch) ;;
*)
	while [ $# -gt 0 ]; do
		case $1 in
		--keep-data) keep=true ;;
		--cluster)
			[ "$cmd" = start ] || die "--cluster is an option of start (stop and status find the cluster)"
			[ $# -ge 2 ] || die "--cluster needs a node count"
			nodes=$2
			shift
			;;
		*) die "unknown option $1: only --keep-data (start and stop) and --cluster N (start)" ;;
		esac
		shift
	done
	;;
esac
case $cmd in
install) cmd_install ;;
start)
	if [ -z "$nodes" ]; then
		# `start --keep-data` after a cluster's `stop --keep-data` restarts that cluster.
		nodes=1
		$keep && [ -f "$NODES_FILE" ] && nodes=$(cluster_nodes)
	fi
	if [ "$nodes" = 1 ]; then
		cmd_start "$keep"
	else
		cluster_start "$nodes" "$keep"
	fi
	;;
stop) cmd_stop "$keep" ;;
status) cmd_status ;;
check) cmd_check ;;
kill-node) cmd_kill_node "$1" ;;
stop-node) cmd_stop_node "$1" ;;
start-node) cmd_start_node "$1" ;;
pause-node) signal_node STOP paused "$1" ;;
resume-node) signal_node CONT resumed "$1" ;;
_watch) cmd_watch "$1" ;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
