# libFuzzer harnesses (tests/fuzz/README.md), included by the Makefile.
#
#   make fuzz-build         build the harnesses into build-fuzz/
#   make fuzz               run each for FUZZ_SECONDS (60), one at a time
#   make fuzz-ci            the same for 20 seconds each
#   make fuzz-crashes       every saved finding (crashes/HARNESS/) once
#                           through its harness
#   make fuzz-coverage      line coverage of the corpora the runs grew
#   make fuzz-seeds         regenerate tests/fuzz/corpus/ from the samples
#   make fuzz-clean         remove build-fuzz/
#
# Each harness runs on build-fuzz/corpus-<harness>, seeded from
# tests/fuzz/corpus/<harness> (which a run never writes to) and kept between
# runs; a crash is saved as build-fuzz/crash-<harness>-*. Everything we
# compile is instrumented; the libraries (protobuf-c, jansson, inih,
# OpenSSL) are Debian's and are not.

FUZZ_CC ?=	clang
FUZZ_BUILD ?=	build-fuzz
FUZZ_SECONDS ?=	60
FUZZ_MAX_LEN ?=	65536
FUZZ_ARGS ?=
LLVM_PROFDATA ?= llvm-profdata
LLVM_COV ?=	llvm-cov

FUZZ_TARGETS =	fuzz_frame fuzz_request fuzz_report_json fuzz_config \
		fuzz_units fuzz_form fuzz_web_verdict
FUZZ_PKGS =	libprotobuf-c openssl jansson inih libutf8proc

FUZZ_SAN =	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CPPFLAGS =	-D_GNU_SOURCE -Iproto -Idaemon -Iclient -Itests/fuzz \
		-I$(FUZZ_BUILD)/proto
FUZZ_CFLAGS =	-std=c11 $(WARN) -g -fno-omit-frame-pointer \
		$(shell $(PKG_CONFIG) --cflags $(FUZZ_PKGS))
FUZZ_LIBS =	$(shell $(PKG_CONFIG) --libs $(FUZZ_PKGS))
# The coverage build: no sanitizers, so that it runs every input through.
FUZZ_COV =	$(FUZZ_BUILD)/cov
FUZZ_COV_FLAGS = -fprofile-instr-generate -fcoverage-mapping

# What each harness links, relative to the build directory.
FUZZ_PROTO_O =	proto/gp.pb-c.o proto/report.o proto/legacy.o proto/wire.o \
		proto/frame.o proto/period.o proto/validate.o proto/warning.o \
		proto/text.o \
		proto/form.o proto/form_json.o proto/form_set.o \
		proto/form_builtin.o proto/i18n.o proto/vnfmt.o \
		proto/placeholder.o
FUZZ_CHECK_O =	tests/fuzz/check.o $(FUZZ_PROTO_O)
FUZZ_O_fuzz_frame = tests/fuzz/fuzz_frame.o proto/frame.o
FUZZ_O_fuzz_request = tests/fuzz/fuzz_request.o $(FUZZ_CHECK_O)
FUZZ_O_fuzz_report_json = tests/fuzz/fuzz_report_json.o \
		proto/report_json.o $(FUZZ_CHECK_O)
FUZZ_O_fuzz_config = tests/fuzz/fuzz_config.o daemon/config.o \
		proto/period.o proto/tz.o
FUZZ_O_fuzz_units = tests/fuzz/fuzz_units.o daemon/units.o $(FUZZ_PROTO_O)
FUZZ_O_fuzz_form = tests/fuzz/fuzz_form.o $(FUZZ_CHECK_O)
# gp-client-web's verdict on a body, with the forms built in.
FUZZ_O_fuzz_web_verdict = tests/fuzz/fuzz_web_verdict.o tests/web_send_stub.o \
		client/web_api.o \
		client/web_form.o client/web_draft.o client/outfile.o \
		client/cause.o proto/report_json.o $(FUZZ_CHECK_O)
FUZZ_O_mkseeds = tests/fuzz/mkseeds.o proto/report_json.o $(FUZZ_CHECK_O)

.PHONY: fuzz fuzz-build fuzz-ci fuzz-crashes fuzz-coverage fuzz-seeds \
	fuzz-clean

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/proto/gp.pb-c.c $(FUZZ_BUILD)/proto/gp.pb-c.h &: proto/gp.proto
	@mkdir -p $(FUZZ_BUILD)/proto
	$(PROTOC_C) --proto_path=proto --c_out=$(FUZZ_BUILD)/proto \
	    proto/gp.proto

# Coverage feedback and sanitizers on everything we compile; libFuzzer's
# main is linked into the harnesses only.
$(FUZZ_BUILD)/%.o: %.c $(FUZZ_BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -O1 $(FUZZ_SAN) \
	    -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

# The built-in form, as the Makefile assembles it.
$(FUZZ_BUILD)/proto/form_builtin.o $(FUZZ_COV)/proto/form_builtin.o: \
    proto/form_builtin.S etc/forms/2022.json
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) -c proto/form_builtin.S -o $@

$(FUZZ_BUILD)/proto/gp.pb-c.o: $(FUZZ_BUILD)/proto/gp.pb-c.c
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -O1 $(FUZZ_SAN) \
	    -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_COV)/%.o: %.c $(FUZZ_BUILD)/proto/gp.pb-c.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -O0 $(FUZZ_COV_FLAGS) \
	    -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_COV)/proto/gp.pb-c.o: $(FUZZ_BUILD)/proto/gp.pb-c.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -O0 $(FUZZ_COV_FLAGS) \
	    -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_frame: $(FUZZ_O_fuzz_frame:%=$(FUZZ_BUILD)/%)
$(FUZZ_BUILD)/fuzz_request: $(FUZZ_O_fuzz_request:%=$(FUZZ_BUILD)/%)
$(FUZZ_BUILD)/fuzz_report_json: $(FUZZ_O_fuzz_report_json:%=$(FUZZ_BUILD)/%)
$(FUZZ_BUILD)/fuzz_config: $(FUZZ_O_fuzz_config:%=$(FUZZ_BUILD)/%)
$(FUZZ_BUILD)/fuzz_units: $(FUZZ_O_fuzz_units:%=$(FUZZ_BUILD)/%)
$(FUZZ_BUILD)/fuzz_form: $(FUZZ_O_fuzz_form:%=$(FUZZ_BUILD)/%)
$(FUZZ_BUILD)/fuzz_web_verdict: $(FUZZ_O_fuzz_web_verdict:%=$(FUZZ_BUILD)/%)
$(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%):
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

$(FUZZ_COV)/fuzz_frame: $(FUZZ_O_fuzz_frame:%=$(FUZZ_COV)/%)
$(FUZZ_COV)/fuzz_request: $(FUZZ_O_fuzz_request:%=$(FUZZ_COV)/%)
$(FUZZ_COV)/fuzz_report_json: $(FUZZ_O_fuzz_report_json:%=$(FUZZ_COV)/%)
$(FUZZ_COV)/fuzz_config: $(FUZZ_O_fuzz_config:%=$(FUZZ_COV)/%)
$(FUZZ_COV)/fuzz_units: $(FUZZ_O_fuzz_units:%=$(FUZZ_COV)/%)
$(FUZZ_COV)/fuzz_form: $(FUZZ_O_fuzz_form:%=$(FUZZ_COV)/%)
$(FUZZ_COV)/fuzz_web_verdict: $(FUZZ_O_fuzz_web_verdict:%=$(FUZZ_COV)/%)
$(FUZZ_TARGETS:%=$(FUZZ_COV)/%):
	$(FUZZ_CC) $(FUZZ_COV_FLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

# Runs every harness even when one fails, then fails if any did. The
# summary (runs, coverage, corpus) is build-fuzz/fuzz-summary.txt.
fuzz: fuzz-build
	@summary=$(FUZZ_BUILD)/fuzz-summary.txt; : > $$summary; failed=; \
	for t in $(FUZZ_TARGETS); do \
	    corpus=$(FUZZ_BUILD)/corpus-$$t; log=$(FUZZ_BUILD)/$$t.log; \
	    mkdir -p $$corpus; cp tests/fuzz/corpus/$$t/* $$corpus/; \
	    echo "== $$t: $(FUZZ_SECONDS) s, log $$log"; \
	    if $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=$(FUZZ_MAX_LEN) -timeout=25 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- $(FUZZ_ARGS) \
	        $$corpus > $$log 2>&1; then \
	        runs=$$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) .*/\1 runs in \2 s/p' $$log); \
	        last=$$(grep -E '^#[0-9]+' $$log | tail -n 1 | \
	            sed 's/^#[0-9]*[[:space:]]*[A-Z]*[[:space:]]*//'); \
	        echo "$$t: $$runs; $$last" | tee -a $$summary; \
	    else \
	        tail -n 40 $$log; failed="$$failed $$t"; \
	        echo "$$t: FAILED, see $$log and $(FUZZ_BUILD)/crash-$$t-*" | \
	            tee -a $$summary; \
	    fi; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: failed:$$failed" >&2; exit 1; }

fuzz-ci:
	$(MAKE) fuzz FUZZ_SECONDS=20

# Each file of tests/fuzz/crashes/HARNESS/ is a past finding: replayed once
# through HARNESS, it must pass (tests/fuzz/README.md says what each was).
fuzz-crashes: fuzz-build
	@set -e; for d in tests/fuzz/crashes/*/; do \
	    t=$$(basename $$d); \
	    for f in $$d*; do echo "== $$t $$f"; \
	        $(FUZZ_BUILD)/$$t -runs=1 $$f > $(FUZZ_BUILD)/replay.log 2>&1 || \
	        { cat $(FUZZ_BUILD)/replay.log; exit 1; }; \
	    done; \
	done

# Runs each corpus (the seeds when no run grew one) once through the
# coverage build and reports lines covered in our sources.
fuzz-coverage: $(FUZZ_TARGETS:%=$(FUZZ_COV)/%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    corpus=$(FUZZ_BUILD)/corpus-$$t; \
	    [ -d $$corpus ] || corpus=tests/fuzz/corpus/$$t; \
	    rm -f $(FUZZ_COV)/$$t.profraw; \
	    LLVM_PROFILE_FILE=$(FUZZ_COV)/$$t.profraw $(FUZZ_COV)/$$t \
	        -runs=0 $$corpus > $(FUZZ_COV)/$$t.log 2>&1; \
	    $(LLVM_PROFDATA) merge -sparse -o $(FUZZ_COV)/$$t.profdata \
	        $(FUZZ_COV)/$$t.profraw; \
	    echo "== $$t ($$corpus)"; \
	    $(LLVM_COV) report $(FUZZ_COV)/$$t \
	        -instr-profile=$(FUZZ_COV)/$$t.profdata \
	        -ignore-filename-regex='($(FUZZ_BUILD)|tests/fuzz)/'; \
	done

# Sample files copied as they are; requests, frame streams and templates
# made by mkseeds from them. The hand-written seeds are left alone.
FUZZ_SAMPLES =	tests/data/lc-nganh-giaoduc-2022-H1.json \
		tests/data/lc-sinho-2022-H1.json \
		tests/data/lc-tamduong-2022-H1.json \
		tests/data/invalid-report.json

$(FUZZ_BUILD)/mkseeds: $(FUZZ_O_mkseeds:%=$(FUZZ_BUILD)/%)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

fuzz-seeds: $(FUZZ_BUILD)/mkseeds
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p tests/fuzz/corpus/$$t; done
	cp $(FUZZ_SAMPLES) tests/fuzz/corpus/fuzz_report_json/
	cp etc/gpd.conf tests/fuzz/corpus/fuzz_config/
	cp etc/units.conf tests/fuzz/corpus/fuzz_units/
	cp etc/forms/2022.json tests/data/forms/2023.json \
	    tests/data/forms-broken/*.json tests/fuzz/corpus/fuzz_form/
	$(FUZZ_BUILD)/mkseeds tests/fuzz/corpus $(FUZZ_SAMPLES)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
