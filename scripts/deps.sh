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
	libcairo2-dev libpango1.0-dev libpng-dev libminizip-dev
	fonts-liberation fonts-liberation2 python3-docx python3-openpyxl
	libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
	dpkg-dev debhelper lintian mmdebstrap systemd-container procps git
	libmicrohttpd-dev chromium chromium-driver python3-selenium curl
	iproute2
	faketime gettext gettext-base locales"
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
# libminizip-dev: gp-report's .docx is a zip package (minizip, zlib's zip
#   writer: zlib alone, where libzip brings libcrypto too).
# fonts-liberation, fonts-liberation2: Liberation Serif, metric-compatible
#   with Times New Roman, for the charts and for LibreOffice where Times is
#   absent.
# python3-docx, libreoffice-writer-nogui, poppler-utils: the tests read
#   gp-report's document with python-docx, convert it with LibreOffice
#   (soffice --headless) and read the PDF's text with pdftotext.
# gettext: xgettext, msgmerge and msgfmt build the catalogues (po/);
#   gettext-base: gettext.sh, which gp-ca speaks through. locales: the
#   vi_VN.UTF-8 locale, generated below, for the tests in Vietnamese.
# python3-openpyxl, libreoffice-calc-nogui: the tests read the charts of
#   gp-client's xlsx export and convert it once.
# dpkg-dev, debhelper, lintian: make deb and its checks. mmdebstrap,
# systemd-container (systemd-nspawn), procps, git: tests/e2e/deb.sh makes
# a Debian 12 system, boots it, and builds an older commit's packages.
# libmicrohttpd-dev: the HTTP server of gp-client-web, the report form in
#   the browser (gp-client web); gp-client itself does not link it.
# chromium, chromium-driver, python3-selenium: tests/e2e/web.sh drives the
#   page in a real browser, headless and offline (no network is used).
# curl, iproute2 (ss): web.sh's security checks of gp-client-web.
# faketime (and libfaketime with it): the reminder tests of gp-client
#   status run it under a fixed clock (tests/e2e/review.sh), and
#   tests/e2e/calendar.sh runs gpd and gp-client on one, at 01:00 in Lai
#   Châu on a day boundary and the night after a deadline.
EXTRA_PACKAGES=${EXTRA_PACKAGES:-}

missing=
for p in $PACKAGES $EXTRA_PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
	if [ "$status" != installed ]; then
		missing="$missing $p"
	fi
done

# The tests run gp-client in Vietnamese under LANG=vi_VN.UTF-8.
VI_LOCALE=vi_VN.UTF-8
has_vi_locale() {
	locale -a 2>/dev/null | grep -qix 'vi_VN.utf-\?8'
}

if [ -z "$missing" ] && has_vi_locale; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	if [ -n "$missing" ]; then
		echo "deps: missing Debian packages:$missing" >&2
		echo "deps: install them as root with:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	fi
	has_vi_locale || echo "deps: the $VI_LOCALE locale is missing: run" \
	    "this script as root to generate it" >&2
	exit 1
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! has_vi_locale; then
	echo "deps: generating the $VI_LOCALE locale"
	if grep -q "^# *$VI_LOCALE UTF-8" /etc/locale.gen; then
		sed -i "s/^# *\($VI_LOCALE UTF-8\)/\1/" /etc/locale.gen
	elif ! grep -q "^$VI_LOCALE UTF-8" /etc/locale.gen; then
		echo "$VI_LOCALE UTF-8" >> /etc/locale.gen
	fi
	locale-gen >/dev/null
fi
echo "deps: done"
