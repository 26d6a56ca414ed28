#!/bin/sh
# Installs the Debian 12 packages gp needs to build, test and run the demo.
# As root it installs only what is missing; as another user it prints the
# command to run and exits 1. Quiet when everything is present.
set -eu

export DEBIAN_FRONTEND=noninteractive

PACKAGES="build-essential pkg-config libevent-dev libprotobuf-c-dev
	protobuf-c-compiler libsqlite3-dev libssl-dev libcmocka-dev
	libjansson-dev libinih-dev libsystemd-dev libxlsxwriter-dev openssl
	sqlite3 valgrind python3 mandoc ca-certificates systemd clang
	libclang-rt-14-dev dpkg-dev debhelper lintian mmdebstrap
	systemd-container procps git"
# libsystemd-dev: sd_notify, watchdog and socket activation in gpd.
# libxlsxwriter-dev: gp-client export --format xlsx.
# systemd: systemd-analyze, which the tests run on the units.
# clang, libclang-rt-14-dev: the libFuzzer harnesses in tests/fuzz.
# dpkg-dev, debhelper, lintian: make deb and its checks. mmdebstrap,
# systemd-container (systemd-nspawn), procps, git: tests/e2e/deb.sh makes
# a Debian 12 system, boots it, and builds an older commit's packages.
EXTRA_PACKAGES=${EXTRA_PACKAGES:-}

missing=
for p in $PACKAGES $EXTRA_PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
	if [ "$status" != installed ]; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: install them as root with:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi

echo "deps: installing$missing"
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
