# gp-report (report/): the province's report as a .docx, with charts.
# Included by the Makefile. Its libraries (cairo, pango, minizip) are linked
# into gp-report alone, so gp-client never loads them. minizip (zlib's
# zip writer) rather than libzip, which brings libcrypto, bzip2 and more.
#
#   make build/gp-report     the program
#   make check-report        its unit tests and the end-to-end tests
#                            (python-docx, LibreOffice, pdftotext; and
#                            gp-client report against the real gpd)
#   make bench-report        time and memory for 11 and 1,000 units (also
#                            the last step of make bench)

GPREPORT_PKGS =	jansson cairo pangocairo libpng minizip
GPREPORT_SRCS =	report/gp-report.c report/data.c report/figures.c \
		report/compose.c report/chart.c report/docx.c report/wml.c \
		report/styles.c report/props.c report/package.c report/xml.c
# Vietnamese numbers and dates: proto/vnfmt.c, which gp-client's tables
# use too. gp-report links that one object, not gp-client's code.
GPREPORT_OBJS =	$(GPREPORT_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/proto/vnfmt.o
# glib's and pango's headers as system headers: our warnings are for us.
report_cflags =	$(patsubst -I%,-isystem %,$(call pc_cflags,$(GPREPORT_PKGS)))
GPREPORT_LIBS =	$(call pc_libs,$(GPREPORT_PKGS)) -lm

$(BUILD)/report/%.o $(BUILD)/tests/unit/test_report_%.o: \
    CPPFLAGS += -Ireport -Iproto $(report_cflags)

$(BUILD)/report/%.o: report/%.c
	@mkdir -p $(dir $@)
	$(Q_CC)$(COMPILE) -c $< -o $@

$(BUILD)/gp-report: $(GPREPORT_OBJS)
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $(GPREPORT_OBJS) $(GPREPORT_LIBS)

GPREPORT_UNIT_TESTS = test_report_xml test_report_figures test_report_chart
GPREPORT_UNIT_BINS = $(GPREPORT_UNIT_TESTS:%=$(BUILD)/tests/%)

$(BUILD)/tests/test_report_xml: $(BUILD)/tests/unit/test_report_xml.o \
    $(BUILD)/report/xml.o $(BUILD)/proto/vnfmt.o
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

$(BUILD)/tests/test_report_figures: \
    $(BUILD)/tests/unit/test_report_figures.o $(BUILD)/report/figures.o \
    $(BUILD)/report/data.o $(BUILD)/proto/vnfmt.o
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,jansson) $(CMOCKA_LIBS)

$(BUILD)/tests/test_report_chart: $(BUILD)/tests/unit/test_report_chart.o \
    $(BUILD)/report/chart.o $(BUILD)/proto/vnfmt.o
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,cairo pangocairo libpng) -lm \
	    $(CMOCKA_LIBS)

# Under ASan, fontconfig's caches (never freed) are not our leaks.
GPREPORT_LSAN =	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/unit/lsan.supp:print_suppressions=0

.PHONY: check-report check-report-unit
check-report-unit: $(GPREPORT_UNIT_BINS)
	@set -e; for t in $(GPREPORT_UNIT_BINS); do echo "== $$t"; \
	    $(GPREPORT_LSAN) $$t; done

# SOFFICE=no skips the LibreOffice conversion (the ASan run: it proves
# nothing more about gp-report and costs the most).
check-report: check-report-unit $(BUILD)/gp-report $(BUILD)/gpd \
    $(BUILD)/gp-client
	$(GPREPORT_LSAN) GP_REPORT=$(BUILD)/gp-report SOFFICE=$(SOFFICE) \
	    tests/e2e/report.sh
	$(GPREPORT_LSAN) GPD=$(BUILD)/gpd GP_CLIENT=$(BUILD)/gp-client \
	    GP_REPORT=$(BUILD)/gp-report tests/e2e/report-gpd.sh

# make bench-report: gp-report for 11 and 1,000 units, time and peak memory
# (tests/bench/report.sh), built with the bench flags; make bench ends with
# the same script. Not part of check.
.PHONY: bench-report
bench-report:
	$(MAKE) BUILD=$(BENCH_BUILD) OPT='-O2 -g -DNDEBUG' $(BENCH_BUILD)/gp-report
	tests/bench/report.sh $(BENCH_BUILD)
