#!/bin/bash
# The Debian packages end to end: make deb, lintian, what each package
# holds, then the packages installed with apt into a throwaway Debian 12
# system booted in a container (systemd-nspawn, private network): a clean
# install waits for its certificate, starts once gp-ca has made it and
# stores reports; remove keeps data and configuration; purge keeps the
# database unless the debconf question says otherwise; an upgrade from a
# package of an older commit (database schema 3) migrates once, keeps every
# report and the edited configuration, and restarts gpd once.
#
#   tests/e2e/deb.sh          the package build skips the unit tests
#   FULL=1 tests/e2e/deb.sh   the package build runs them, as `make deb`
#
# As root, with the packages of scripts/deps.sh. The Debian 12 system is
# made by mmdebstrap from the Debian sources apt uses here, once, and kept
# in $DEB_DIR/cache (a new one when the packages' dependencies change).
# KEEP=1 keeps the work directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAKE=${MAKE:-make}
DEB_DIR=${DEB_DIR:-$ROOT/build-deb}
FULL=${FULL:-0}
SUITE=bookworm
# The older package: the last commit with database schema 3, packaged with
# today's debian/ less what its `make install` did not install yet.
OLD_COMMIT=df386108f430ee91b68ecf900536d933c4c0a71e
DATA=$ROOT/tests/data
REPORTS="lc-tamduong lc-sinho lc-nganh-giaoduc"

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

for cmd in dpkg-buildpackage dpkg-parsechangelog lintian mmdebstrap \
    systemd-nspawn systemd-analyze nsenter sqlite3 git "$MAKE"; do
	command -v "$cmd" >/dev/null || {
		echo "deb.sh: $cmd is missing: run scripts/deps.sh" >&2
		exit 1
	}
done
[ "$(id -u)" -eq 0 ] || { echo "deb.sh: run as root (mmdebstrap, systemd-nspawn)" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/gp-deb.XXXXXX")
NSPAWN=
LEADER=
cleanup() {
	ct_stop
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

VERSION=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
ARCH=$(dpkg --print-architecture)
GPD_DEB=$DEB_DIR/gpd_${VERSION}_$ARCH.deb
CLIENT_DEB=$DEB_DIR/gp-client_${VERSION}_$ARCH.deb
CA_DEB=$DEB_DIR/gp-ca_${VERSION}_all.deb
REPORT_DEB=$DEB_DIR/gp-report_${VERSION}_$ARCH.deb
WEB_DEB=$DEB_DIR/gp-client-web_${VERSION}_$ARCH.deb

# --- the container ------------------------------------------------------

# The Debian sources apt uses on this machine, as sources.list lines.
debian_sources() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
	    'Identifier: Packages' 'Origin: Debian' |
	    awk -v suite="$SUITE" '$2 == suite || index($2, suite "-") == 1 {
		print "deb " $1 " " $2 " " $3 }' | sort -u
}

# The packages the container needs: systemd as init, and every package
# that ours depend on (the first of each alternative), so that apt installs
# ours without a network.
root_packages() {
	{
		echo systemd
		echo systemd-sysv
		local d
		for d in "$GPD_DEB" "$CLIENT_DEB" "$CA_DEB"; do
			dpkg-deb -f "$d" Depends | tr ',' '\n' |
			    sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g'
		done
	} | grep -v '^$' | sort -u
}

# A Debian 12 root as a tar file in $DEB_DIR/cache, made once per set of
# packages; prints its path.
root_tar() {
	local pkgs key tar sources
	pkgs=$(root_packages | paste -sd, -)
	key=$(printf '%s %s\n' "$SUITE" "$pkgs" | sha256sum | cut -c1-16)
	tar=$DEB_DIR/cache/$SUITE-$key.tar
	if [ ! -f "$tar" ]; then
		sources=$(debian_sources)
		[ -n "$sources" ] || {
			echo "no Debian $SUITE source in apt's lists: run apt-get update" >&2
			return 1
		}
		mkdir -p "$DEB_DIR/cache"
		rm -f "$DEB_DIR/cache/$SUITE-"*.tar
		local lines=()
		mapfile -t lines <<<"$sources"
		mmdebstrap --quiet --variant=minbase --include="$pkgs" \
		    "$SUITE" "$tar.new.tar" "${lines[@]}" >&2 || return 1
		mv "$tar.new.tar" "$tar"
	fi
	echo "$tar"
}

# Boots a fresh root from the cached tar in $W/NAME; CT is its directory,
# LEADER the container's PID 1.
ct_boot() {	# NAME
	local tar
	ct_stop
	tar=$(root_tar) || return 1
	CT=$W/$1
	mkdir -p "$CT"
	tar -C "$CT" -xf "$tar"
	systemd-nspawn -q -D "$CT" --register=no --keep-unit \
	    --private-network -b >"$W/$1.console" 2>&1 </dev/null &
	NSPAWN=$!
	LEADER=
	# PID 1 of the container is systemd-nspawn's child.
	for _ in $(seq 300); do
		LEADER=$(pgrep -P "$NSPAWN" -x systemd || true)
		[ -n "$LEADER" ] && break
		kill -0 "$NSPAWN" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$LEADER" ] || { echo "no container: $(tail -n 5 "$W/$1.console")" >&2; return 1; }
	# systemctl needs the manager's socket, made early in the boot.
	for _ in $(seq 300); do
		ct test -S /run/systemd/private
		[ "$RC" -eq 0 ] && break
		sleep 0.1
	done
	ct systemctl is-system-running --wait
	case $(cat "$W/out") in
	running|degraded) return 0;;
	esac
	echo "container: $(cat "$W/out" "$W/err")" >&2
	return 1
}

# Powers the container off (SIGRTMIN+4 to its systemd); kills it when
# that takes more than a minute.
ct_stop() {
	[ -n "$NSPAWN" ] || return 0
	if kill -0 "$NSPAWN" 2>/dev/null; then
		[ -z "$LEADER" ] || kill -RTMIN+4 "$LEADER" 2>/dev/null || true
		if ! timeout 60 tail --pid="$NSPAWN" -f /dev/null; then
			[ -z "$LEADER" ] || kill -9 "$LEADER" 2>/dev/null || true
			kill -9 "$NSPAWN" 2>/dev/null || true
		fi
	fi
	wait "$NSPAWN" 2>/dev/null || true
	NSPAWN=
	LEADER=
}

# Runs a command in the container: stdout in $W/out, stderr in $W/err,
# status in RC; standard input from $CT_IN, a file (default: nothing),
# and debconf's frontend $CT_FRONTEND (default: noninteractive).
ct() {
	RC=0
	timeout 300 nsenter -t "$LEADER" -a env -i \
	    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	    DEBIAN_FRONTEND="${CT_FRONTEND:-noninteractive}" "$@" \
	    >"$W/out" 2>"$W/err" <"${CT_IN:-/dev/null}" || RC=$?
}

# One value from the container's database, or from another file there.
ctq() {	# SQL [FILE]
	sqlite3 -batch -noheader "$CT${2:-/var/lib/gpd/gp.db}" "$1"
}

# What identifies every stored report revision.
stored() {	# [FILE]
	ctq "select unit, period, revision, receipt, hex(content_hash),
	    (select count(*) from activities where report_id = reports.id)
	    from reports order by id" "${1:-}"
}

# Copies .deb files into the container's /root/debs/NAME.
ct_put() {	# NAME DEB...
	local d=$CT/root/debs/$1
	shift
	mkdir -p "$d"
	cp "$@" "$d/"
}

# apt-get install of the container's /root/debs/NAME/*.deb.
ct_install() {	# NAME [APT-OPTIONS...]
	local f debs=() name=$1
	shift
	for f in "$CT/root/debs/$name"/*.deb; do
		debs+=("/root/debs/$name/${f##*/}")
	done
	ct apt-get install -y --no-install-recommends "$@" "${debs[@]}"
}

# The conffiles of gpd whose shipped text differs between two packages:
# the only ones dpkg may ask about when the administrator edited them.
changed_conffiles() {	# OLD.deb NEW.deb
	local f
	for f in $(dpkg-deb -I "$2" conffiles); do
		cmp -s <(dpkg-deb --fsys-tarfile "$1" | tar -xOf - ".$f" 2>/dev/null) \
		    <(dpkg-deb --fsys-tarfile "$2" | tar -xOf - ".$f") || echo "$f"
	done
}

# The federation's CA, gpd's certificate and the units' and an
# administrator's, made by the installed gp-ca.
ct_pki() {
	local u
	ct gp-ca init --cn "LĐLĐ tỉnh Lai Châu CA" || true
	[ "$RC" -eq 0 ] || { fail "gp-ca init: exit $RC: $(cat "$W/err")"; return; }
	ct gp-ca issue-server localhost 127.0.0.1
	[ "$RC" -eq 0 ] || { fail "gp-ca issue-server: exit $RC: $(cat "$W/err")"; return; }
	for u in $REPORTS admin-lan; do
		ct gp-ca issue "$u"
		[ "$RC" -eq 0 ] || { fail "gp-ca issue $u: exit $RC: $(cat "$W/err")"; return; }
	done
}

# The administrator's edit of a configuration file: a comment, and
# admin-lan as administrator.
ct_edit_config() {
	sed -i 's/^admins =.*/admins = admin-lan/' "$CT/etc/gpd/gpd.conf"
	echo "# edited by the administrator" >> "$CT/etc/gpd/gpd.conf"
	echo "# edited by the administrator" >> "$CT/etc/gpd/units.conf"
}

# gp-client in the container as NAME.
ct_client() {	# NAME ARGS...
	local name=$1
	shift
	ct gp-client -s 127.0.0.1:7443 --ca /etc/gpd/ca/ca.crt \
	    --cert "/etc/gpd/ca/certs/$name.crt" \
	    --key "/etc/gpd/ca/keys/$name.key" "$@"
}

ct_submit_all() {
	local u
	mkdir -p "$CT/root/data"
	cp "$DATA"/*-2022-H1.json "$CT/root/data/"
	for u in $REPORTS; do
		ct_client "$u" submit "/root/data/$u-2022-H1.json"
		[ "$RC" -eq 0 ] || { fail "submit $u: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	done
	[ "$(ctq 'select count(*) from reports')" = 3 ] ||
	    { fail "stored: $(ctq 'select count(*) from reports')"; return; }
}

# The units gp-client list shows to the administrator.
ct_listed() {
	ct_client admin-lan --csv list --period 2022-H1
	[ "$RC" -eq 0 ] || { fail "list: exit $RC: $(cat "$W/err")"; return 1; }
	LISTED=$(grep -o '^lc-[a-z-]*' "$W/out" | sort | paste -sd' ' -)
}

ct_active() {	# UNIT
	ct systemctl is-active "$1"
	[ "$(cat "$W/out")" = active ]
}

# --- the packages -------------------------------------------------------

test_build() {
	local opts=nocheck
	[ "$FULL" = 1 ] && opts=
	RC=0
	nice -n 10 "$MAKE" -C "$ROOT" deb DEB_DIR="$DEB_DIR" \
	    DEB_BUILD_OPTIONS="$opts" >"$W/build.log" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] || { fail "make deb: exit $RC: $(tail -n 20 "$W/build.log")"; return; }
	local f
	for f in "$GPD_DEB" "$CLIENT_DEB" "$CA_DEB" "$REPORT_DEB" "$WEB_DEB"; do
		[ -s "$f" ] || { fail "no $f"; return; }
	done
	local ran
	ran=$(grep -c '^== debian/build/tests/test_' "$W/build.log" || true)
	if [ "$FULL" = 1 ]; then
		[ "$ran" -ge 10 ] || { fail "unit tests run in the build: $ran"; return; }
	else
		[ "$ran" -eq 0 ] || { fail "nocheck, yet $ran unit tests ran"; return; }
	fi
	[ ! -e "$DEB_DIR/src" ] || { fail "$DEB_DIR/src left behind"; return; }
	echo "# $(cd "$DEB_DIR" && stat -c '%n %s bytes' "${GPD_DEB##*/}" "${CLIENT_DEB##*/}" "${CA_DEB##*/}" | paste -sd, -)"
}

# debian/rules clean in a developer's tree takes only its own build
# directory: build/ and build-bench/ stay.
test_rules_clean() {
	local t=$W/tree
	mkdir -p "$t"
	cp -a "$ROOT/debian" "$ROOT/Makefile" "$t/"
	mkdir -p "$t/build-bench/bench" "$t/build" "$t/debian/build/proto"
	touch "$t/build-bench/bench/national.db" "$t/build/gpd"
	RC=0
	(cd "$t" && debian/rules clean) >"$W/out" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] || { fail "debian/rules clean: exit $RC: $(cat "$W/out")"; return; }
	[ -e "$t/build-bench/bench/national.db" ] || { fail "build-bench/ deleted"; return; }
	[ -e "$t/build/gpd" ] || { fail "build/ deleted"; return; }
	[ ! -e "$t/debian/build" ] || { fail "debian/build left"; return; }
}

test_lintian() {
	RC=0
	lintian --fail-on error,warning "$DEB_DIR/gp_${VERSION}_$ARCH.changes" \
	    >"$W/lintian" 2>&1 || RC=$?
	grep -v '^running with root privileges' "$W/lintian" >"$W/lintian.tags" || true
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/lintian.tags")"; return; }
	! grep -q '^[EW]:' "$W/lintian.tags" || { fail "$(cat "$W/lintian.tags")"; return; }
}

# "MODE PATH" of every entry of a package.
contents() {	# DEB
	dpkg -c "$1" | awk '{ print $1, $2, $NF }'
}

test_contents() {
	local want line
	contents "$GPD_DEB" >"$W/gpd.c"
	contents "$CLIENT_DEB" >"$W/client.c"
	contents "$CA_DEB" >"$W/ca.c"
	contents "$REPORT_DEB" >"$W/report.c"
	contents "$WEB_DEB" >"$W/web.c"
	while read -r want; do
		[ -n "$want" ] || continue
		# shellcheck disable=SC2086  # three words
		set -- $want
		grep -qxF -- "$2 root/root ./$3" "$W/$1.c" ||
		    { fail "$1: no '$2 ./$3': $(grep "$3" "$W/$1.c")"; return; }
	done <<'EOF'
gpd -rwxr-xr-x usr/sbin/gpd
gpd -rwxr-xr-x usr/libexec/gpd/gpd-certificate-check
gpd -rw-r--r-- lib/systemd/system/gpd.service
gpd -rw-r--r-- lib/systemd/system/gp-ca-crl.service
gpd -rw-r--r-- lib/systemd/system/gp-ca-crl.timer
gpd -rw-r--r-- usr/lib/sysusers.d/gpd.conf
gpd -rw-r--r-- etc/gpd/gpd.conf
gpd -rw-r--r-- etc/gpd/units.conf
gpd -rw-r--r-- etc/gpd/forms/2022.json
gpd -rw-r--r-- usr/share/man/man8/gpd.8.gz
gpd -rw-r--r-- usr/share/man/man5/gpd.conf.5.gz
gpd -rw-r--r-- usr/share/doc/gpd/README.Debian
gpd -rw-r--r-- usr/share/doc/gpd/examples/gpd.conf
gpd -rw-r--r-- usr/share/doc/gpd/copyright
gpd -rw-r--r-- usr/share/locale/vi/LC_MESSAGES/gpd.mo
client -rwxr-xr-x usr/bin/gp-client
client -rw-r--r-- usr/lib/systemd/user/gp-client-flush.service
client -rw-r--r-- usr/lib/systemd/user/gp-client-flush.timer
client -rw-r--r-- usr/lib/systemd/user/gp-client-remind.service
client -rw-r--r-- usr/lib/systemd/user/gp-client-remind.timer
client -rw-r--r-- usr/share/man/man1/gp-client.1.gz
client -rw-r--r-- usr/share/man/vi/man1/gp-client.1.gz
client -rw-r--r-- usr/share/doc/gp-client/examples/gp-client.conf
client -rw-r--r-- usr/share/locale/vi/LC_MESSAGES/gp-client.mo
ca -rwxr-xr-x usr/sbin/gp-ca
ca -rw-r--r-- usr/share/man/man8/gp-ca.8.gz
ca -rw-r--r-- usr/share/locale/vi/LC_MESSAGES/gp-ca.mo
report -rwxr-xr-x usr/bin/gp-report
report -rw-r--r-- usr/share/man/man1/gp-report.1.gz
web -rwxr-xr-x usr/libexec/gp/gp-client-web
EOF
	# No file in two packages, none in a shared doc directory, no
	# bundled library, nothing owned by anyone but root.
	line=$(cat "$W/gpd.c" "$W/client.c" "$W/ca.c" "$W/report.c" "$W/web.c" | awk '$1 !~ /^d/ { print $3 }' | sort | uniq -d)
	[ -z "$line" ] || { fail "in two packages: $line"; return; }
	line=$(cat "$W/gpd.c" "$W/client.c" "$W/ca.c" "$W/report.c" "$W/web.c" |
	    awk '$2 != "root/root" || $3 ~ /\/doc\/gp\/|\.so(\.|$)/')
	[ -z "$line" ] || { fail "$line"; return; }
}

test_control() {
	local f
	[ "$(dpkg-deb -f "$CA_DEB" Architecture)" = all ] || { fail "gp-ca is not Architecture: all"; return; }
	for f in 'gpd libssl3' 'gpd libevent-2.1-7' 'gpd libsqlite3-0' 'gpd libsystemd0' \
	    'gpd systemd | systemd-standalone-sysusers' 'gpd debconf' \
	    'client libssl3' 'client libxlsxwriter4' 'client libjansson4' 'ca openssl' \
	    'ca gettext-base' 'report libcairo2' 'report libpango-1.0-0' 'web libmicrohttpd12' \
	    'web gp-client (='; do
		local deb=$GPD_DEB
		case ${f%% *} in client) deb=$CLIENT_DEB;; ca) deb=$CA_DEB;;
		report) deb=$REPORT_DEB;; web) deb=$WEB_DEB;; esac
		dpkg-deb -f "$deb" Depends | grep -qF "${f#* }" ||
		    { fail "${deb##*/} Depends: no ${f#* }: $(dpkg-deb -f "$deb" Depends)"; return; }
	done
	# gp-ca to make the PKI; tzdata for a [server] timezone other than
	# the built-in Asia/Ho_Chi_Minh.
	[ "$(dpkg-deb -f "$GPD_DEB" Recommends)" = "gp-ca, tzdata" ] ||
	    { fail "gpd Recommends: $(dpkg-deb -f "$GPD_DEB" Recommends), not gp-ca, tzdata"; return; }
	# gp-client itself never loads the HTTP library (issue 19).
	! dpkg-deb -f "$CLIENT_DEB" Depends | grep -q microhttpd ||
	    { fail "gp-client depends on libmicrohttpd"; return; }
	dpkg-deb -f "$CLIENT_DEB" Recommends | grep -qx gp-client-web ||
	    { fail "gp-client does not recommend gp-client-web"; return; }
	[ "$(dpkg-deb -I "$GPD_DEB" conffiles)" = "/etc/gpd/forms/2022.json
/etc/gpd/gpd.conf
/etc/gpd/units.conf" ] || { fail "conffiles: $(dpkg-deb -I "$GPD_DEB" conffiles)"; return; }
	! dpkg-deb -I "$CLIENT_DEB" conffiles >/dev/null 2>&1 || { fail "gp-client has conffiles"; return; }
	dpkg-deb -I "$GPD_DEB" templates >"$W/templates"
	grep -qx 'Template: gpd/purge-database' "$W/templates" &&
	    grep -qx 'Default: false' "$W/templates" &&
	    grep -q '^Description-vi.UTF-8: Xoá luôn' "$W/templates" ||
	    { fail "templates: $(cat "$W/templates")"; return; }
	dpkg-deb -I "$GPD_DEB" postinst | grep -q 'systemd-sysusers.*gpd.conf' ||
	    { fail "postinst makes no user"; return; }
}

# gp-client-web speaks from gp-client's catalogue, which gp-client ships
# and gp-client-web depends on at the same version: the checks' messages
# the page shows are in it, in Vietnamese.
test_web_catalogue() {
	local r=$W/web-catalogue
	mkdir -p "$r"
	dpkg-deb -x "$CLIENT_DEB" "$r"
	dpkg-deb -f "$WEB_DEB" Depends |
	    grep -qF "gp-client (= $(dpkg-deb -f "$CLIENT_DEB" Version))" ||
	    { fail "gp-client-web Depends: $(dpkg-deb -f "$WEB_DEB" Depends)"; return; }
	msgunfmt "$r/usr/share/locale/vi/LC_MESSAGES/gp-client.mo" >"$W/out" ||
	    { fail "no catalogue in gp-client"; return; }
	grep -qF 'msgstr "số nữ (%s) nhiều hơn số người tham gia (%s)"' "$W/out" ||
	    fail "the checks' messages are not in gp-client.mo"
}

# The Vietnamese gp-client(1), where man finds it for a Vietnamese locale:
# UTF-8, with the coding line that tells man-db so.
test_vi_man() {
	local r=$W/vi-man
	mkdir -p "$r"
	dpkg-deb -x "$CLIENT_DEB" "$r"
	zcat "$r/usr/share/man/vi/man1/gp-client.1.gz" >"$W/out" ||
	    { fail "no usr/share/man/vi/man1/gp-client.1.gz"; return; }
	head -1 "$W/out" | grep -qF 'coding: UTF-8' ||
	    { fail "the Vietnamese page has no coding line"; return; }
	grep -qF '.Nd gửi báo cáo kết quả công tác bình đẳng giới tới gpd' \
	    "$W/out" || fail "the Vietnamese page is not the translation"
}

# systemd-analyze verify on the units as the packages install them, in a
# root of the packages and the system's own units.
test_units() {
	local r=$W/verify
	mkdir -p "$r/lib/systemd" "$r/bin"
	dpkg-deb -x "$GPD_DEB" "$r"
	dpkg-deb -x "$CA_DEB" "$r"
	cp -an /lib/systemd/system "$r/lib/systemd/"
	cp /bin/kill /bin/systemctl "$r/bin/"
	RC=0
	MANPATH=$r/usr/share/man systemd-analyze verify --root="$r" \
	    gpd.service gp-ca-crl.service gp-ca-crl.timer >"$W/out" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] && [ ! -s "$W/out" ] || { fail "exit $RC: $(cat "$W/out")"; return; }
}

# --- a clean install, remove and purge ----------------------------------

test_ct_install() {
	ct_boot fresh || { fail "cannot boot a $SUITE container"; return; }
	ct_put new "$GPD_DEB" "$CLIENT_DEB" "$CA_DEB"
	ct_install new
	[ "$RC" -eq 0 ] || { fail "apt-get install: exit $RC: $(tail -n 15 "$W/out" "$W/err")"; return; }
	ct getent passwd gpd
	grep -q '^gpd:x:[0-9]*:[0-9]*:[^:]*:/var/lib/gpd:/usr/sbin/nologin$' "$W/out" ||
	    { fail "user gpd: $(cat "$W/out")"; return; }
	[ "$(cut -d: -f3 "$W/out")" -lt 1000 ] || { fail "gpd is not a system user"; return; }
	ct gpd -V
	[ "$(cat "$W/out" "$W/err")" = "gpd $VERSION" ] || { fail "gpd -V: $(cat "$W/out" "$W/err")"; return; }
}

# Enabled, not started, and saying why where an administrator looks.
test_ct_waits() {
	local u
	for u in gpd.service gp-ca-crl.timer; do
		ct systemctl is-enabled "$u"
		[ "$(cat "$W/out")" = enabled ] || { fail "$u: $(cat "$W/out")"; return; }
	done
	ct_active gp-ca-crl.timer || { fail "gp-ca-crl.timer: $(cat "$W/out")"; return; }
	ct systemctl show -p ActiveState -p ConditionResult -p NRestarts gpd
	[ "$(sort "$W/out" | paste -sd' ' -)" = "ActiveState=inactive ConditionResult=no NRestarts=0" ] ||
	    { fail "$(cat "$W/out")"; return; }
	local why='gpd is not started: its certificate /etc/gpd/ca/server.crt'
	ct systemctl status gpd
	grep -q "$why" "$W/out" || { fail "systemctl status: $(cat "$W/out")"; return; }
	ct journalctl -u gpd -o cat
	grep -q "$why" "$W/out" || { fail "journal: $(cat "$W/out")"; return; }
	grep -q 'gp-ca issue-server' "$W/out" || { fail "journal: $(cat "$W/out")"; return; }
}

test_ct_check() {
	ct gpd -n -f /etc/gpd/gpd.conf
	[ "$RC" -eq 1 ] && grep -q '/etc/gpd/ca/server.crt' "$W/err" ||
	    { fail "gpd -n without a certificate: exit $RC: $(cat "$W/err")"; return; }
	ct_pki || return
	ct stat -c '%U %a' /etc/gpd/ca/server.key
	[ "$(cat "$W/out")" = "gpd 600" ] || { fail "server.key: $(cat "$W/out" "$W/err")"; return; }
	ct_edit_config
	ct gpd -n -f /etc/gpd/gpd.conf
	[ "$RC" -eq 0 ] || { fail "gpd -n: exit $RC: $(cat "$W/out" "$W/err")"; return; }
}

test_ct_serve() {
	ct systemctl start gpd
	[ "$RC" -eq 0 ] || { fail "systemctl start: exit $RC: $(cat "$W/err")"; return; }
	ct_active gpd || { fail "gpd: $(cat "$W/out")"; return; }
	ct_submit_all || return
	ct_listed || return
	[ "$LISTED" = "lc-nganh-giaoduc lc-sinho lc-tamduong" ] || { fail "listed: $LISTED"; return; }
	BEFORE=$(stored)
}

test_ct_remove() {
	ct apt-get remove -y gpd
	[ "$RC" -eq 0 ] || { fail "apt-get remove: exit $RC: $(tail -n 5 "$W/err")"; return; }
	ct dpkg-query -W -f '${db:Status-Abbrev}' gpd
	[ "$(cat "$W/out")" = "rc " ] || { fail "status: $(cat "$W/out")"; return; }
	[ ! -e "$CT/usr/sbin/gpd" ] || { fail "/usr/sbin/gpd left"; return; }
	ct_active gpd && { fail "gpd still running"; return; }
	grep -qx 'admins = admin-lan' "$CT/etc/gpd/gpd.conf" ||
	    { fail "gpd.conf: $(ls -l "$CT/etc/gpd")"; return; }
	[ "$(stored)" = "$BEFORE" ] || { fail "the reports changed"; return; }
	ct getent passwd gpd
	[ "$RC" -eq 0 ] || { fail "user gpd removed"; return; }
}

# Installed again, gpd finds its configuration, certificate and reports.
test_ct_reinstall() {
	ct_install new
	[ "$RC" -eq 0 ] || { fail "apt-get install: exit $RC: $(tail -n 5 "$W/err")"; return; }
	ct_active gpd || { fail "gpd: $(cat "$W/out")"; return; }
	ct_listed || return
	[ "$LISTED" = "lc-nganh-giaoduc lc-sinho lc-tamduong" ] || { fail "listed: $LISTED"; return; }
}

# Asked at a terminal, the administrator presses Enter: the database stays.
test_ct_purge() {
	echo >"$W/enter"
	CT_IN=$W/enter CT_FRONTEND=teletype ct apt-get purge -y gpd
	[ "$RC" -eq 0 ] || { fail "apt-get purge: exit $RC: $(tail -n 5 "$W/err")"; return; }
	grep -q '^Delete the report database as well?' "$W/out" &&
	    grep -q 'The database in' "$W/out" ||
	    { fail "not asked: $(cat "$W/out")"; return; }
	ct dpkg-query -W -f '${db:Status-Abbrev}' gpd
	[ "$RC" -ne 0 ] || [ "$(cat "$W/out")" = "un " ] || { fail "status: $(cat "$W/out")"; return; }
	[ ! -e "$CT/etc/gpd/gpd.conf" ] && [ ! -e "$CT/etc/gpd/units.conf" ] ||
	    { fail "configuration left: $(ls "$CT/etc/gpd")"; return; }
	[ -s "$CT/etc/gpd/ca/ca.key" ] || { fail "the CA is gone"; return; }
	[ "$(stored)" = "$BEFORE" ] || { fail "the reports changed: $(stored)"; return; }
}

# The answer yes, given beforehand: the database goes, the CA stays.
test_ct_purge_yes() {
	ct_install new
	[ "$RC" -eq 0 ] || { fail "apt-get install: exit $RC: $(tail -n 5 "$W/err")"; return; }
	echo 'gpd gpd/purge-database boolean true' >"$CT/root/answer"
	ct debconf-set-selections /root/answer
	[ "$RC" -eq 0 ] || { fail "debconf-set-selections: $(cat "$W/err")"; return; }
	ct apt-get purge -y gpd
	[ "$RC" -eq 0 ] || { fail "apt-get purge: exit $RC: $(tail -n 5 "$W/err")"; return; }
	[ ! -e "$CT/var/lib/gpd" ] || { fail "/var/lib/gpd left: $(ls "$CT/var/lib/gpd")"; return; }
	[ -s "$CT/etc/gpd/ca/ca.key" ] || { fail "the CA is gone"; return; }
	ct debconf-show gpd
	[ ! -s "$W/out" ] || { fail "debconf keeps: $(cat "$W/out")"; return; }
}

# --- an upgrade ---------------------------------------------------------

OLD_VERSION=

# The packages of OLD_COMMIT, version $VERSION~git.COMMIT: that commit's
# tree with today's debian/, less the files its make install did not
# install yet.
test_old_build() {
	local src=$W/old/src short
	git -C "$ROOT" rev-parse -q --verify "$OLD_COMMIT^{commit}" >/dev/null ||
	    { fail "commit $OLD_COMMIT is not in this clone"; return; }
	short=$(git -C "$ROOT" rev-parse --short "$OLD_COMMIT")
	OLD_VERSION=$VERSION~git.$short
	mkdir -p "$src"
	git -C "$ROOT" archive "$OLD_COMMIT" | tar -C "$src" -xf -
	[ ! -e "$src/debian" ] || { fail "$OLD_COMMIT has debian/ already"; return; }
	cp -a "$ROOT/debian" "$src/"
	# What today's *.install name and that tree did not install yet
	# (gpd-certificate-check, and whatever comes later) is left out.
	cat >>"$src/debian/rules" <<'RULES'

execute_after_dh_auto_install:
	set -e; for f in debian/*.install; do \
	    while read -r from to; do \
	        if ls -d debian/tmp/$$from >/dev/null 2>&1; then echo "$$from $$to"; fi; \
	    done <$$f >$$f.old; mv $$f.old $$f; done
RULES
	cat >"$src/debian/changelog" <<EOF
gp ($OLD_VERSION) $SUITE; urgency=medium

  * A build of $short, database schema 3, for the upgrade test.

 -- gp maintainers <maintainers@users.noreply.r-seed-ef9b6225.example>  Sun, 29 Nov 2026 06:05:24 +0000
EOF
	dpkg --compare-versions "$OLD_VERSION" lt "$VERSION" || { fail "$OLD_VERSION >= $VERSION"; return; }
	RC=0
	(cd "$src" && DEB_BUILD_OPTIONS=nocheck nice -n 10 \
	    dpkg-buildpackage -us -uc -b -Jauto) >"$W/old.log" 2>&1 || RC=$?
	[ "$RC" -eq 0 ] || { fail "dpkg-buildpackage: exit $RC: $(tail -n 20 "$W/old.log")"; return; }
	OLD_DEBS=("$W/old/gpd_${OLD_VERSION}_$ARCH.deb" \
	    "$W/old/gp-client_${OLD_VERSION}_$ARCH.deb" "$W/old/gp-ca_${OLD_VERSION}_all.deb")
	ls "${OLD_DEBS[@]}" >/dev/null || { fail "no packages: $(ls "$W/old")"; return; }
}

test_up_old() {
	[ -n "$OLD_VERSION" ] || { fail "no older packages"; return; }
	ct_boot upgrade || { fail "cannot boot a $SUITE container"; return; }
	ct_put old "${OLD_DEBS[@]}"
	ct_put new "$GPD_DEB" "$CLIENT_DEB" "$CA_DEB"
	ct_install old
	[ "$RC" -eq 0 ] || { fail "apt-get install: exit $RC: $(tail -n 15 "$W/out" "$W/err")"; return; }
	ct_pki || return
	ct_edit_config
	ct systemctl restart gpd
	ct_active gpd || { fail "gpd $OLD_VERSION: $(cat "$W/out")"; return; }
	ct gpd -V
	[ "$(cat "$W/out" "$W/err")" = "gpd $OLD_VERSION" ] || { fail "gpd -V: $(cat "$W/out" "$W/err")"; return; }
	ct_submit_all || return
	[ "$(ctq 'pragma user_version')" = 3 ] || { fail "schema $(ctq 'pragma user_version')"; return; }
	BEFORE=$(stored)
	CONF_BEFORE=$(cat "$CT/etc/gpd/gpd.conf" "$CT/etc/gpd/units.conf")
}

test_up_upgrade() {
	[ -n "$BEFORE" ] || { fail "nothing stored before"; return; }
	local cursor pid
	ct systemctl show -p MainPID --value gpd
	pid=$(cat "$W/out")
	ct journalctl -n 0 --show-cursor -o cat
	cursor=$(sed -n 's/^-- cursor: //p' "$W/out")
	[ -n "$cursor" ] || { fail "no journal cursor: $(cat "$W/out")"; return; }
	# An edited conffile whose shipped text changed makes dpkg ask; with
	# no terminal here, the answer is its default (keep the edit, the
	# new text beside it as .dpkg-dist). test_up_config checks that only
	# those files were asked about.
	ct_install new -o Dpkg::Options::=--force-confdef \
	    -o Dpkg::Options::=--force-confold
	[ "$RC" -eq 0 ] || { fail "upgrade: exit $RC: $(tail -n 15 "$W/out" "$W/err")"; return; }
	ct gpd -V
	[ "$(cat "$W/out" "$W/err")" = "gpd $VERSION" ] || { fail "gpd -V: $(cat "$W/out" "$W/err")"; return; }
	ct_active gpd || { fail "gpd: $(cat "$W/out")"; return; }
	ct systemctl show -p MainPID --value gpd
	[ "$(cat "$W/out")" != "$pid" ] || { fail "gpd was not restarted"; return; }
	ct journalctl -u gpd.service --after-cursor "$cursor" -o cat
	cp "$W/out" "$W/upgrade.journal"
	[ "$(grep -c '^Started gpd.service' "$W/upgrade.journal")" = 1 ] &&
	    [ "$(grep -c '^Stopping gpd.service' "$W/upgrade.journal")" = 1 ] ||
	    { fail "not one restart: $(cat "$W/upgrade.journal")"; return; }
}

test_up_data() {
	local baks
	baks=$(cd "$CT/var/lib/gpd" && ls -- *.bak 2>/dev/null | paste -sd' ' -)
	[ "$baks" = gp.db.schema-3.bak ] || { fail "copies: '$baks'"; return; }
	local bak="/var/lib/gpd/gp.db.schema-3.bak"
	local schema
	schema=$(sed -n 's/^#define STORE_SCHEMA_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/daemon/store.h")
	[ "$(ctq 'pragma user_version')" = "$schema" ] || { fail "schema $(ctq 'pragma user_version'), not $schema"; return; }
	# Through the calendar's migration (6: lateness kept per revision,
	# extensions) and the review's (7: decisions).
	[ "$(ctq "select count(*) from sqlite_master where type = 'table' and name in ('extensions', 'reviews')")" = 2 ] ||
	    { fail "no extensions or reviews table"; return; }
	[ "$(ctq "select count(*) from reports where late = 1 and days_late < 1 or late = 0 and days_late <> 0")" = 0 ] ||
	    { fail "lateness: $(ctq "select unit, period, late, days_late, due from reports")"; return; }
	[ "$(stored)" = "$BEFORE" ] || { fail "reports: $(stored)"; return; }
	[ "$(ctq 'select count(*) from report_totals')" = 3 ] ||
	    { fail "totals: $(ctq 'select count(*) from report_totals')"; return; }
	cp "$CT$bak" "$W/bak.db"
	[ "$(sqlite3 "$W/bak.db" 'pragma user_version')" = 3 ] || { fail "the copy is not schema 3"; return; }
	CT=$W stored /bak.db >"$W/bak.stored" || { fail "the copy cannot be read"; return; }
	[ "$(cat "$W/bak.stored")" = "$BEFORE" ] || { fail "the copy differs"; return; }
	ct_listed || return
	[ "$LISTED" = "lc-nganh-giaoduc lc-sinho lc-tamduong" ] || { fail "listed: $LISTED"; return; }
}

test_up_config() {
	[ "$(cat "$CT/etc/gpd/gpd.conf" "$CT/etc/gpd/units.conf")" = "$CONF_BEFORE" ] ||
	    { fail "the configuration changed"; return; }
	local left want f
	left=$(cd "$CT" && find etc/gpd -name '*.dpkg-*' -o -name '*.ucf-*' | sort)
	# The edited files (gpd.conf, units.conf) whose shipped text changed
	# have the new text beside them; nothing else was asked about.
	want=$(changed_conffiles "${OLD_DEBS[0]}" "$GPD_DEB" |
	    grep -E '^/etc/gpd/(gpd|units)\.conf$' | sed 's|^/||; s|$|.dpkg-dist|' | sort)
	[ "$left" = "$want" ] || { fail "left by dpkg: '$left', expected '$want'"; return; }
	for f in $want; do
		cmp -s "$CT/$f" <(dpkg-deb --fsys-tarfile "$GPD_DEB" | tar -xOf - "./${f%.dpkg-dist}") ||
		    { fail "$f is not the new package's text"; return; }
	done
}

# Purged after the upgrade with nobody to ask (noninteractive), the
# database with its reports stays.
test_up_purge() {
	ct apt-get purge -y gpd gp-client gp-ca
	[ "$RC" -eq 0 ] || { fail "apt-get purge: exit $RC: $(tail -n 5 "$W/err")"; return; }
	[ "$(stored)" = "$BEFORE" ] || { fail "the reports changed"; return; }
	[ ! -e "$CT/etc/gpd/gpd.conf" ] || { fail "gpd.conf left"; return; }
	ct_stop
}

BEFORE=
CONF_BEFORE=
OLD_DEBS=()
t "make deb: gpd, gp-client, gp-ca built ($([ "$FULL" = 1 ] && echo 'unit tests run' || echo nocheck))" test_build
t "debian/rules clean: build/ and build-bench/ untouched" test_rules_clean
t "lintian: no error, no warning" test_lintian
t "dpkg -c: files, modes, owners; no file in two packages" test_contents
t "dpkg-deb -I: dependencies, conffiles, the purge question" test_control
t "gp-client-web's Vietnamese: gp-client.mo, of the same version" test_web_catalogue
t "gp-client(1) in Vietnamese: man/vi/man1, UTF-8" test_vi_man
t "systemd-analyze verify: the units as packaged" test_units
t "clean install with apt: user gpd, gpd -V" test_ct_install
t "clean install: gpd enabled, not started, says why" test_ct_waits
t "gpd -n: names the missing certificate, passes after gp-ca" test_ct_check
t "systemctl start gpd: serves, reports stored" test_ct_serve
t "remove: configuration, reports and user kept" test_ct_remove
t "install again: the same reports served" test_ct_reinstall
t "purge, asked, Enter: configuration gone, database and CA kept" test_ct_purge
t "purge, answer yes: database gone, CA kept" test_ct_purge_yes
ct_stop
t "older package built from $(echo "$OLD_COMMIT" | cut -c1-7) (schema 3)" test_old_build
t "older packages installed, reports stored" test_up_old
t "upgrade: new gpd, restarted once" test_up_upgrade
t "upgrade: migrated once, copy kept, no report lost" test_up_data
t "upgrade: edited configuration kept, the new text beside only what changed" test_up_config
t "purge after upgrade, nobody asked: reports kept" test_up_purge
summary
