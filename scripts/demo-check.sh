#!/usr/bin/env bash
# scripts/demo-check.sh — a newcomer's first minutes, checked: a fresh clone of this repository
# (its committed HEAD), `make demo` in it twice, each stopped with Ctrl-C (SIGINT to make's process
# group, as a terminal sends it). For each run it reports the stories and events the demo
# published (read back from its topics with `wirestream tail`) and how make ended, and fails when
# a run shows no stories or no events, or does not stop cleanly.
#
#   scripts/demo-check.sh                 # `make demo` exactly as the README says, on its ports
#   DEMO_KAFKA=127.0.0.1:29092 DEMO_LISTEN=127.0.0.1:29464 scripts/demo-check.sh   # other ports
#
# Environment: DEMO_KAFKA and DEMO_LISTEN move the demo's broker and ops listener (make demo
# reads them, as a newcomer would give them; nothing else changes); DEMO_SECONDS is how long each run goes
# on once it serves (default 45); KEEP=1 keeps the clone and logs.
set -euo pipefail
set -m # background jobs get their own process group and a default SIGINT, as in a terminal
# …unless this shell was started with SIGINT ignored (with & from a script without job control,
# or under nohup): bash cannot undo an ignore it inherits, make inherits it too, and the Ctrl-C
# replayed below would reach no one while the check waits for minutes (round 42). Say so at once.
if [ -r "/proc/$$/status" ] && (((0x$(awk '/^SigIgn:/ { print $2 }' "/proc/$$/status") & 2) != 0)); then
	echo "demo-check: SIGINT is ignored in this shell (started with & from a script, or under nohup?), so the Ctrl-C it replays would reach no one: run it from a terminal, or give the script that starts it job control (set -m) before its &" >&2
	exit 1
fi

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")/.." rev-parse --show-toplevel)
seconds=${DEMO_SECONDS:-45}
work=$(mktemp -d "${TMPDIR:-/tmp}/wirestream-demo-check.XXXXXX")
cleanup() { [ "${KEEP:-}" = 1 ] && echo "demo-check: kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
log() { printf 'demo-check: %s\n' "$*" >&2; }

log "cloning $repo (HEAD $(git -C "$repo" rev-parse --short HEAD)) into $work/clone"
git clone -q "$repo" "$work/clone"

kafka=${DEMO_KAFKA:-127.0.0.1:9092}
listen=${DEMO_LISTEN:-127.0.0.1:9464}
port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }
for a in "$kafka" "$listen"; do
	if port_open "$a"; then
		log "$a is taken (another demo?): stop it, or set DEMO_KAFKA / DEMO_LISTEN"
		exit 1
	fi
done

# ctrl_c PID: Ctrl-C to the process group make PID leads — make first, the rest once make's
# SIGINT handler runs (SIGINT blocked and no longer caught in /proc/PID/status). GNU make waits for
# its recipe's process in that handler and fails "wait: No child processes" when its main loop
# reaped it first, which the group signalled at once allows when make is not scheduled before
# wirestream stops (a loaded machine; cmd/wirestream's ctrlCMake says more). No /proc: at once.
ctrl_c() {
	local pid=$1 blk cgt i
	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 6000; i++)); do
		blk=$(awk '/^SigBlk:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || break
		cgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || break
		[ -n "$blk" ] && [ -n "$cgt" ] || break
		(((0x$blk & 2) != 0 && (0x$cgt & 2) == 0)) && break
		sleep 0.01
	done
	kill -INT -- "-$pid" 2>/dev/null || true
}

fail=0
for run in 1 2; do
	out="$work/run$run.log"
	log "run $run: make demo${DEMO_KAFKA:+ DEMO_KAFKA=$DEMO_KAFKA}${DEMO_LISTEN:+ DEMO_LISTEN=$DEMO_LISTEN}"
	make -C "$work/clone" --no-print-directory demo >"$out" 2>&1 &
	pid=$!
	# The first build compiles every dependency; wait for the demo to say it runs.
	for ((i = 0; i < 600; i++)); do
		grep -qs "wirestream demo is running" "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	if ! grep -q "wirestream demo is running" "$out"; then
		log "run $run: the demo did not start; its output:"
		tail -n 30 "$out" >&2
		kill -INT -- "-$pid" 2>/dev/null || true
		wait "$pid" || true
		exit 1
	fi
	sleep "$seconds"
	bin="$work/clone/bin/wirestream"
	stories=$("$bin" tail --brokers "$kafka" story --from-beginning --exit | wc -l)
	# One line per event state ("… N stories, M publishers, rev R  ID", "1 story, …"): the latest per id counts.
	read -r events multi < <("$bin" tail --brokers "$kafka" event --from-beginning --exit |
		awk '{ n = 0; for (i = 1; i < NF; i++) if ($(i + 1) == "stories," || $(i + 1) == "story,") n = $i; last[$NF] = n }
			END { for (k in last) { t++; if (last[k] >= 2) m++ } print t + 0, m + 0 }')
	ctrl_c "$pid"
	status=0
	wait "$pid" || status=$?
	clean=no
	grep -q "wirestream stopped cleanly" "$out" && ! grep -q "make: \*\*\*" "$out" && clean=yes
	case $status in
	0) how="exit 0" ;;
	130) how="killed by its own SIGINT (130), recipe exit 0" ;;
	*) how="exit $status" ;;
	esac
	printf 'run %d: %d stories, %d events (%d with two or more stories) after %ds; Ctrl-C: stopped cleanly: %s, make: %s\n' \
		"$run" "$stories" "$events" "$multi" "$seconds" "$clean" "$how"
	if [ "$stories" -eq 0 ] || [ "$events" -eq 0 ] || [ "$clean" != yes ] || { [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; }; then
		fail=1
		tail -n 20 "$out" >&2
	fi
done
if [ "$fail" -ne 0 ]; then
	log "FAILED: a run showed no stories or events, or did not stop cleanly"
	exit 1
fi
log "both runs showed stories and events and stopped cleanly"
