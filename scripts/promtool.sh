#!/usr/bin/env bash
# scripts/promtool.sh — promtool for the alert rules' unit tests (deploy/prometheus/promtool_tests.yml,
# run by deploy's TestAlertRulesUnderPromtool), from Debian's prometheus package, fetched by the
# project itself so that CI and a fresh machine have it too.
#
# Usage:
#   scripts/promtool.sh install   fetches promtool once into the cache when none is found; prints
#                                 nothing on stdout
#   scripts/promtool.sh path      prints promtool's path (exit 3 when there is none)
#
# The package is not installed: its postinst would add a user and start a Prometheus service.
# `install` runs `apt-get download prometheus` (about 19 MB) in a temporary directory, unpacks it
# with `dpkg -x` and keeps only usr/bin/promtool (a static Go binary, about 45 MB), in
# $WIRESTREAM_CACHE/promtool (default ~/.cache/wirestream/promtool, beside kafka.sh's jars).
#
# The tests (deploy/promtool_test.go) and `path` look in the same order: $PROMTOOL (set by
# scripts/test.sh from `path`), else the cached one, else PATH.
set -euo pipefail

CACHE=${WIRESTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wirestream}
DIR=$CACHE/promtool
CACHED=$DIR/promtool

log() { printf 'promtool.sh: %s\n' "$*" >&2; }

find_promtool() {
	local c
	for c in "${PROMTOOL:-}" "$CACHED" promtool; do
		[ -n "$c" ] || continue
		if command -v "$c" >/dev/null && [ -x "$(command -v "$c")" ]; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

# fetch downloads the prometheus package into the current directory; the package lists are
# refreshed (as chromium.sh does) only when the download fails without them, e.g. on a fresh
# machine whose lists are empty: refreshing is the slow part.
fetch() {
	local sudo=() as=()
	# As root, apt-get downloads as the _apt user, who cannot write into our private temporary
	# directory: it then falls back to root with a warning. Download as root from the start.
	if [ "$(id -u)" -eq 0 ]; then
		as=(-o APT::Sandbox::User=root)
	else
		sudo=(sudo)
	fi
	if apt-get "${as[@]}" download -qq prometheus >&2; then
		return 0
	fi
	log "apt-get download prometheus failed: refreshing the package lists"
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2 || true
	apt-get "${as[@]}" download -qq prometheus >&2
}

cmd_install() {
	if find_promtool >/dev/null; then
		return
	fi
	if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
		log "no apt-get: install promtool yourself (the alert rule tests skip without it, and fail under CI=true)"
		return
	fi
	log "fetching promtool from Debian's prometheus package (about 19 MB, once) into $DIR"
	mkdir -p "$DIR"
	# Work next to the final place and rename, so an interrupted run leaves no half binary
	# that looks complete.
	local tmp
	tmp=$(mktemp -d "$DIR/partial.XXXXXX")
	if ! (cd "$tmp" && fetch) || ! dpkg -x "$tmp"/prometheus_*.deb "$tmp/root" ||
		! [ -x "$tmp/root/usr/bin/promtool" ]; then
		rm -rf "$tmp"
		log "could not fetch promtool: the alert rule tests will skip (and fail under CI=true)"
		return
	fi
	local version
	if ! version=$("$tmp/root/usr/bin/promtool" --version 2>&1 | head -n 1); then
		rm -rf "$tmp"
		log "the fetched promtool does not run: the alert rule tests will skip (and fail under CI=true)"
		return
	fi
	mv "$tmp/root/usr/bin/promtool" "$CACHED.new"
	mv "$CACHED.new" "$CACHED"
	basename "$tmp"/prometheus_*.deb >"$DIR/package"
	rm -rf "$tmp"
	log "$version ($(du -h "$CACHED" | cut -f1)) in $CACHED"
}

case "${1:-}" in
install) cmd_install ;;
path) find_promtool || exit 3 ;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
