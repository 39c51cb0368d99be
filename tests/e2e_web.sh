#!/bin/sh
# SPDX-License-Identifier: MIT
# e2e_web.sh - the web view (run --web) in a real browser: Debian's
# chromium, headless, driven by tests/web/check.js (playwright-core)
#
# Checks (each in check.js): the page loads; it shows as many satellites
# and links as `lasermesh topo --at T` at the step it shows; the path and
# RTT between two tapped nodes equal `lasermesh path`'s at the moment the
# page asked (within 0.1 ms); orbital time advances; with --web-control a
# click on a satellite takes it down, `lasermesh ctl status` lists it, the
# page draws it down, and a second click brings it up again.
# Then: errors are JSON, a control request without its header is refused,
# and without --web-control the page cannot control the run. Skips when
# chromium, node or playwright-core (npm ci in emu/web) is missing.
. tests/e2e_lib.sh

e2e_begin e2ew tests/data/e2e/ew.conf curl
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] ||
	e2e_skip "needs chromium (scripts/deps.sh check installs it)"
command -v node >/dev/null 2>&1 ||
	e2e_skip "needs node (scripts/deps.sh installs it)"
[ -d emu/web/node_modules/playwright-core ] ||
	e2e_skip "needs playwright-core: npm ci in emu/web (make does it)"

# web_url: the page's address from the run's banner
web_url() { sed -n 's/^web view: //p' "$E2E_TMP/run.out"; }

# web_check ARGS: check.js against the run in progress
web_check() {
	local rc
	node tests/web/check.js --url "$(web_url)" --lasermesh "$LM" \
		--config "$E2E_CONF" --pid "$E2E_RUN_PID" "$@" \
		>"$E2E_TMP/check.out" 2>&1
	rc=$?
	sed 's/^/  /' "$E2E_TMP/check.out" >&2
	[ $rc -eq 0 ] || e2e_fail "check.js failed (exit $rc)"
}

# web_code METHOD-ARGS... URL-PATH: the HTTP status, the body in err.json
web_code() {
	curl -s -o "$E2E_TMP/err.json" -w '%{http_code}' "$@" 2>/dev/null
}

e2e_run_start --web 127.0.0.1:0 --web-control --duration 120s
URL=$(web_url)
case $URL in
http://127.0.0.1:*/) ;;
*) e2e_fail "no web view on 127.0.0.1 in the banner: \"$URL\"" ;;
esac
web_check --control
e2e_log "$(grep '^figures' "$E2E_TMP/check.out")"

# errors are JSON with a message; a control request needs its header
code=$(web_code "${URL}api/path?a=london-ew&b=ew-1-1")
[ "$code" = 400 ] &&
	grep -q '"error":"b \\"ew-1-1\\" is not a tapped node"' "$E2E_TMP/err.json" ||
	e2e_fail "path to an untapped node: $code $(cat "$E2E_TMP/err.json")"
code=$(web_code -d 'down node ew-1-1' "${URL}api/ctl")
[ "$code" = 403 ] ||
	e2e_fail "ctl without its header: $code $(cat "$E2E_TMP/err.json")"
code=$(web_code -H 'X-Lasermesh: ctl' -d 'down node nosuch' "${URL}api/ctl")
[ "$code" = 400 ] && grep -q '"ok":false' "$E2E_TMP/err.json" ||
	e2e_fail "ctl of a node that does not exist: $code $(cat "$E2E_TMP/err.json")"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "the run with --web exited $E2E_RUN_RC"

# without --web-control the page has no control
e2e_run_start --web 127.0.0.1:0 --duration 60s
URL=$(web_url)
code=$(web_code -H 'X-Lasermesh: ctl' -d 'down node ew-1-1' "${URL}api/ctl")
[ "$code" = 403 ] && grep -q 'web-control' "$E2E_TMP/err.json" ||
	e2e_fail "ctl without --web-control: $code $(cat "$E2E_TMP/err.json")"
e2e_run_stop
[ "$E2E_RUN_RC" -eq 0 ] || e2e_fail "the second run exited $E2E_RUN_RC"
e2e_pass "page, counts, path, RTT, time, click and refusals"
