#!/usr/bin/env bash
# scripts/chromium.sh — headless Chromium for the browser tests (the /status page), from Debian's
# packages, installed by the project itself so that CI and a fresh machine have it too.
#
# Usage:
#   scripts/chromium.sh install   apt-installs chromium when it is missing; prints nothing on stdout
#   scripts/chromium.sh path      prints the browser's path (exit 3 when there is none)
#
# The tests find the browser through $CHROMIUM (set by scripts/test.sh from `path`), else on PATH.
# chromedp drives it over the DevTools protocol, so chromium-driver (WebDriver) is not needed.
set -euo pipefail

log() { printf 'chromium.sh: %s\n' "$*" >&2; }

find_browser() {
	local c
	for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
		[ -n "$c" ] || continue
		if command -v "$c" >/dev/null; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

cmd_install() {
	if find_browser >/dev/null; then
		return
	fi
	if ! command -v apt-get >/dev/null; then
		log "no apt-get: install chromium yourself (the browser tests skip without it, and fail under CI=true)"
		return
	fi
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	log "installing chromium with apt-get (about 100 MB, once)"
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2 || true
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2 ||
		log "apt-get install chromium failed: the browser tests will skip (and fail under CI=true)"
	find_browser >/dev/null && log "chromium: $("$(find_browser)" --version 2>/dev/null || echo installed)"
}

case "${1:-}" in
install) cmd_install ;;
path) find_browser || exit 3 ;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
