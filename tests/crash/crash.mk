# Power-cut tests (tests/crash/README.md), included by the Makefile.
#
#   make crash          the long run: gpd and gp-client cut at random sync
#                       points of long scenarios (under ten minutes)
#   make check-crash    the short scenarios, cut at every sync point (part
#                       of make check)
#   make crash-bins     build/crash/gpd and gp-client: the shipped objects
#                       with the shim (crashvfs.c) linked in; crashctl
#
# The shim's unit test, test_crashsim, is one of the unit tests.

CRASH_WRAP =	-Wl,--wrap=open,--wrap=mkdir,--wrap=mkdtemp,--wrap=mkstemp \
		-Wl,--wrap=mkostemp,--wrap=rename,--wrap=unlink,--wrap=rmdir \
		-Wl,--wrap=fsync,--wrap=fdatasync
CRASH_OBJS =	$(BUILD)/tests/crash/crashvfs.o $(BUILD)/tests/crash/crashsim.o
CRASH_BINS =	$(BUILD)/crash/gpd $(BUILD)/crash/gp-client \
		$(BUILD)/crash/crashctl

.PHONY: crash check-crash crash-bins
check: check-crash

crash-bins: $(CRASH_BINS)

$(BUILD)/crash/gpd: $(DAEMON_OBJS) $(CRASH_OBJS) $(BUILD)/libgpproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(CRASH_WRAP) -pthread -o $@ $(DAEMON_OBJS) \
	    $(CRASH_OBJS) $(BUILD)/libgpproto.a $(DAEMON_LIBS)

$(BUILD)/crash/gp-client: $(CLIENT_OBJS) $(CRASH_OBJS) $(BUILD)/libgpproto.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(CRASH_WRAP) -pthread -o $@ $(CLIENT_OBJS) \
	    $(CRASH_OBJS) $(BUILD)/libgpproto.a $(CLIENT_LIBS)

$(BUILD)/crash/crashctl: $(BUILD)/tests/crash/crashctl.o \
    $(BUILD)/tests/crash/crashsim.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -pthread -o $@ $^

$(BUILD)/tests/test_crashsim: $(BUILD)/tests/crash/test_crashsim.o \
    $(CRASH_OBJS)
	$(TEST_LINK) $(CRASH_WRAP) -pthread $(call pc_libs,sqlite3) \
	    $(CMOCKA_LIBS)

check-crash: $(CRASH_BINS)
	BUILD=$(BUILD) tests/crash/run.sh short

crash: $(CRASH_BINS)
	BUILD=$(BUILD) tests/crash/run.sh long
