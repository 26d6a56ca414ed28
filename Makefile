# gp: gpd (daemon) and gp-client (command line).
#
#   make                 build build/gpd and build/gp-client
#   make check           unit tests, end-to-end tests
#   make check-asan      the same under AddressSanitizer + UBSan
#   make check-valgrind  unit tests under valgrind
#   make demo            throwaway PKI, daemon, sample submissions
#   make install         PREFIX=/usr/local DESTDIR=
#
# Every library comes from pkg-config; protoc-c generates proto/gp.pb-c.[ch].

VERSION =	0.1.0
PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
SBINDIR ?=	$(PREFIX)/sbin
SYSCONFDIR ?=	/etc
BUILD ?=	build

CC ?=		cc
PKG_CONFIG ?=	pkg-config
PROTOC_C ?=	protoc-c

WARN =		-Wall -Wextra -Wshadow -Wstrict-prototypes \
		-Wmissing-prototypes -Wformat=2 -Wcast-qual -Wpointer-arith \
		-Werror
OPT ?=		-O2 -g
SAN ?=
CFLAGS ?=
CPPFLAGS +=	-D_GNU_SOURCE -DGP_VERSION='"$(VERSION)"' \
		-DGP_SYSCONFDIR='"$(SYSCONFDIR)"' -Iproto -Idaemon -I$(BUILD)/proto
ALL_CFLAGS =	-std=c11 $(WARN) $(OPT) $(SAN) $(CFLAGS)
LDFLAGS +=	$(SAN)

PROTO_PKGS =	libprotobuf-c openssl jansson
DAEMON_PKGS =	libevent_openssl libevent_pthreads libevent sqlite3 inih
CLIENT_PKGS =	inih
TEST_PKGS =	cmocka

pc_cflags =	$(shell $(PKG_CONFIG) --cflags $(1))
pc_libs =	$(shell $(PKG_CONFIG) --libs $(1))

PROTO_SRCS =	proto/report.c proto/wire.c proto/frame.c proto/period.c \
		proto/validate.c proto/report_json.c
DAEMON_SRCS =	daemon/gpd.c daemon/config.c daemon/log.c daemon/tls.c \
		daemon/units.c daemon/session.c daemon/handler.c \
		daemon/worker.c daemon/writer.c daemon/store.c
CLIENT_SRCS =	client/gp-client.c client/conn.c client/output.c

PB_OBJ =	$(BUILD)/proto/gp.pb-c.o
PROTO_OBJS =	$(PB_OBJ) $(PROTO_SRCS:%.c=$(BUILD)/%.o)
DAEMON_OBJS =	$(DAEMON_SRCS:%.c=$(BUILD)/%.o)
CLIENT_OBJS =	$(CLIENT_SRCS:%.c=$(BUILD)/%.o)

PROTO_LIBS =	$(call pc_libs,$(PROTO_PKGS))
DAEMON_LIBS =	$(call pc_libs,$(DAEMON_PKGS)) $(PROTO_LIBS)
CLIENT_LIBS =	$(call pc_libs,$(CLIENT_PKGS)) $(PROTO_LIBS)

UNIT_TESTS =	test_frame test_report test_period test_validate \
		test_report_json test_store
UNIT_BINS =	$(UNIT_TESTS:%=$(BUILD)/tests/%)

.PHONY: all check check-unit check-e2e check-asan check-valgrind demo \
	install uninstall clean deps

all: $(BUILD)/gpd $(BUILD)/gp-client

$(BUILD)/proto/gp.pb-c.c $(BUILD)/proto/gp.pb-c.h: proto/gp.proto
	@mkdir -p $(BUILD)/proto
	$(PROTOC_C) --proto_path=proto --c_out=$(BUILD)/proto proto/gp.proto

# Every object may include the generated header.
$(BUILD)/%.o: %.c $(BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) \
	    $(call pc_cflags,$(PROTO_PKGS) $(DAEMON_PKGS) $(TEST_PKGS)) \
	    -MMD -MP -c $< -o $@

$(PB_OBJ): $(BUILD)/proto/gp.pb-c.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(call pc_cflags,libprotobuf-c) \
	    -c $< -o $@

$(BUILD)/libgpproto.a: $(PROTO_OBJS)
	rm -f $@
	ar rcs $@ $(PROTO_OBJS)

$(BUILD)/gpd: $(DAEMON_OBJS) $(BUILD)/libgpproto.a
	$(CC) $(LDFLAGS) -pthread -o $@ $(DAEMON_OBJS) $(BUILD)/libgpproto.a \
	    $(DAEMON_LIBS)

$(BUILD)/gp-client: $(CLIENT_OBJS) $(BUILD)/libgpproto.a
	$(CC) $(LDFLAGS) -o $@ $(CLIENT_OBJS) $(BUILD)/libgpproto.a \
	    $(CLIENT_LIBS)

# Unit tests: one binary per module, linking the module and what it needs.
CMOCKA_LIBS =	$(call pc_libs,$(TEST_PKGS))
REPORT_OBJS =	$(BUILD)/proto/report.o $(BUILD)/proto/wire.o \
		$(BUILD)/proto/frame.o $(PB_OBJ)

$(BUILD)/tests/test_frame: $(BUILD)/tests/unit/test_frame.o \
    $(BUILD)/proto/frame.o
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

$(BUILD)/tests/test_period: $(BUILD)/tests/unit/test_period.o \
    $(BUILD)/proto/period.o
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

$(BUILD)/tests/test_report: $(BUILD)/tests/unit/test_report.o $(REPORT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_validate: $(BUILD)/tests/unit/test_validate.o \
    $(BUILD)/proto/validate.o $(BUILD)/proto/period.o $(REPORT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_report_json: $(BUILD)/tests/unit/test_report_json.o \
    $(BUILD)/proto/report_json.o $(BUILD)/proto/validate.o \
    $(BUILD)/proto/period.o $(REPORT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PROTO_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_store: $(BUILD)/tests/unit/test_store.o \
    $(BUILD)/daemon/store.o $(REPORT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,sqlite3) $(PROTO_LIBS) \
	    $(CMOCKA_LIBS)

check: check-unit check-e2e

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

check-e2e: $(BUILD)/gpd $(BUILD)/gp-client
	GPD=$(BUILD)/gpd GP_CLIENT=$(BUILD)/gp-client tests/e2e/run.sh

check-asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' check

check-valgrind: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== valgrind $$t"; \
	    valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect $$t; done

demo: all
	scripts/demo.sh $(BUILD)

deps:
	scripts/deps.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR)
	install -m 755 $(BUILD)/gpd $(DESTDIR)$(SBINDIR)/gpd
	install -m 755 $(BUILD)/gp-client $(DESTDIR)$(BINDIR)/gp-client

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/gpd $(DESTDIR)$(BINDIR)/gp-client

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
