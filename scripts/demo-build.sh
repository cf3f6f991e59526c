#!/usr/bin/env bash
# scripts/demo-build.sh — `make demo`'s build step: say what the build will wait for, then build.
#
#   GO=go scripts/demo-build.sh BIN PKG
#
# The line it prints starts "make demo: building BIN" and says how many packages go build has to
# compile: all of them the first time (every dependency: 1–3 minutes on two cores), none once
# they are in Go's build cache (seconds: a link, or a copy of the cached binary). It used to say
# "1-3 minutes" on every run, also when the binary was already built. `go list` tells stale from
# cached without compiling (about a second). When it fails (no module cache and no network, a
# broken go.mod), the line says what a first build costs and go build reports the error itself.
# $go is left unquoted where it runs, as the Makefile's $(GO) is: GO may carry flags.
# shellcheck disable=SC2086
set -euo pipefail

go=${GO:-go}
bin=$1
pkg=$2

# A package go build compiles is stale in the build cache. A main package whose build is cached
# reads "not installed but available in build cache": it is not `go install`ed, but nothing of it
# is compiled again.
format='{{if and .Stale (ne .StaleReason "not installed but available in build cache")}}compile{{else}}cached{{end}}'
if list=$($go list -deps -f "$format" "$pkg"); then
	total=$(grep -c . <<<"$list" || true)
	n=$(grep -c '^compile$' <<<"$list" || true)
	if [ "$n" -eq 0 ]; then
		echo "make demo: building $bin: all $total packages are in Go's build cache, nothing to compile (seconds)"
		exec $go build -o "$bin" "$pkg"
	fi
	line="make demo: building $bin: compiling $n of $total packages"
	if [ $((2 * n)) -gt "$total" ]; then
		line+=", as on a first build"
	else
		line+="; the others are in Go's build cache"
	fi
	# wirestream's ~440 packages take 1–3 minutes on two cores; a few dozen, seconds.
	if [ "$n" -ge 200 ]; then
		line+=" (1–3 minutes)"
	fi
	echo "$line"
else
	echo "make demo: building $bin (a first build compiles every dependency: 1–3 minutes; later ones take seconds)"
fi
exec $go build -o "$bin" "$pkg"
