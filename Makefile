# gp: gpd (daemon) and gp-client (command line).
#
#   make                 build build/gpd, build/gp-client, build/gp-report
#   make check           lint, unit and end-to-end tests, the same under
#                        ASan/UBSan, unit tests under valgrind, fuzz
#   make check-unit      the unit tests only (cmocka)
#   make check-asan      unit and end-to-end tests under ASan + UBSan
#   make check-valgrind  unit tests under valgrind
#   make crash           power cuts at random sync points (tests/crash/)
#   make demo            throwaway PKI, daemon, sample submissions
#   make install         PREFIX=/usr/local DESTDIR=
#   make po              gp.pot from the sources, merged into each .po
#   make check-po        every message translated, gp.pot current,
#                        format strings that match (po/README)
#   make deb             Debian packages in build-deb/ (see the deb section)
#
# Every library comes from pkg-config; protoc-c generates gp.pb-c.[ch]
# into $(BUILD)/proto. Each source directory has its own include path and
# libraries: client code cannot include a daemon header, nor the reverse.
#
# Quiet: one line per file built ("  CC      client/cmd.c"); V=1 shows the
# commands themselves.

VERSION =	0.1.0
PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
SBINDIR ?=	$(PREFIX)/sbin
LIBEXECDIR ?=	$(PREFIX)/libexec
SYSCONFDIR ?=	/etc
LOCALEDIR ?=	$(PREFIX)/share/locale
BUILD ?=	build
BENCH_BUILD ?=	build-bench

CC ?=		cc
PKG_CONFIG ?=	pkg-config
PROTOC_C ?=	protoc-c
NM ?=		nm
MSGFMT ?=	msgfmt
XGETTEXT ?=	xgettext
MSGMERGE ?=	msgmerge

V ?=		0
ifeq ($(V),1)
Q_CC =
Q_LD =
Q_GEN =
else
Q_CC =		@echo "  CC      $<";
Q_LD =		@echo "  LD      $@";
Q_GEN =		@echo "  GEN     $@";
endif

WARN =		-Wall -Wextra -Wshadow -Wstrict-prototypes \
		-Wmissing-prototypes -Wformat=2 -Wcast-qual -Wpointer-arith \
		-Werror
OPT ?=		-O2 -g
SAN ?=
CFLAGS ?=
# Hardening by default; the sanitizer build drops _FORTIFY_SOURCE, whose
# checked functions ASan replaces.
HARDEN_CPPFLAGS ?= -D_FORTIFY_SOURCE=2
HARDEN_CFLAGS ?= -fstack-protector-strong -fPIE
HARDEN_LDFLAGS ?= -pie -Wl,-z,relro,-z,now
CPPFLAGS +=	-D_GNU_SOURCE -DGP_VERSION='"$(VERSION)"' \
		-DGP_SYSCONFDIR='"$(SYSCONFDIR)"' \
		-DGP_LIBEXECDIR='"$(LIBEXECDIR)/gp"' \
		-DGP_LOCALEDIR='"$(LOCALEDIR)"' $(HARDEN_CPPFLAGS)
ALL_CFLAGS =	-std=c11 $(WARN) $(OPT) $(HARDEN_CFLAGS) $(SAN) $(CFLAGS)
LDFLAGS +=	$(HARDEN_LDFLAGS) $(SAN)

PROTO_PKGS =	libprotobuf-c openssl jansson libutf8proc
DAEMON_PKGS =	libevent_openssl libevent_pthreads libevent sqlite3 inih \
		libsystemd
CLIENT_PKGS =	inih sqlite3 jansson
WEB_PKGS =	libmicrohttpd sqlite3 jansson openssl
# Loaded by the first xlsx export (client/xlsx.h), not linked: its headers
# only, and the name of the library they come with.
XLSX_PKG =	xlsxwriter
XLSX_SONAME =	$(shell objdump -p "$$($(CC) -print-file-name=libxlsxwriter.so)" \
		2>/dev/null | sed -n 's/^ *SONAME *//p')
TEST_PKGS =	cmocka

pc_cflags =	$(shell $(PKG_CONFIG) --cflags $(1))
pc_libs =	$(shell $(PKG_CONFIG) --libs $(1))

PROTO_SRCS =	proto/report.c proto/legacy.c proto/wire.c proto/frame.c \
		proto/period.c \
		proto/validate.c proto/warning.c proto/report_json.c \
		proto/receipt.c \
		proto/text.c proto/form.c proto/form_json.c \
		proto/form_set.c proto/i18n.c proto/vnfmt.c proto/tz.c \
		proto/placeholder.c proto/report_diff.c
# Top to bottom: start-up, accepting, connections, requests, replies,
# the writer, event loops, the store and what every layer uses.
DAEMON_SRCS =	daemon/gpd.c daemon/listener.c daemon/session.c \
		daemon/dispatch.c daemon/submit.c daemon/query.c \
		daemon/admin.c daemon/review.c daemon/extend.c \
		daemon/request.c daemon/reply.c \
		daemon/writer.c daemon/worker.c daemon/readers.c \
		daemon/refusals.c daemon/halfopen.c \
		daemon/store.c daemon/settings.c daemon/config.c \
		daemon/units.c daemon/tls.c daemon/log.c
CLIENT_SRCS =	client/gp-client.c client/cmd.c client/cause.c \
		client/submit.c client/kept.c client/conn.c client/output.c \
		client/fmt.c client/admin.c client/admin_list.c \
		client/admin_show.c client/admin_history.c \
		client/admin_totals.c client/admin_export.c \
		client/admin_audit.c client/export.c \
		client/outbox.c client/deliver.c client/queue.c client/doctor.c \
		client/pem.c client/proof.c client/outfile.c client/trace.c \
		client/xlsx.c client/forms.c client/form_cmd.c client/send.c \
		client/web.c client/admin_review.c client/status.c \
		client/status_cmd.c client/zone.c client/admin_extend.c \
		client/conf.c client/setup.c \
		client/admin_report.c client/report_conf.c client/gpreport.c \
		client/xlsx_charts.c client/xlsx_print.c \
		client/admin_compare.c
# gp-client-web: the form in the browser (client/web.h), with what it
# shares with gp-client to send a report and to keep forms.
WEB_SRCS =	client/web_main.c client/web_http.c client/web_api.c \
		client/web_send.c client/web_draft.c client/web_form.c \
		client/web_open.c
WEB_SHARED_SRCS = client/send.c client/queue.c client/deliver.c \
		client/conn.c client/outbox.c client/output.c client/fmt.c \
		client/proof.c client/pem.c client/cause.c client/outfile.c \
		client/trace.c client/forms.c client/status.c client/zone.c
WEB_ASSETS =	client/web/index.html client/web/style.css client/web/app.js

PB_GEN =	$(BUILD)/proto/gp.pb-c.c $(BUILD)/proto/gp.pb-c.h
PB_OBJ =	$(BUILD)/proto/gp.pb-c.o
FORM_BUILTIN_OBJ = $(BUILD)/proto/form_builtin.o
PROTO_OBJS =	$(PB_OBJ) $(PROTO_SRCS:%.c=$(BUILD)/%.o) $(FORM_BUILTIN_OBJ)
DAEMON_OBJS =	$(DAEMON_SRCS:%.c=$(BUILD)/%.o)
CLIENT_OBJS =	$(CLIENT_SRCS:%.c=$(BUILD)/%.o)
WEB_OBJS =	$(WEB_SRCS:%.c=$(BUILD)/%.o) $(WEB_SHARED_SRCS:%.c=$(BUILD)/%.o) \
		$(BUILD)/client/web_assets.o

PROTO_LIBS =	$(call pc_libs,$(PROTO_PKGS))
DAEMON_LIBS =	$(call pc_libs,$(DAEMON_PKGS)) $(PROTO_LIBS)
CLIENT_LIBS =	$(call pc_libs,$(CLIENT_PKGS)) $(PROTO_LIBS) -ldl
WEB_LIBS =	$(call pc_libs,$(WEB_PKGS)) $(PROTO_LIBS) -pthread

# What each directory may include, and the flags of its libraries.
PROTO_INC =	-Iproto -I$(BUILD)/proto
PROTO_CFLAGS =	$(PROTO_INC) $(call pc_cflags,$(PROTO_PKGS))
DAEMON_CFLAGS =	-Idaemon $(PROTO_INC) \
		$(call pc_cflags,$(DAEMON_PKGS) $(PROTO_PKGS))
CLIENT_CFLAGS =	-Iclient $(PROTO_INC) \
		$(call pc_cflags,$(CLIENT_PKGS) $(XLSX_PKG) $(PROTO_PKGS))
# A test adds the directory of the module it tests (TEST_DIR below).
TEST_CFLAGS =	$(PROTO_INC) $(call pc_cflags,$(PROTO_PKGS) $(TEST_PKGS))

UNIT_TESTS =	test_frame test_report test_period test_validate \
		test_report_json test_store test_receipt test_fmt test_outbox \
		test_pem test_proof test_text test_cmd test_form test_outfile \
		test_readers test_config test_units test_session test_wire \
		test_findings test_crashsim test_web_draft test_web_api \
		test_log test_refusals test_halfopen test_i18n test_status \
		test_tz test_report_diff test_conf_report test_warning \
		test_xlsx_print
UNIT_BINS =	$(UNIT_TESTS:%=$(BUILD)/tests/%)

# Plain "make" builds everything: the first rule of report.mk, included
# below, would otherwise be the default.
.DEFAULT_GOAL := all

# gp-report, its tests and its libraries: a section of its own.
include report/report.mk

# The catalogues (po/README): one po/LANG.po of every message, and from
# it one catalogue a program, each in that program's package: gp-client.mo
# (client/ and proto/), gpd.mo (daemon/ and proto/), gp-ca.mo. Built in
# $(BUILD)/locale, where the tests point GP_LOCALEDIR; installed under
# $(LOCALEDIR).
PO_LANGS =	vi
PO_DOMAINS =	gp-client gpd gp-ca
MO_FILES =	$(foreach l,$(PO_LANGS),$(PO_DOMAINS:%=$(BUILD)/locale/$(l)/LC_MESSAGES/%.mo))
MSGGREP ?=	msggrep

.PHONY: all check test check-unit check-e2e check-asan check-valgrind \
	check-layers demo install uninstall clean deps

all: $(BUILD)/gpd $(BUILD)/gp-client $(BUILD)/gp-client-web \
    $(BUILD)/gp-report $(MO_FILES)

# One protoc-c run makes both files, also under -j.
$(PB_GEN) &: proto/gp.proto
	@mkdir -p $(BUILD)/proto
	$(Q_GEN)$(PROTOC_C) --proto_path=proto --c_out=$(BUILD)/proto proto/gp.proto

COMPILE =	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP

# Every object may include the generated header.
$(BUILD)/proto/%.o: proto/%.c $(BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(Q_CC)$(COMPILE) $(PROTO_CFLAGS) -c $< -o $@

$(BUILD)/daemon/%.o: daemon/%.c $(BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(Q_CC)$(COMPILE) $(DAEMON_CFLAGS) -c $< -o $@

$(BUILD)/client/%.o: client/%.c $(BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(Q_CC)$(COMPILE) $(CLIENT_CFLAGS) -c $< -o $@

$(BUILD)/client/xlsx.o: CLIENT_CFLAGS += -DXLSX_SONAME='"$(or $(XLSX_SONAME),\
    $(error no libxlsxwriter.so found to name: install libxlsxwriter-dev))"'

# gp-report beside gp-client, or where make install puts it.
$(BUILD)/client/gpreport.o: CLIENT_CFLAGS += -DGP_BINDIR='"$(BINDIR)"'

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(Q_CC)$(COMPILE) $(TEST_CFLAGS) $(TEST_DIR) -c $< -o $@

$(PB_OBJ): $(BUILD)/proto/gp.pb-c.c
	$(Q_CC)$(COMPILE) $(PROTO_CFLAGS) -c $< -o $@

# The built-in form: etc/forms/2022.json assembled in (.incbin), so the
# binaries hold the very bytes that are installed.
$(FORM_BUILTIN_OBJ): proto/form_builtin.S etc/forms/2022.json
	@mkdir -p $(dir $@)
	$(Q_CC)$(CC) $(CPPFLAGS) -c proto/form_builtin.S -o $@

$(BUILD)/libgpproto.a: $(PROTO_OBJS)
	@rm -f $@
	$(Q_LD)ar rcs $@ $(PROTO_OBJS)

$(BUILD)/gpd: $(DAEMON_OBJS) $(BUILD)/libgpproto.a
	$(Q_LD)$(CC) $(LDFLAGS) -pthread -o $@ $(DAEMON_OBJS) $(BUILD)/libgpproto.a \
	    $(DAEMON_LIBS)

$(BUILD)/gp-client: $(CLIENT_OBJS) $(BUILD)/libgpproto.a
	$(Q_LD)$(CC) $(LDFLAGS) -pthread -o $@ $(CLIENT_OBJS) \
	    $(BUILD)/libgpproto.a \
	    $(CLIENT_LIBS)

$(WEB_SRCS:%.c=$(BUILD)/%.o): CLIENT_CFLAGS += $(call pc_cflags,libmicrohttpd)

# The page's files assembled in (.incbin), as the built-in form is.
$(BUILD)/client/web_assets.o: client/web_assets.S $(WEB_ASSETS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -c client/web_assets.S -o $@

$(BUILD)/gp-client-web: $(WEB_OBJS) $(BUILD)/libgpproto.a
	$(CC) $(LDFLAGS) -pthread -o $@ $(WEB_OBJS) $(BUILD)/libgpproto.a \
	    $(WEB_LIBS)

# Unit tests: one binary per module, linking the module and what it needs.
CMOCKA_LIBS =	$(call pc_libs,$(TEST_PKGS))
REPORT_OBJS =	$(BUILD)/proto/report.o $(BUILD)/proto/legacy.o \
		$(BUILD)/proto/wire.o $(BUILD)/proto/frame.o \
		$(BUILD)/proto/text.o $(PB_OBJ)
TEST_LINK =	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/tests/test_frame: $(BUILD)/tests/unit/test_frame.o \
    $(BUILD)/proto/frame.o
	$(TEST_LINK) $(CMOCKA_LIBS)

$(BUILD)/tests/test_period: $(BUILD)/tests/unit/test_period.o \
    $(BUILD)/proto/period.o
	$(TEST_LINK) $(CMOCKA_LIBS)

$(BUILD)/tests/test_tz: $(BUILD)/tests/unit/test_tz.o $(BUILD)/proto/tz.o \
    $(BUILD)/proto/period.o
	$(TEST_LINK) $(CMOCKA_LIBS)

$(BUILD)/tests/test_report_diff: $(BUILD)/tests/unit/test_report_diff.o \
    $(BUILD)/proto/report_diff.o $(REPORT_OBJS)
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

FORM_OBJS =	$(BUILD)/proto/form.o $(BUILD)/proto/form_json.o \
		$(BUILD)/proto/form_set.o $(FORM_BUILTIN_OBJ) \
		$(BUILD)/proto/period.o $(BUILD)/proto/placeholder.o
# The checks, with the language of their messages (i18n.h).
VALIDATE_OBJS =	$(BUILD)/proto/validate.o $(BUILD)/proto/warning.o \
		$(BUILD)/proto/i18n.o $(BUILD)/proto/vnfmt.o
# The form for the legacy codes' check; legacy.o names its lists.
$(BUILD)/tests/test_report: $(BUILD)/tests/unit/test_report.o $(REPORT_OBJS) \
    $(FORM_OBJS)
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

# With the build's catalogue: the messages in Vietnamese too.
$(BUILD)/tests/unit/test_validate.o: TEST_DIR = \
		-DTEST_LOCALEDIR='"$(abspath $(BUILD))/locale"'
$(BUILD)/tests/test_validate: $(BUILD)/tests/unit/test_validate.o \
    $(VALIDATE_OBJS) $(REPORT_OBJS) $(FORM_OBJS) | $(MO_FILES)
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_report_json: $(BUILD)/tests/unit/test_report_json.o \
    $(BUILD)/proto/report_json.o $(VALIDATE_OBJS) \
    $(REPORT_OBJS) $(FORM_OBJS)
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_form: $(BUILD)/tests/unit/test_form.o $(FORM_OBJS) \
    $(BUILD)/proto/text.o
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

# Warnings said from codes, in English and Vietnamese (the build's
# catalogue).
$(BUILD)/tests/unit/test_warning.o: TEST_DIR = \
		-DTEST_LOCALEDIR='"$(abspath $(BUILD))/locale"'
$(BUILD)/tests/test_warning: $(BUILD)/tests/unit/test_warning.o \
    $(VALIDATE_OBJS) $(REPORT_OBJS) $(FORM_OBJS) | $(MO_FILES)
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

# The language and the reader's numbers, with the build's catalogue.
$(BUILD)/tests/unit/test_i18n.o: TEST_DIR = \
		-DTEST_LOCALEDIR='"$(abspath $(BUILD))/locale"'
$(BUILD)/tests/test_i18n: $(BUILD)/tests/unit/test_i18n.o \
    $(BUILD)/proto/i18n.o $(BUILD)/proto/vnfmt.o | $(MO_FILES)
	$(TEST_LINK) $(CMOCKA_LIBS)

$(BUILD)/tests/test_receipt: $(BUILD)/tests/unit/test_receipt.o \
    $(BUILD)/proto/receipt.o
	$(TEST_LINK) $(call pc_libs,openssl) $(CMOCKA_LIBS)

# The wire decoders under an allocator that fails at every allocation in
# turn: malloc, calloc, realloc and free are wrapped at link time.
WRAP_ALLOC =	-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
$(BUILD)/tests/test_wire: $(BUILD)/tests/unit/test_wire.o $(REPORT_OBJS)
	$(TEST_LINK) $(WRAP_ALLOC) $(PROTO_LIBS) $(CMOCKA_LIBS)

# Daemon modules.
DAEMON_TESTS =	test_store test_readers test_config test_units test_session \
		test_log test_refusals test_halfopen
$(DAEMON_TESTS:%=$(BUILD)/tests/unit/%.o): TEST_DIR = -Idaemon \
		$(call pc_cflags,$(DAEMON_PKGS))

# unlink wrapped: the test puts a link back at a name the moment it is
# removed, as someone racing gpd -b would.
$(BUILD)/tests/test_store: $(BUILD)/tests/unit/test_store.o \
    $(BUILD)/daemon/store.o $(BUILD)/proto/receipt.o $(VALIDATE_OBJS) \
    $(REPORT_OBJS) $(FORM_OBJS)
	$(TEST_LINK) -Wl,--wrap=unlink $(call pc_libs,sqlite3) $(PROTO_LIBS) \
	    $(CMOCKA_LIBS)

$(BUILD)/tests/test_readers: $(BUILD)/tests/unit/test_readers.o \
    $(BUILD)/daemon/readers.o $(BUILD)/daemon/store.o \
    $(BUILD)/proto/receipt.o $(VALIDATE_OBJS) $(REPORT_OBJS) $(FORM_OBJS)
	$(TEST_LINK) $(call pc_libs,sqlite3) $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_config: $(BUILD)/tests/unit/test_config.o \
    $(BUILD)/daemon/config.o $(BUILD)/proto/period.o $(BUILD)/proto/tz.o
	$(TEST_LINK) $(call pc_libs,inih) $(CMOCKA_LIBS)

$(BUILD)/tests/test_units: $(BUILD)/tests/unit/test_units.o \
    $(BUILD)/daemon/units.o $(VALIDATE_OBJS) $(REPORT_OBJS) \
    $(FORM_OBJS)
	$(TEST_LINK) $(call pc_libs,inih) $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_log: $(BUILD)/tests/unit/test_log.o \
    $(BUILD)/daemon/log.o $(BUILD)/proto/text.o
	$(TEST_LINK) $(call pc_libs,libutf8proc) $(CMOCKA_LIBS)

$(BUILD)/tests/test_refusals: $(BUILD)/tests/unit/test_refusals.o \
    $(BUILD)/daemon/refusals.o
	$(TEST_LINK) -pthread $(CMOCKA_LIBS)

$(BUILD)/tests/test_halfopen: $(BUILD)/tests/unit/test_halfopen.o \
    $(BUILD)/daemon/halfopen.o
	$(TEST_LINK) $(CMOCKA_LIBS)

# The session and dispatch layers over a socketpair, with the real
# writer and store, a test PKI made by the test itself.
SESSION_TEST_OBJS = $(filter-out $(BUILD)/daemon/gpd.o \
		$(BUILD)/daemon/listener.o,$(DAEMON_OBJS))
$(BUILD)/tests/test_session: $(BUILD)/tests/unit/test_session.o \
    $(SESSION_TEST_OBJS) $(BUILD)/libgpproto.a
	$(TEST_LINK) -pthread $(DAEMON_LIBS) $(CMOCKA_LIBS)

# One named test per past fuzz finding (tests/fuzz/README.md).
$(BUILD)/tests/unit/test_findings.o: TEST_DIR = -Idaemon
$(BUILD)/tests/test_findings: $(BUILD)/tests/unit/test_findings.o \
    $(BUILD)/daemon/units.o $(BUILD)/proto/report_json.o \
    $(VALIDATE_OBJS) $(REPORT_OBJS) $(FORM_OBJS)
	$(TEST_LINK) $(call pc_libs,inih) $(PROTO_LIBS) $(CMOCKA_LIBS)

# Client modules.
CLIENT_TESTS =	test_fmt test_cmd test_pem test_proof test_outbox test_outfile \
		test_web_draft test_web_api test_status test_conf_report
$(CLIENT_TESTS:%=$(BUILD)/tests/unit/%.o): TEST_DIR = -Iclient
$(BUILD)/tests/web_send_stub.o: TEST_DIR = -Iclient

$(BUILD)/tests/test_text: $(BUILD)/tests/unit/test_text.o \
    $(BUILD)/proto/text.o
	$(TEST_LINK) $(call pc_libs,libutf8proc) $(CMOCKA_LIBS)

$(BUILD)/tests/test_fmt: $(BUILD)/tests/unit/test_fmt.o \
    $(BUILD)/client/fmt.o $(BUILD)/proto/text.o
	$(TEST_LINK) $(call pc_libs,libutf8proc jansson) $(CMOCKA_LIBS)

$(BUILD)/tests/test_cmd: $(BUILD)/tests/unit/test_cmd.o \
    $(BUILD)/client/cmd.o $(BUILD)/client/cause.o $(BUILD)/client/fmt.o \
    $(BUILD)/proto/text.o
	$(TEST_LINK) $(call pc_libs,libutf8proc jansson) $(CMOCKA_LIBS)

$(BUILD)/tests/test_pem: $(BUILD)/tests/unit/test_pem.o $(BUILD)/client/pem.o
	$(TEST_LINK) $(CMOCKA_LIBS)

$(BUILD)/tests/test_proof: $(BUILD)/tests/unit/test_proof.o \
    $(BUILD)/client/proof.o $(BUILD)/client/pem.o $(BUILD)/client/fmt.o \
    $(BUILD)/client/cause.o $(BUILD)/proto/receipt.o \
    $(BUILD)/proto/i18n.o $(BUILD)/proto/vnfmt.o $(REPORT_OBJS)
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_conf_report: $(BUILD)/tests/unit/test_conf_report.o \
    $(BUILD)/client/report_conf.o $(BUILD)/proto/text.o
	$(TEST_LINK) $(call pc_libs,libutf8proc jansson) $(CMOCKA_LIBS)

# libxlsxwriter stubbed: the test is given the functions xlsx.h loads.
$(BUILD)/tests/unit/test_xlsx_print.o: TEST_DIR = -Iclient \
		$(call pc_cflags,$(XLSX_PKG))
$(BUILD)/tests/test_xlsx_print: $(BUILD)/tests/unit/test_xlsx_print.o \
    $(BUILD)/client/xlsx_print.o $(BUILD)/proto/text.o
	$(TEST_LINK) $(call pc_libs,libutf8proc) $(CMOCKA_LIBS)

$(BUILD)/tests/test_outfile: $(BUILD)/tests/unit/test_outfile.o \
    $(BUILD)/client/outfile.o $(BUILD)/client/cause.o
	$(TEST_LINK) $(CMOCKA_LIBS)

$(BUILD)/tests/test_outbox: $(BUILD)/tests/unit/test_outbox.o \
    $(BUILD)/client/outbox.o $(BUILD)/client/cause.o $(REPORT_OBJS)
	$(TEST_LINK) $(call pc_libs,sqlite3) $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_web_draft: $(BUILD)/tests/unit/test_web_draft.o \
    $(BUILD)/client/web_draft.o $(BUILD)/client/outfile.o \
    $(BUILD)/client/cause.o
	$(TEST_LINK) $(call pc_libs,jansson) $(CMOCKA_LIBS)

# The connection is stubbed in the test: e2e/review.sh and web.sh use gpd.
$(BUILD)/tests/test_status: $(BUILD)/tests/unit/test_status.o \
    $(BUILD)/client/status.o $(BUILD)/client/fmt.o $(BUILD)/proto/period.o \
    $(BUILD)/proto/text.o $(PB_OBJ)
	$(TEST_LINK) $(call pc_libs,jansson libprotobuf-c libutf8proc) \
	    $(CMOCKA_LIBS)

# web_send.c is stubbed (tests/web_send_stub.c): it needs a server
# (e2e/web.sh).
$(BUILD)/tests/test_web_api: $(BUILD)/tests/unit/test_web_api.o \
    $(BUILD)/tests/web_send_stub.o $(BUILD)/client/web_api.o $(BUILD)/client/web_form.o \
    $(BUILD)/client/web_draft.o $(BUILD)/client/outfile.o \
    $(BUILD)/client/cause.o \
    $(BUILD)/libgpproto.a
	$(TEST_LINK) $(PROTO_LIBS) $(CMOCKA_LIBS)

# check: what CI runs. test: the suites once, in this build; check also
# lints, runs them under ASan+UBSan, the unit tests under valgrind, every
# saved fuzz finding through its harness and each harness briefly.
check: lint-man check-layers check-po test check-asan check-valgrind \
	fuzz-crashes fuzz-ci

test: check-unit check-e2e check-report

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# The daemon's layers call upward only through callbacks: the event loops
# and the writer name no function of the layers above them.
UPPER_LAYERS =	listener|session|dispatch|submit|query|admin|review|extend|request|handler
check-layers: $(BUILD)/daemon/worker.o $(BUILD)/daemon/writer.o
	@if $(NM) $(BUILD)/daemon/worker.o $(BUILD)/daemon/writer.o | \
	    grep -E ' ($(UPPER_LAYERS))_'; then \
	    echo "check-layers: worker.o or writer.o names a layer above" \
	        "it" >&2; exit 1; fi
	@echo "check-layers: worker.o and writer.o name no layer above them"

# The build's catalogues: GP_LOCALEDIR points gpd, gp-client and gp-ca at
# them instead of the installed ones.
E2E_ENV =	GPD=$(BUILD)/gpd GP_CLIENT=$(BUILD)/gp-client \
		GP_LOCALEDIR=$(abspath $(BUILD))/locale
check-e2e: $(BUILD)/gpd $(BUILD)/gp-client $(BUILD)/gp-client-web \
    $(MO_FILES)
	$(E2E_ENV) tests/e2e/run.sh
	$(E2E_ENV) tests/e2e/hostile.sh
	$(E2E_ENV) tests/e2e/snapshots.sh
	$(E2E_ENV) tests/e2e/ops.sh
	$(E2E_ENV) tests/e2e/outbox.sh
	$(E2E_ENV) tests/e2e/admin.sh
	$(E2E_ENV) tests/e2e/receipts.sh
	$(E2E_ENV) tests/e2e/review.sh
	$(E2E_ENV) tests/e2e/gp-ca.sh
	$(E2E_ENV) tests/e2e/client.sh
	$(E2E_ENV) tests/e2e/attack.sh
	$(E2E_ENV) tests/e2e/forms.sh
	$(E2E_ENV) tests/e2e/upgrade.sh
	$(E2E_ENV) GP_CLIENT_WEB=$(BUILD)/gp-client-web tests/e2e/web.sh
	$(E2E_ENV) tests/e2e/i18n.sh
	$(E2E_ENV) tests/e2e/setup.sh
	$(E2E_ENV) tests/e2e/calendar.sh
	BUILD=$(BUILD) tests/e2e/systemd.sh

# SOFFICE=no: LibreOffice reads gp-report's output, not gp-report; one
# conversion (in test) is enough.
check-asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
	    HARDEN_CPPFLAGS= \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' \
	    SOFFICE=no test

check-valgrind: $(UNIT_BINS) $(GPREPORT_UNIT_BINS)
	@set -e; for t in $(UNIT_BINS) $(GPREPORT_UNIT_BINS); do \
	    echo "== valgrind $$t"; \
	    valgrind -q --error-exitcode=1 --leak-check=full \
	    --suppressions=tests/unit/valgrind.supp \
	    --errors-for-leak-kinds=definite,indirect $$t; done

# The long variants of the hostile suite (hundreds of kill -9, slow peers,
# storage faults again and again) and an hour of each fuzz harness.
.PHONY: stress
stress: $(BUILD)/gpd $(BUILD)/gp-client
	$(E2E_ENV) tests/e2e/stress.sh
	$(MAKE) fuzz FUZZ_SECONDS=3600

demo: all
	@scripts/demo.sh $(BUILD)

deps:
	scripts/deps.sh

clean:
	rm -rf build build-asan $(FUZZ_BUILD) $(BENCH_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
include tests/fuzz/fuzz.mk
include tests/crash/crash.mk

# --- po: the catalogues ----------------------------------------------------
# make po (or update-po) extracts every marked message of the files in
# po/POTFILES into po/gp.pot and merges it into each po/LANG.po; then
# translate what is new or fuzzy. make check-po (part of check) fails when
# gp.pot is not what the sources say, when a .po leaves a message
# untranslated or fuzzy, when msgfmt --check finds a format that differs,
# or when a file listed as done in po/POTFILES prints a message that is
# not marked (po/lint-messages.py). make po-todo lists what is not marked
# yet in every file.
.PHONY: po update-po check-po po-todo

POTFILES :=	$(shell sed -e 's/\#.*//' po/POTFILES | awk 'NF { print $$1 }')
POT_C =		$(filter %.c %.h,$(POTFILES))
POT_SH =	$(filter-out %.c %.h,$(POTFILES))
XGETTEXT_OPTS =	--from-code=UTF-8 --add-comments=TRANSLATORS: \
		--add-location=file --sort-by-file \
		--package-name=gp --package-version=$(VERSION) \
		--msgid-bugs-address='gp maintainers' \
		--copyright-holder='gp maintainers'
XGETTEXT_C =	--language=C --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
		--keyword=ngettext:1,2 \
		--flag=_:1:pass-c-format --flag=N_:1:pass-c-format
XGETTEXT_SH =	--language=Shell --keyword=msg --keyword=nmsg:1,2 \
		--flag=msg:1:sh-format --flag=nmsg:1:sh-format \
		--flag=nmsg:2:sh-format

# A program's messages: those its sources print.
$(BUILD)/locale/%/LC_MESSAGES/gp-client.mo: po/%.po
	@mkdir -p $(dir $@)
	$(Q_GEN)$(MSGGREP) -N 'client/*' -N 'proto/*' $< | \
	    $(MSGFMT) --check -o $@ -
$(BUILD)/locale/%/LC_MESSAGES/gpd.mo: po/%.po
	@mkdir -p $(dir $@)
	$(Q_GEN)$(MSGGREP) -N 'daemon/*' -N 'proto/*' $< | \
	    $(MSGFMT) --check -o $@ -
$(BUILD)/locale/%/LC_MESSAGES/gp-ca.mo: po/%.po
	@mkdir -p $(dir $@)
	$(Q_GEN)$(MSGGREP) -N 'scripts/gp-ca' $< | $(MSGFMT) --check -o $@ -

# The catalogue template as the sources say it: to compare and to copy.
$(BUILD)/po/gp.pot: $(POTFILES) po/POTFILES
	@mkdir -p $(dir $@)
	$(Q_GEN)$(XGETTEXT) $(XGETTEXT_OPTS) $(XGETTEXT_C) -o $@.tmp \
	    $(POT_C)
	@sed -i 's/charset=CHARSET/charset=UTF-8/' $@.tmp
	@$(XGETTEXT) $(XGETTEXT_OPTS) $(XGETTEXT_SH) -j -o $@.tmp $(POT_SH)
	@mv $@.tmp $@

po update-po: $(BUILD)/po/gp.pot
	cp $(BUILD)/po/gp.pot po/gp.pot
	@set -e; for l in $(PO_LANGS); do \
	    echo "$(MSGMERGE) --update --add-location=file po/$$l.po po/gp.pot"; \
	    $(MSGMERGE) --quiet --update --backup=none --add-location=file \
	        po/$$l.po po/gp.pot; done
	@po/check-po.sh --report po $(PO_LANGS)

check-po: $(BUILD)/po/gp.pot
	po/check-po.sh $(BUILD)/po/gp.pot po $(PO_LANGS)
	python3 po/lint-messages.py po/POTFILES

po-todo:
	@python3 po/lint-messages.py --all po/POTFILES client/*.c proto/*.c

# --- install, uninstall, lint-man ------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]
#   gpd and gp-ca to $(SBINDIR), gp-client and gp-report to $(BINDIR)
#   (gp-report is run by gp-client report, and by hand on saved report
#   data, so it is a command like the others), gp-client-web to
#   $(LIBEXECDIR)/gp (gp-client web finds it there), man pages (and
#   gp-client(1) in Vietnamese under $(MANDIR)/vi), the
#   systemd units (with /usr/sbin, /usr/libexec and /etc rewritten to
#   $(SBINDIR), $(LIBEXECDIR) and $(SYSCONFDIR)) and gpd's start condition
#   in $(LIBEXECDIR)/gpd, the sysusers.d file, sample configuration in $(DOCDIR);
#   $(SYSCONFDIR)/gpd/gpd.conf, units.conf and forms/2022.json only where
#   absent: an existing configuration is never overwritten.
# make uninstall removes all of that except $(SYSCONFDIR)/gpd, which holds
#   the configuration (perhaps edited) and the CA: remove it by hand.
# make lint-man checks every man page with mandoc.

MANDIR ?=	$(PREFIX)/share/man
DOCDIR ?=	$(PREFIX)/share/doc/gp
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSTEMDUSERUNITDIR ?= $(PREFIX)/lib/systemd/user
SYSUSERSDIR ?=	$(PREFIX)/lib/sysusers.d
MANDOC ?=	mandoc

MAN1 =		client/gp-client.1 report/gp-report.1
# Translated pages: $(MANDIR)/LANG/man1/gp-client.1 from client/gp-client.LANG.1.
MAN1_VI =	client/gp-client.vi.1
MAN5 =		daemon/gpd.conf.5 proto/gp-forms.5
MAN8 =		daemon/gpd.8 scripts/gp-ca.8
SYSTEMD_UNITS =	systemd/gpd.service systemd/gp-ca-crl.service \
		systemd/gp-ca-crl.timer
SYSTEMD_USER_UNITS = systemd/gp-client-flush.service \
		systemd/gp-client-flush.timer \
		systemd/gp-client-remind.service \
		systemd/gp-client-remind.timer
CONF_SAMPLES =	etc/gpd.conf etc/units.conf
FORMS =		etc/forms/2022.json
EXAMPLES =	$(CONF_SAMPLES) etc/gp-client.conf
INSTALL_PATHS =	sed -e 's|/usr/sbin/|$(SBINDIR)/|g' \
		    -e 's|/usr/bin/|$(BINDIR)/|g' \
		    -e 's|/usr/libexec/|$(LIBEXECDIR)/|g' \
		    -e 's|/etc/gpd|$(SYSCONFDIR)/gpd|g' \
		    -e 's|/usr/share/locale|$(LOCALEDIR)|g'

.PHONY: lint-man

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/vi/man1 \
	    $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR) \
	    $(DESTDIR)$(SYSTEMDUSERUNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR)/examples \
	    $(DESTDIR)$(SYSCONFDIR)/gpd $(DESTDIR)$(SYSCONFDIR)/gpd/forms \
	    $(DESTDIR)$(LIBEXECDIR)/gpd
	@set -e; for l in $(PO_LANGS); do \
	    d=$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; install -d $$d; \
	    for m in $(PO_DOMAINS); do \
	    echo "install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/$$m.mo $$d"; \
	    install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/$$m.mo $$d; \
	    done; done
	install -m 755 $(BUILD)/gpd $(DESTDIR)$(SBINDIR)/gpd
	$(INSTALL_PATHS) scripts/gp-ca > $(DESTDIR)$(SBINDIR)/gp-ca
	chmod 755 $(DESTDIR)$(SBINDIR)/gp-ca
	install -m 755 $(BUILD)/gp-client $(DESTDIR)$(BINDIR)/gp-client
	install -m 755 $(BUILD)/gp-report $(DESTDIR)$(BINDIR)/gp-report
	install -m 755 systemd/gpd-certificate-check $(DESTDIR)$(LIBEXECDIR)/gpd
	install -d $(DESTDIR)$(LIBEXECDIR)/gp
	install -m 755 $(BUILD)/gp-client-web \
	    $(DESTDIR)$(LIBEXECDIR)/gp/gp-client-web
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 client/gp-client.vi.1 \
	    $(DESTDIR)$(MANDIR)/vi/man1/gp-client.1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(MAN8) $(DESTDIR)$(MANDIR)/man8
	@set -e; for f in $(SYSTEMD_UNITS); do \
	    echo "$(INSTALL_PATHS) $$f > $(DESTDIR)$(SYSTEMDUNITDIR)/$${f##*/}"; \
	    $(INSTALL_PATHS) $$f > $(DESTDIR)$(SYSTEMDUNITDIR)/$${f##*/}; \
	    chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$${f##*/}; done
	@set -e; for f in $(SYSTEMD_USER_UNITS); do \
	    t=$(DESTDIR)$(SYSTEMDUSERUNITDIR)/$${f##*/}; \
	    echo "$(INSTALL_PATHS) $$f > $$t"; \
	    $(INSTALL_PATHS) $$f > $$t; chmod 644 $$t; done
	install -m 644 systemd/gpd.sysusers $(DESTDIR)$(SYSUSERSDIR)/gpd.conf
	@set -e; for f in $(EXAMPLES); do \
	    echo "$(INSTALL_PATHS) $$f > $(DESTDIR)$(DOCDIR)/examples/$${f##*/}"; \
	    $(INSTALL_PATHS) $$f > $(DESTDIR)$(DOCDIR)/examples/$${f##*/}; \
	    chmod 644 $(DESTDIR)$(DOCDIR)/examples/$${f##*/}; done
	@set -e; for f in $(CONF_SAMPLES); do \
	    t=$(DESTDIR)$(SYSCONFDIR)/gpd/$${f##*/}; \
	    if [ -e "$$t" ]; then echo "kept $$t: it exists"; else \
	    echo "$(INSTALL_PATHS) $$f > $$t"; \
	    $(INSTALL_PATHS) $$f > "$$t.new"; chmod 644 "$$t.new"; \
	    mv "$$t.new" "$$t"; fi; done
	@set -e; for f in $(FORMS); do \
	    t=$(DESTDIR)$(SYSCONFDIR)/gpd/forms/$${f##*/}; \
	    if [ -e "$$t" ]; then echo "kept $$t: it exists"; else \
	    echo "install -m 644 $$f $$t"; \
	    install -m 644 $$f "$$t.new"; mv "$$t.new" "$$t"; fi; done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/gpd $(DESTDIR)$(SBINDIR)/gp-ca \
	    $(DESTDIR)$(BINDIR)/gp-client $(DESTDIR)$(BINDIR)/gp-report \
	    $(DESTDIR)$(LIBEXECDIR)/gp/gp-client-web
	rmdir $(DESTDIR)$(LIBEXECDIR)/gp 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(DESTDIR)$(MANDIR)/vi/man1/gp-client.1
	rmdir $(DESTDIR)$(MANDIR)/vi/man1 $(DESTDIR)$(MANDIR)/vi 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(SYSTEMD_UNITS)))
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUSERUNITDIR)/,$(notdir $(SYSTEMD_USER_UNITS)))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/gpd.conf
	rm -f $(foreach l,$(PO_LANGS),$(PO_DOMAINS:%=$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/%.mo))
	rm -f $(DESTDIR)$(LIBEXECDIR)/gpd/gpd-certificate-check
	rmdir $(DESTDIR)$(LIBEXECDIR)/gpd 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(EXAMPLES)))
	rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null || true
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/gpd: configuration and CA; remove by hand"

lint-man:
	$(MANDOC) -Tlint -W warning $(MAN1) $(MAN1_VI) $(MAN5) $(MAN8)

# --- bench: the measurements of issue 7 (tests/bench/README.md) -------------
# make bench builds gpd, gp-client, gp-report and the bench programs with
# release flags in $(BENCH_BUILD) and runs tests/bench/run.sh, then
# tests/bench/report.sh (gp-report's figures, alone: make bench-report).
# Not part of check.
BENCH_BINS =	$(BUILD)/bench/gpload $(BUILD)/bench/sqlbase \
		$(BUILD)/bench/natgen $(BUILD)/bench/valbench \
		$(BUILD)/bench/valbench-enums $(BUILD)/bench/base/build/gp-client
# Figure (6)'s baseline: the tree of the last commit before report forms,
# whose rules were C enums, built from git into $(BUILD)/bench/base.
BENCH_BASE ?=	b53ba72

.PHONY: bench bench-bins bench-web
bench:
	$(MAKE) BUILD=$(BENCH_BUILD) OPT='-O2 -g -DNDEBUG' all bench-bins
	tests/bench/run.sh $(BENCH_BUILD)
	tests/bench/web.sh $(BENCH_BUILD)
	tests/bench/report.sh $(BENCH_BUILD)

# gp-client web's validation round trip alone (also part of bench).
bench-web:
	$(MAKE) BUILD=$(BENCH_BUILD) OPT='-O2 -g -DNDEBUG' all
	tests/bench/web.sh $(BENCH_BUILD)

bench-bins: $(BENCH_BINS)

$(BUILD)/bench/valbench: $(BUILD)/tests/bench/valbench.o \
    $(BUILD)/libgpproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PROTO_LIBS)

$(BUILD)/bench/base/Makefile:
	rm -rf $(BUILD)/bench/base
	mkdir -p $(BUILD)/bench/base
	git archive $(BENCH_BASE) | tar -x -C $(BUILD)/bench/base
	echo $(BENCH_BASE) > $(BUILD)/bench/base/.commit

$(BUILD)/bench/base/build/gp-client: $(BUILD)/bench/base/Makefile
	$(MAKE) -C $(BUILD)/bench/base BUILD=build OPT='$(OPT)' \
	    build/gp-client build/libgpproto.a

$(BUILD)/bench/valbench-enums: tests/bench/valbench.c \
    $(BUILD)/bench/base/build/gp-client
	$(CC) -D_GNU_SOURCE -DVALBENCH_ENUMS \
	    -I$(BUILD)/bench/base/proto -I$(BUILD)/bench/base/build/proto \
	    $(ALL_CFLAGS) $(call pc_cflags,$(PROTO_PKGS)) -o $@ \
	    tests/bench/valbench.c $(BUILD)/bench/base/build/libgpproto.a \
	    $(PROTO_LIBS)

$(BUILD)/tests/bench/%.o: TEST_DIR = -Idaemon
$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(BUILD)/tests/bench/benchgen.o \
    $(BUILD)/tests/bench/benchdb.o $(BUILD)/daemon/store.o \
    $(BUILD)/libgpproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -pthread -o $@ $^ $(call pc_libs,sqlite3) \
	    $(PROTO_LIBS)

# --- deb: Debian packages (debian/; tests/e2e/deb.sh) -----------------------
# make deb builds gpd, gp-client and gp-ca with dpkg-buildpackage -us -uc -b
# from a copy of this tree in $(DEB_DIR)/src (the tree's own build
# directories stay as they are) and leaves the .deb files in $(DEB_DIR).
# The package build runs the unit tests unless DEB_BUILD_OPTIONS=nocheck.
# make check-deb (part of check): build (nocheck), lintian, contents, then
#   install, serve, remove, purge, and upgrade from a package of an older
#   commit (schema 3), in a throwaway Debian 12 container (tests/e2e/deb.sh).
# make check-deb-full: the same with the unit tests in the package build.
DEB_DIR ?=	build-deb

.PHONY: deb check-deb check-deb-full
check: check-deb

check-deb:
	DEB_DIR=$(CURDIR)/$(DEB_DIR) tests/e2e/deb.sh

check-deb-full:
	DEB_DIR=$(CURDIR)/$(DEB_DIR) FULL=1 tests/e2e/deb.sh

deb:
	rm -rf $(DEB_DIR)/src
	mkdir -p $(DEB_DIR)/src
	tar -cf - --exclude-vcs --exclude='./build' --exclude='./build-*' . | \
	    tar -C $(DEB_DIR)/src -xf -
	rm -f $(DEB_DIR)/*.deb $(DEB_DIR)/*.changes $(DEB_DIR)/*.buildinfo
	cd $(DEB_DIR)/src && dpkg-buildpackage -us -uc -b -Jauto
	rm -rf $(DEB_DIR)/src
	@ls -l $(DEB_DIR)/*.deb
