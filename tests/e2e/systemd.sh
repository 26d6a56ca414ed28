#!/bin/bash
# Tests of what `make install` puts on a server: the systemd units verified
# by systemd-analyze as installed, the exposure figure of gpd.service, the
# sysusers.d file, an install/uninstall round trip into a DESTDIR that never
# overwrites a configuration, and every man page clean under mandoc.
#
#   tests/e2e/systemd.sh            (BUILD=build: the built gpd and gp-client)
#
# Nothing is installed outside a temporary directory. KEEP=1 keeps it.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
MAX_EXPOSURE=2.0
UNITS="gpd.service gp-ca-crl.service gp-ca-crl.timer"

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

for cmd in systemd-analyze systemd-sysusers mandoc "$MAKE"; do
	command -v "$cmd" >/dev/null || {
		echo "systemd.sh: $cmd is missing (Debian: systemd, mandoc, make)" >&2
		exit 1
	}
done

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-systemd.XXXXXX")
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# make in the source tree, output in $W/make.log, status in RC.
mk() {
	RC=0
	"$MAKE" -C "$ROOT" BUILD="$BUILD" "$@" >"$W/make.log" 2>&1 || RC=$?
}

# The files under a directory, relative to it, sorted.
files_in() {	# DIR
	(cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
}

D=$W/destdir
INSTALLED="etc/gpd/forms/2022.json
etc/gpd/gpd.conf
etc/gpd/units.conf
usr/bin/gp-client
usr/bin/gp-report
usr/lib/systemd/system/gp-ca-crl.service
usr/lib/systemd/system/gp-ca-crl.timer
usr/lib/systemd/system/gpd.service
usr/lib/systemd/user/gp-client-flush.service
usr/lib/systemd/user/gp-client-flush.timer
usr/lib/systemd/user/gp-client-remind.service
usr/lib/systemd/user/gp-client-remind.timer
usr/lib/sysusers.d/gpd.conf
usr/libexec/gp/gp-client-web
usr/libexec/gpd/gpd-certificate-check
usr/sbin/gp-ca
usr/sbin/gpd
usr/share/doc/gp/examples/gp-client.conf
usr/share/doc/gp/examples/gpd.conf
usr/share/doc/gp/examples/units.conf
usr/share/locale/vi/LC_MESSAGES/gp-ca.mo
usr/share/locale/vi/LC_MESSAGES/gp-client.mo
usr/share/locale/vi/LC_MESSAGES/gpd.mo
usr/share/man/man1/gp-client.1
usr/share/man/man1/gp-report.1
usr/share/man/man5/gp-forms.5
usr/share/man/man5/gpd.conf.5
usr/share/man/man8/gp-ca.8
usr/share/man/man8/gpd.8
usr/share/man/vi/man1/gp-client.1"

test_install() {
	mk install DESTDIR="$D" PREFIX=/usr
	[ "$RC" -eq 0 ] || { fail "make install: exit $RC: $(tail -n 5 "$W/make.log")"; return; }
	local got
	got=$(files_in "$D")
	[ "$got" = "$INSTALLED" ] ||
	    { fail "installed: $(diff <(echo "$INSTALLED") <(echo "$got"))"; return; }
	local f
	for f in usr/sbin/gpd usr/sbin/gp-ca usr/bin/gp-client \
	    usr/bin/gp-report usr/libexec/gpd/gpd-certificate-check \
	    usr/libexec/gp/gp-client-web; do
		[ "$(stat -c %a "$D/$f")" = 755 ] || { fail "$f mode $(stat -c %a "$D/$f")"; return; }
	done
	for f in usr/lib/systemd/system/gpd.service etc/gpd/gpd.conf \
	    usr/share/man/man8/gpd.8; do
		[ "$(stat -c %a "$D/$f")" = 644 ] || { fail "$f mode $(stat -c %a "$D/$f")"; return; }
	done
	grep -qx 'ExecStart=/usr/sbin/gpd -f /etc/gpd/gpd.conf' \
	    "$D/usr/lib/systemd/system/gpd.service" ||
	    { fail "ExecStart: $(grep ^ExecStart "$D/usr/lib/systemd/system/gpd.service")"; return; }
	cmp -s "$ROOT/etc/gpd.conf" "$D/etc/gpd/gpd.conf" ||
	    { fail "etc/gpd/gpd.conf differs from the sample"; return; }
	cmp -s "$ROOT/etc/forms/2022.json" "$D/etc/gpd/forms/2022.json" ||
	    { fail "etc/gpd/forms/2022.json differs from etc/forms"; return; }
}

# Another PREFIX: the units name the programs where they were installed.
test_install_prefix() {
	local d=$W/local unit f want
	mk install DESTDIR="$d" PREFIX=/usr/local
	[ "$RC" -eq 0 ] || { fail "make install: exit $RC: $(tail -n 5 "$W/make.log")"; return; }
	unit=$d/usr/local/lib/systemd/system/gpd.service
	for f in sbin/gpd sbin/gp-ca bin/gp-client libexec/gp/gp-client-web; do
		[ -x "$d/usr/local/$f" ] || { fail "no /usr/local/$f"; return; }
	done
	for want in 'ExecStart=/usr/local/sbin/gpd -f /etc/gpd/gpd.conf' \
	    'ExecCondition=+/usr/local/libexec/gpd/gpd-certificate-check /etc/gpd/gpd.conf' \
	    'ExecReload=/usr/local/sbin/gpd -n -f /etc/gpd/gpd.conf'; do
		grep -qx "$want" "$unit" || { fail "$(grep ^Exec "$unit")"; return; }
	done
	grep -qx 'ExecStart=/usr/local/sbin/gp-ca -d /etc/gpd/ca crl' \
	    "$d/usr/local/lib/systemd/system/gp-ca-crl.service" ||
	    { fail "gp-ca-crl.service: $(grep ^Exec "$d/usr/local/lib/systemd/system/gp-ca-crl.service")"; return; }
	[ -f "$d/usr/local/lib/sysusers.d/gpd.conf" ] ||
	    { fail "no sysusers.d file"; return; }
	# The catalogues, where gp-ca and the binaries look for them.
	[ -f "$d/usr/local/share/locale/vi/LC_MESSAGES/gp-ca.mo" ] ||
	    { fail "no catalogue under /usr/local"; return; }
	grep -q '^TEXTDOMAINDIR=${GP_LOCALEDIR:-/usr/local/share/locale}$' \
	    "$d/usr/local/sbin/gp-ca" ||
	    { fail "gp-ca: $(grep TEXTDOMAINDIR "$d/usr/local/sbin/gp-ca")"; return; }
}

# The installed gp-client finds the installed gp-client-web (beside it in
# ../libexec/gp), whatever the prefix: it prints the form's address.
test_web_found() {
	local pid _
	"$ROOT/scripts/pki.sh" "$W/pki" lc-tamduong >/dev/null
	env -u GP_CLIENT_WEB XDG_STATE_HOME="$W/state" \
	    "$D/usr/bin/gp-client" -s 127.0.0.1:9 --ca "$W/pki/ca.crt" \
	    --cert "$W/pki/lc-tamduong.crt" --key "$W/pki/lc-tamduong.key" \
	    web --no-browser >"$W/web.out" 2>"$W/web.err" </dev/null &
	pid=$!
	for _ in $(seq 100); do
		grep -q '^http://127\.0\.0\.1:' "$W/web.out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q '^http://127\.0\.0\.1:[0-9]*/?t=' "$W/web.out" ||
	    fail "no address: $(cat "$W/web.out" "$W/web.err")"
}

# systemd-analyze verify on the installed units, in a root made of the
# DESTDIR plus the system's own units (the targets they name) and the
# commands they run, so that every ExecStart= resolves in that root.
test_verify() {
	local r=$W/root
	mkdir -p "$r/usr/lib/systemd" "$r/bin"
	cp -a "$D/." "$r/"
	cp -an /usr/lib/systemd/system "$r/usr/lib/systemd/"
	cp /bin/kill /bin/systemctl "$r/bin/"
	RC=0
	# shellcheck disable=SC2086  # UNITS is a list
	MANPATH=$r/usr/share/man systemd-analyze verify --root="$r" $UNITS \
	    >"$W/out" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out")"; return; }
	[ ! -s "$W/out" ] || { fail "warnings: $(cat "$W/out")"; return; }

	# The check itself catches a missing program.
	sed 's|^ExecStart=/usr/sbin/gpd|ExecStart=/usr/sbin/nogpd|' \
	    "$r/usr/lib/systemd/system/gpd.service" \
	    > "$r/usr/lib/systemd/system/gpd-broken.service"
	RC=0
	systemd-analyze verify --man=no --root="$r" gpd-broken.service \
	    >"$W/out" 2>&1 || RC=$?
	[ "$RC" -ne 0 ] || { fail "a unit without its program verifies"; return; }
}

# Prints the overall exposure of a unit file.
exposure() {	# FILE
	systemd-analyze security --offline=true "$1" 2>&1 |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}

test_exposure() {
	local f e
	for f in "$ROOT/systemd/gpd.service" \
	    "$D/usr/lib/systemd/system/gpd.service"; do
		e=$(exposure "$f")
		[ -n "$e" ] || { fail "$f: no exposure figure"; return; }
		awk -v e="$e" -v max="$MAX_EXPOSURE" 'BEGIN { exit !(e <= max) }' ||
		    { fail "$f: exposure $e, want <= $MAX_EXPOSURE"; return; }
		echo "# ${f#"$W"/}: exposure $e"
	done
}

test_sysusers() {
	local r=$W/sysusers
	mkdir -p "$r/etc" "$r/usr/lib/sysusers.d"
	cp "$D/usr/lib/sysusers.d/gpd.conf" "$r/usr/lib/sysusers.d/"
	run systemd-sysusers --root="$r"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q '^gpd:x:[0-9]*:[0-9]*:[^:]*:/var/lib/gpd:/usr/sbin/nologin$' \
	    "$r/etc/passwd" || { fail "passwd: $(cat "$r/etc/passwd")"; return; }
	grep -q '^gpd:x:' "$r/etc/group" || { fail "no group gpd"; return; }
}

# gpd.service's ExecCondition: gpd is skipped (exit 1) with a message
# naming each file while the certificate or key named in [tls] is missing,
# and started (exit 0) once both exist, or when the configuration cannot
# be read (gpd then fails and says why).
test_certificate_check() {
	local check=$D/usr/libexec/gpd/gpd-certificate-check c=$W/cc
	mkdir -p "$c"
	printf '[server]\nkey = %s/nothing\n[tls]\ncertificate = %s/s.crt ; the server\n  key=%s/s.key\n[receipts]\nkey = %s/nothing\n' \
	    "$c" "$c" "$c" "$c" > "$c/gpd.conf"
	run "$check" "$c/gpd.conf"
	[ "$RC" -eq 1 ] || { fail "no certificate, no key: exit $RC"; return; }
	grep -q "its certificate $c/s.crt (\[tls\] certificate in $c/gpd.conf) does not exist" "$W/out" &&
	    grep -q "its key $c/s.key " "$W/out" && grep -q 'gp-ca issue-server' "$W/out" ||
	    { fail "message: $(cat "$W/out")"; return; }
	: > "$c/s.crt"
	run "$check" "$c/gpd.conf"
	[ "$RC" -eq 1 ] || { fail "no key: exit $RC"; return; }
	! grep -q certificate "$W/out" || { fail "names the certificate: $(cat "$W/out")"; return; }
	: > "$c/s.key"
	run "$check" "$c/gpd.conf"
	[ "$RC" -eq 0 ] && [ ! -s "$W/out" ] || { fail "both there: exit $RC: $(cat "$W/out")"; return; }
	run "$check" "$c/absent.conf"
	[ "$RC" -eq 0 ] || { fail "no configuration: exit $RC"; return; }
}

test_config_kept() {
	echo "# edited by the administrator" >> "$D/etc/gpd/gpd.conf"
	echo "[lc-x]" > "$D/etc/gpd/units.conf"
	echo '{"x_note": "edited"}' > "$D/etc/gpd/forms/2022.json"
	local before conf="$D/etc/gpd/gpd.conf $D/etc/gpd/units.conf
	    $D/etc/gpd/forms/2022.json"
	# shellcheck disable=SC2086  # paths without blanks
	before=$(cat $conf)
	mk install DESTDIR="$D" PREFIX=/usr
	[ "$RC" -eq 0 ] || { fail "make install: exit $RC"; return; }
	# shellcheck disable=SC2086
	[ "$(cat $conf)" = "$before" ] ||
	    { fail "the configuration was overwritten"; return; }
	grep -q "kept $D/etc/gpd/gpd.conf" "$W/make.log" ||
	    { fail "no 'kept' message: $(grep -v '^cc' "$W/make.log")"; return; }
	[ "$(files_in "$D")" = "$INSTALLED" ] || { fail "$(files_in "$D")"; return; }
}

test_uninstall() {
	mk uninstall DESTDIR="$D" PREFIX=/usr
	[ "$RC" -eq 0 ] || { fail "make uninstall: exit $RC: $(cat "$W/make.log")"; return; }
	local got
	got=$(files_in "$D")
	[ "$got" = "etc/gpd/forms/2022.json
etc/gpd/gpd.conf
etc/gpd/units.conf" ] || { fail "left: $got"; return; }
	grep -q '# edited by the administrator' "$D/etc/gpd/gpd.conf" ||
	    { fail "the edited configuration is gone"; return; }
	[ ! -e "$D/usr/share/doc/gp" ] || { fail "usr/share/doc/gp left"; return; }
}

test_man() {
	local pages
	pages=$(cd "$ROOT" && find . -name '*.[1-8]' ! -path './build*' \
	    ! -path './.git/*' | sed 's|^\./||' | sort)
	[ -n "$pages" ] || { fail "no man pages found"; return; }
	RC=0
	# shellcheck disable=SC2086  # pages are paths without blanks
	(cd "$ROOT" && mandoc -Tlint -W warning $pages) >"$W/out" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] || { fail "$(cat "$W/out")"; return; }
	local p
	for p in client/gp-client.1 client/gp-client.vi.1 report/gp-report.1 \
	    daemon/gpd.8 daemon/gpd.conf.5 proto/gp-forms.5 scripts/gp-ca.8; do
		grep -qx "$p" <<<"$pages" || { fail "$p not checked"; return; }
	done
}

t "make install DESTDIR PREFIX=/usr: every file, modes, unit paths" test_install
t "make install PREFIX=/usr/local: units name /usr/local/sbin" test_install_prefix
t "installed gp-client web runs the installed gp-client-web" test_web_found
t "systemd-analyze verify: installed units clean" test_verify
t "systemd-analyze security: gpd.service exposure <= $MAX_EXPOSURE" test_exposure
t "sysusers.d: user gpd, home /var/lib/gpd, no shell" test_sysusers
t "gpd-certificate-check: skips gpd until certificate and key exist" test_certificate_check
t "make install again: edited configuration kept" test_config_kept
t "make uninstall: only the configuration is left" test_uninstall
t "mandoc -Tlint -W warning: every man page clean" test_man
summary
