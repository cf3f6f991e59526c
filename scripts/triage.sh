# scripts/triage.sh — sourced by scripts/test.sh: after a failed `go test`, tell a flake from a
# regression. Each failed test is rerun alone (by -run, in its package) up to TRIAGE_RERUNS times;
# one that still fails every time is run once on the parent commit, in a temporary copy of its
# tree (git archive, so the repository's worktree list is never touched), and each test gets one
# verdict line:
#
#   test.sh verdict: <pkg> <Test>: passed on rerun 1 of 2: flaky
#   test.sh verdict: <pkg> <Test>: fails on HEAD and passes on parent HEAD~1 <hash>: likely this change
#   test.sh verdict: <pkg> <Test>: also fails on parent HEAD~1 <hash>: not caused by this change
#
# The verdict never changes the run's exit code: a flake is still a failure. With uncommitted
# changes the base is HEAD itself (the tree without them); without git history (a shallow clone)
# the verdict says it cannot compare. Every go test here runs under `timeout`, and all of them
# share one budget (TRIAGE_BUDGET seconds); what the budget does not reach is "undecided".
#
# Environment: TRIAGE=0 turns it off; TRIAGE_TMPDIR holds its scratch files (default $TMPDIR); TRIAGE_RERUNS (default 2), TRIAGE_BUDGET (default 1200),
# TRIAGE_MAX_TESTS (default 8: more failures than that say something broke wholesale — a broker,
# the build — and rerunning them one by one would only spend CI's time).
# A caller may define triage_before_run (called before every rerun, in the tree it runs in) to
# make sure what the tests need is up, e.g. the broker a fault test left stopped.

# failed_tests LOG: one line per failed package of a non-verbose `go test` output, "<import path>
# <tab> <Test1|Test2...>"; the names are empty when none was reported (a build failure, a crash
# outside a test). A package's lines come as one block ending in its "ok"/"FAIL" line; top-level
# failures are "--- FAIL: Name (…)" at the start of a line (subtests are indented); a test that
# ran out of time is listed under "running tests:" after the timeout panic (as Go 1.26 indents it).
failed_tests() {
	awk '
		function add(n) { sub(/\/.*/, "", n); if (!(n in seen)) { seen[n] = 1; names = names (names == "" ? "" : "|") n } }
		function reset() { names = ""; split("", seen); running = 0 }
		/^(ok|\?) / { reset(); next }
		/^--- FAIL: / { add($3); next }
		/^[ \t]*running tests:$/ { running = 1; next }
		running && /^\t+[^ \t]+ \([0-9]/ { n = $1; add(n); next }
		running && !/^\t/ { running = 0 }
		/^FAIL\t/ { print $2 "\t" names; reset() }
	' "$1"
}

# test_outcome LOG NAME: pass, fail, or absent (the run never reported it: not in that tree,
# or the run died first) for one top-level test of a `go test -v` output.
test_outcome() {
	if grep -q -- "^--- FAIL: $2 (" "$1"; then
		echo fail
	elif grep -q -- "^--- PASS: $2 (" "$1"; then
		echo pass
	else
		echo absent
	fi
}

# triage_flags ARGS...: the flags of the failed run that a rerun keeps (what the code is built
# and run as), each on its own line; packages, -run, -count, -timeout and output flags are not.
triage_flags() {
	local keep=
	for a in "$@"; do
		if [ -n "$keep" ]; then
			printf '%s\n' "$a"
			keep=
			continue
		fi
		case $a in
		-race | -short | -tags=* | -ldflags=* | -gcflags=* | -cpu=*) printf '%s\n' "$a" ;;
		-tags | -ldflags | -gcflags | -cpu)
			printf '%s\n' "$a"
			keep=1
			;;
		esac
	done
}

# triage_run DIR PKG PATTERN LOG FLAGS...: one bounded `go test -v` of PATTERN in DIR; returns
# 1 when the budget is spent (nothing run).
triage_run() {
	local dir=$1 pkg=$2 pattern=$3 log=$4
	shift 4
	local left=$((triage_deadline - SECONDS))
	if [ "$left" -lt 30 ]; then
		return 1
	fi
	if declare -F triage_before_run >/dev/null; then
		(cd "$dir" && triage_before_run) || true
	fi
	(cd "$dir" && timeout -k 30 "$((left + 30))" go test -v -count=1 -timeout "${left}s" "$@" -run "^($pattern)\$" "$pkg") >"$log" 2>&1 || true
}

# triage_base: the commit to compare against, "<ref> <hash>", or nothing without one.
triage_base() {
	command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
	local ref=HEAD~1
	if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		ref=HEAD # uncommitted changes: the base is the tree without them
	fi
	local hash
	hash=$(git rev-parse --verify -q "$ref^{commit}" 2>/dev/null) || return 0
	echo "$ref ${hash:0:12}"
}

# shared_data_dir: where the tests of this tree find ../shared/data, so a copy of the tree in a
# temporary directory finds it too (datasets.Find's search, from here).
shared_data_dir() {
	if [ -n "${WIRESTREAM_SHARED_DATA:-}" ]; then
		echo "$WIRESTREAM_SHARED_DATA"
		return
	fi
	local d=$PWD
	while :; do
		for c in "$d/shared/data" "$d/../shared/data"; do
			if [ -d "$c/uci-news" ]; then
				(cd "$c" && pwd)
				return
			fi
		done
		[ "$d" != / ] || return 0
		d=$(dirname "$d")
	done
}

# triage LOG ARGS...: the verdicts for the failures LOG holds; ARGS are the failed run's go test
# arguments. Run from the module root.
triage() {
	local log=$1
	shift
	[ "${TRIAGE:-1}" != 0 ] || return 0
	local reruns=${TRIAGE_RERUNS:-2} max=${TRIAGE_MAX_TESTS:-8}
	triage_deadline=$((SECONDS + ${TRIAGE_BUDGET:-1200}))
	local failed
	failed=$(failed_tests "$log")
	[ -n "$failed" ] || return 0
	local count
	count=$(printf '%s\n' "$failed" | cut -f2 | tr '|' '\n' | grep -c . || true)
	echo
	echo "test.sh: rerunning the failed tests to tell a flake from a regression (up to $reruns reruns each, then the parent commit; at most ${TRIAGE_BUDGET:-1200} s)"
	if [ "$count" -gt "$max" ]; then
		echo "test.sh verdict: $count tests failed, more than TRIAGE_MAX_TESTS=$max: not rerun (something broke wholesale: the build, the broker, the machine)"
		return 0
	fi
	local flags=()
	mapfile -t flags < <(triage_flags "$@")
	local tmp
	tmp=$(mktemp -d "${TRIAGE_TMPDIR:-${TMPDIR:-/tmp}}/triage.XXXXXX")
	local base parent_dir= pkg names name pattern i outcome
	base=$(triage_base)
	local -A still=() # pkg<TAB>test → 1 for the tests that failed every rerun
	while IFS=$'\t' read -r pkg names; do
		if [ -z "$names" ]; then
			echo "test.sh verdict: $pkg: failed with no test named (a build failure, or a crash outside a test): not rerun"
			continue
		fi
		local -A passed=() ran=()
		for ((i = 1; i <= reruns; i++)); do
			pattern=
			for name in ${names//|/ }; do
				[ -n "${passed[$name]:-}" ] || pattern=${pattern:+$pattern|}$name
			done
			[ -n "$pattern" ] || break
			triage_run . "$pkg" "$pattern" "$tmp/rerun.log" "${flags[@]}" || break
			for name in ${pattern//|/ }; do
				ran[$name]=$i
				outcome=$(test_outcome "$tmp/rerun.log" "$name")
				if [ "$outcome" = pass ]; then
					passed[$name]=$i
				fi
			done
		done
		for name in ${names//|/ }; do
			if [ -n "${passed[$name]:-}" ]; then
				echo "test.sh verdict: $pkg $name: passed on rerun ${passed[$name]} of $reruns: flaky (the run stays red)"
			elif [ -z "${ran[$name]:-}" ]; then
				echo "test.sh verdict: $pkg $name: undecided: the triage budget ran out before a rerun"
			else
				still["$pkg"$'\t'"$name"]=1
			fi
		done
	done <<<"$failed"
	if [ ${#still[@]} -gt 0 ] && [ -n "$base" ]; then
		parent_dir=$tmp/base
		mkdir -p "$parent_dir"
		if ! git archive --format=tar "${base#* }" | tar -x -C "$parent_dir"; then
			echo "test.sh: could not extract ${base% *} ${base#* }: the failures below are not compared" >&2
			parent_dir=
		fi
	fi
	local data key
	data=$(shared_data_dir)
	local -A bypkg=()
	for key in "${!still[@]}"; do
		bypkg[${key%%$'\t'*}]+="${bypkg[${key%%$'\t'*}]:+|}${key#*$'\t'}"
	done
	for pkg in "${!bypkg[@]}"; do
		names=${bypkg[$pkg]}
		local had=
		if [ -n "$parent_dir" ]; then
			if WIRESTREAM_SHARED_DATA=${data:-${WIRESTREAM_SHARED_DATA:-}} triage_run "$parent_dir" "$pkg" "$names" "$tmp/base.log" "${flags[@]}"; then
				had=1
			fi
		fi
		for name in ${names//|/ }; do
			local head="fails on HEAD and on $reruns of $reruns reruns"
			if [ -z "$base" ]; then
				echo "test.sh verdict: $pkg $name: $head; no parent commit here (a shallow clone?): cannot tell a flake from a regression"
			elif [ -z "$parent_dir" ]; then
				echo "test.sh verdict: $pkg $name: $head; ${base% *} could not be extracted: undecided"
			elif [ -z "$had" ]; then
				echo "test.sh verdict: $pkg $name: $head; undecided: the triage budget ran out before the parent ${base% *} ${base#* }"
			else
				case $(test_outcome "$tmp/base.log" "$name") in
				pass) echo "test.sh verdict: $pkg $name: $head and passes on parent ${base% *} ${base#* }: likely this change" ;;
				fail) echo "test.sh verdict: $pkg $name: also fails on parent ${base% *} ${base#* }: not caused by this change" ;;
				absent)
					if grep -q -- "^panic: test timed out" "$tmp/base.log"; then
						echo "test.sh verdict: $pkg $name: $head; undecided: it ran out of the triage budget on parent ${base% *} ${base#* }"
					elif grep -q -- "^=== RUN" "$tmp/base.log" || grep -q -- "no tests to run" "$tmp/base.log"; then
						echo "test.sh verdict: $pkg $name: $head and is not on parent ${base% *} ${base#* } (a new test): this change"
					else
						echo "test.sh verdict: $pkg $name: $head; on parent ${base% *} ${base#* } it did not run (the package is new, or did not build): likely this change; the parent's output ends:"
						tail -n 5 "$tmp/base.log" | sed 's/^/    /'
					fi
					;;
				esac
			fi
		done
	done
	rm -rf "$tmp"
}

# go_test_triaged LOG ARGS...: `go test ARGS...`, its output shown and kept in LOG; when it fails,
# the verdicts follow (triage, in a subshell: a fault of its own costs the verdicts, not the run).
# Returns go test's exit code: the verdicts never turn a failure green.
go_test_triaged() {
	local log=$1 status=0
	shift
	go test "$@" 2>&1 | tee "$log" || status=$?
	if [ "$status" -ne 0 ]; then
		(triage "$log" "$@") || echo "test.sh: the triage of the failures failed (the run is red either way)" >&2
	fi
	return "$status"
}
