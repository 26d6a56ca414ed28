#!/bin/sh
# Installs the Debian 12 packages gp needs to build, test and run the demo.
# As root it installs only what is missing; as another user it prints the
# command to run and exits 1. Quiet when everything is present.
set -eu

export DEBIAN_FRONTEND=noninteractive

PACKAGES="build-essential pkg-config libevent-dev libprotobuf-c-dev
	protobuf-c-compiler libsqlite3-dev libssl-dev libcmocka-dev
	libjansson-dev libinih-dev libsystemd-dev libxlsxwriter-dev
	libutf8proc-dev openssl
	sqlite3 valgrind python3 mandoc ca-certificates systemd clang
	libclang-rt-14-dev
	libcairo2-dev libpango1.0-dev libpng-dev libzip-dev
	fonts-liberation fonts-liberation2 python3-docx
	libreoffice-writer-nogui poppler-utils
	dpkg-dev debhelper lintian mmdebstrap systemd-container procps git
	faketime"
# libsystemd-dev: sd_notify, watchdog and socket activation in gpd.
# libxlsxwriter-dev: gp-client export --format xlsx.
# libutf8proc-dev: UTF-8 decoding, NFC, display widths and the Unicode
#   categories of report text and of form labels (proto/text.c), on both
#   sides.
# systemd: systemd-analyze, which the tests run on the units.
# clang, libclang-rt-14-dev: the libFuzzer harnesses in tests/fuzz.
# libcairo2-dev, libpango1.0-dev: gp-report's charts (Vietnamese text
#   shaped and wrapped by pango, drawn by cairo into PNG).
# libpng-dev: gp-report encodes each chart row by row, in constant memory.
# libzip-dev: gp-report's .docx is a zip package.
# fonts-liberation, fonts-liberation2: Liberation Serif, metric-compatible
#   with Times New Roman, for the charts and for LibreOffice where Times is
#   absent.
# python3-docx, libreoffice-writer-nogui, poppler-utils: the tests read
#   gp-report's document with python-docx, convert it with LibreOffice
#   (soffice --headless) and read the PDF's text with pdftotext.
# dpkg-dev, debhelper, lintian: make deb and its checks. mmdebstrap,
# systemd-container (systemd-nspawn), procps, git: tests/e2e/deb.sh makes
# a Debian 12 system, boots it, and builds an older commit's packages.
# faketime (and libfaketime with it): tests/e2e/calendar.sh runs gpd and
#   gp-client on a fixed clock, at 01:00 in Lai Châu on a day boundary and
#   the night after a deadline.
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
