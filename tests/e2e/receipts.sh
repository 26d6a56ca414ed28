#!/bin/bash
# End-to-end tests of signed receipts and the hash-chained audit (issue
# 8): the real gpd with a throwaway PKI, the real gp-client. A receipt
# saved from 'gp-client --json submit' verifies offline, with and without
# its report; one byte changed anywhere that the signature covers, a
# report with one figure changed, a receipt signed by another key (of the
# same CA, of a unit, of another CA) are refused. 'show --receipt' checks
# a receipt against the server's database and finds a revision or a
# record edited with the sqlite3 shell; 'gpd verify-audit' passes after a
# busy session and names an edited figure, an edited audit row and a
# deleted revision; 'gp-client audit' prints the chain head the database
# holds.
#
#   GPD=build/gpd GP_CLIENT=build/gp-client tests/e2e/receipts.sh
#
# KEEP=1 keeps the working directory.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
TAMDUONG=$DATA/lc-tamduong-2022-H1.json
SINHO=$DATA/lc-sinho-2022-H1.json

# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

e2e_setup receipts openssl sqlite3 python3 timeout	# W, PORT, DB
e2e_pki lc-tamduong lc-sinho admin-test lc-unknown
# Another CA with a server certificate of its own: a rogue server.
"$ROOT/scripts/pki.sh" "$W/other" >/dev/null
# A key of nobody's certificate.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$W/stray.key" 2>/dev/null
write_rawclient

e2e_units lc-tamduong lc-sinho
write_conf() {	# FILE DATABASE
	e2e_gpd_conf "$1" "database = $2" "max_connections = 50" \
	    "idle_timeout = 20" "[access] admins = admin-test"
}
write_conf "$W/gpd.conf" "$DB"

# Revisions of lc-tamduong's report: each a different text, so a
# different content-derived id.
for n in 2 3; do
	jmod "$TAMDUONG" "$W/rev$n.json" "r.pop('id', None)
r['narrative']['results'] += ' Bổ sung lần $n.'"
done

# --- helpers ---------------------------------------------------------------

cat > "$W/rc.py" <<'PY'
"""Receipt files for the tests: forged signatures and one-byte changes.
Every command prints nothing and exits 0, or prints why and exits 1."""
import base64, json, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def payload(r):
    """The text gpd signs (proto/receipt.c, receipt_payload)."""
    return ("gp-receipt-v1\n"
            "receipt=%s\nsubmission_id=%s\nunit=%s\nperiod=%s\n"
            "revision=%d\nreport_sha256=%s\nreceived_at=%s\n" % (
                r["receipt"], r["id"], r["unit"], r["period"],
                r["revision"], r["report_sha256"], r["received_at"]))

def forge(src, out, key, cert, *changes):
    """Signs src's fields (after FIELD=VALUE changes) with key, and puts
    that signature and cert (PEM) in out."""
    r = load(src)
    for c in changes:
        k, v = c.split("=", 1)
        r[k] = int(v) if k == "revision" else v
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(payload(r))
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key,
                          f.name], check=True, capture_output=True).stdout
    os.unlink(f.name)
    r["signature"] = base64.b64encode(sig).decode()
    with open(cert, encoding="ascii") as f:
        r["certificate"] = f.read()
    with open(out, "w", encoding="utf-8") as f:
        json.dump(r, f, separators=(",", ":"))

def splice(src, donor, out, *fields):
    """src with the named fields taken from donor, signature kept."""
    r, d = load(src), load(donor)
    for k in fields:
        r[k] = d[k]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(r, f, separators=(",", ":"))

def value_span(text, key):
    """Where the value of "key" is in the compact JSON text."""
    i = text.index('"%s":' % key) + len(key) + 3
    j = i
    if text[i] == '"':
        j = i + 1
        while text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        return i + 1, j
    while text[j] not in ",}":
        j += 1
    return i, j

def positions(text):
    """Byte positions to change: the signed values (every byte of the
    short ones, every third of the long ones), the first byte of each key,
    and a sample of the signature and the certificate, with their first
    and last bytes; never the warnings, which the signature does not
    cover."""
    pos = set()
    for k, step in (("unit", 1), ("period", 1), ("revision", 1),
                    ("received_at", 1), ("receipt", 3), ("id", 3),
                    ("report_sha256", 3), ("signature", 7),
                    ("certificate", 37)):
        a, b = value_span(text, k)
        pos.update(range(a, b, step))
        pos.update((a, b - 1))
    for k in ("status", "unit", "period", "revision", "receipt",
              "received_at", "duplicate", "late", "warnings", "id",
              "report_sha256", "signature", "certificate"):
        pos.add(text.index('"%s":' % k) + 1)
    return sorted(pos)

def changed(ch):
    """Another byte for ch: a digit for a digit, a letter for a letter."""
    if ch.isdigit():
        return "7" if ch != "7" else "8"
    if ch.isalpha():
        return "Q" if ch != "Q" else "R"
    return "x"

def sweep(gp_client, ca, src, workdir):
    """Changes one byte at each position and runs verify-receipt: every
    one must be refused with 65."""
    with open(src, encoding="utf-8") as f:
        text = f.read()
    def one(p):
        path = os.path.join(workdir, "sweep-%d.json" % p)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text[:p] + changed(text[p]) + text[p + 1:])
        rc = subprocess.run([gp_client, "--ca", ca, "verify-receipt",
                             path], capture_output=True).returncode
        os.unlink(path)
        return p, rc
    with ThreadPoolExecutor(max_workers=4) as ex:
        bad = [(p, rc) for p, rc in ex.map(one, positions(text))
               if rc != 65]
    if bad:
        print("not refused with 65: " + ", ".join(
            "byte %d (%r in %r) exit %d" % (p, text[p],
            text[max(0, p - 12):p + 12], rc) for p, rc in bad[:10]))
        sys.exit(1)
    print(len(positions(text)))

def mutate(src, out, old, new):
    """src with the first occurrence of old replaced by new."""
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if old not in text:
        print("%r not in %s" % (old, src))
        sys.exit(1)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))

def raw_edit(db, receipt, old, new):
    """Changes bytes inside a stored report's raw protobuf, same length."""
    import sqlite3
    con = sqlite3.connect(db)
    (raw,) = con.execute("select raw from reports where receipt = ?",
                         (receipt,)).fetchone()
    o, n = old.encode(), new.encode()
    if len(o) != len(n) or o not in raw:
        print("cannot edit %r in the stored bytes" % old)
        sys.exit(1)
    con.execute("update reports set raw = ? where receipt = ?",
                (raw.replace(o, n, 1), receipt))
    con.commit()
    con.close()

cmd = sys.argv[1]
out = globals()[cmd](*sys.argv[2:])
PY

rc() {
	python3 "$W/rc.py" "$@"
}

# gp-client as NAME against gpd.
gpc() {	# NAME ARGS...
	client_as "$@"
}

# verify-receipt, offline: only the CA.
verify() {	# ARGS...
	run "$GP_CLIENT" --ca "$W/pki/ca.crt" verify-receipt "$@"
}

# Expects exit 65 and the sentence on standard error to hold TEXT.
refused() {	# WHAT TEXT
	[ "$RC" -eq 65 ] || { fail "$1: exit $RC, want 65: $(cat "$W/out" "$W/err")"; return 1; }
	grep -q -- "$2" "$W/err" ||
	    { fail "$1: stderr does not say '$2': $(cat "$W/err")"; return 1; }
}

# The report_sha256 gpd recorded for a receipt.
stored_hash() {	# RECEIPT
	q "select lower(hex(content_hash)) from reports where receipt = '$1'"
}

# With gpd stopped: a consistent copy of the database, and back.
backup_db() {
	rm -f "$W/backup.db"
	sqlite3 "$DB" ".backup '$W/backup.db'"
}
restore_db() {
	cp "$W/backup.db" "$DB"
	rm -f "$DB-wal" "$DB-shm"
}

# --- receipts ----------------------------------------------------------------

R1=
R2=

test_submit_json_receipt() {
	gpc lc-tamduong --json submit "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/r1.json"
	R1=$(jget "$W/r1.json" 'r["receipt"]')
	local want
	want=$(jget "$W/r1.json" '" ".join(k for k in ("status", "unit", "period",
	    "revision", "receipt", "received_at", "duplicate", "late", "warnings",
	    "id", "report_sha256", "signature", "certificate") if k not in r)')
	[ -z "$want" ] || { fail "keys missing: $want"; return; }
	[ "$(jget "$W/r1.json" 'r["report_sha256"]')" = "$(stored_hash "$R1")" ] ||
	    { fail "report_sha256 is not the stored content hash"; return; }
	jget "$W/r1.json" 'r["certificate"]' >"$W/r1.pem"
	openssl x509 -in "$W/r1.pem" -noout -subject | grep -q 'CN *= *localhost' ||
	    { fail "certificate is not the server's: $(cat "$W/r1.pem")"; return; }
	cmp -s <(openssl x509 -in "$W/r1.pem" -outform DER) \
	    <(openssl x509 -in "$W/pki/server.crt" -outform DER) ||
	    { fail "certificate differs from server.crt"; return; }
}

test_submit_text() {
	gpc lc-tamduong submit "$W/rev2.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q '^accepted lc-tamduong 2022-H1 revision 2 receipt ' "$W/out" ||
	    { fail "first line: $(cat "$W/out")"; return; }
	grep -q '^signed by CN=localhost$' "$W/out" ||
	    { fail "no 'signed by' line: $(cat "$W/out")"; return; }
	R2=$(receipt_of_out)
}

test_verify() {
	verify "$W/r1.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	{ grep -q '^certificate: chains to CA (CN=localhost, valid until 20[0-9-]*)$' "$W/out" &&
	    grep -q '^signature: valid$' "$W/out" &&
	    grep -q "^verified: lc-tamduong 2022-H1 revision 1 .*receipt $R1" "$W/out"; } ||
	    { fail "output: $(cat "$W/out")"; return; }
	verify "$W/r1.json" "$TAMDUONG"
	[ "$RC" -eq 0 ] || { fail "with the report: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	grep -q "^report: matches (sha256 $(stored_hash "$R1"))$" "$W/out" ||
	    { fail "with the report: $(cat "$W/out")"; return; }
	run "$GP_CLIENT" --json --ca "$W/pki/ca.crt" verify-receipt "$W/r1.json" "$TAMDUONG"
	{ [ "$RC" -eq 0 ] && [ "$(jget "$W/out" '(r["status"] + " " +
	    " ".join(c["check"] + "=" + c["result"] for c in r["checks"]))')" = \
	    "verified certificate=ok signature=ok report=ok" ]; } ||
	    { fail "--json: exit $RC: $(cat "$W/out")"; return; }
	# The CA may come from the configuration file.
	printf '[client]\nca = %s\n' "$W/pki/ca.crt" >"$W/client.conf"
	run "$GP_CLIENT" -c "$W/client.conf" verify-receipt "$W/r1.json"
	[ "$RC" -eq 0 ] || { fail "ca from -c: exit $RC: $(cat "$W/err")"; return; }
	run "$GP_CLIENT" verify-receipt "$W/r1.json"
	{ [ "$RC" -eq 78 ] && grep -q -- '--ca' "$W/err"; } ||
	    { fail "no CA: exit $RC: $(cat "$W/err")"; return; }
}

# The byte changes of the issue, each named, then a sweep over the file.
test_one_byte() {
	rc mutate "$W/r1.json" "$W/m.json" '"revision":1' '"revision":2' &&
	    verify "$W/m.json" && refused revision 'signature does not match' || return
	local h
	h=$(jget "$W/r1.json" 'r["report_sha256"]')
	rc mutate "$W/r1.json" "$W/m.json" "\"$h\"" \
	    "\"${h:0:20}$(printf %x $(((0x${h:20:1} + 1) % 16)))${h:21}\"" &&
	    verify "$W/m.json" && refused report_sha256 'signature does not match' || return
	local s
	s=$(jget "$W/r1.json" 'r["signature"]')
	rc mutate "$W/r1.json" "$W/m.json" "\"$s\"" \
	    "\"${s:0:10}$([ "${s:10:1}" = A ] && echo B || echo A)${s:11}\"" &&
	    verify "$W/m.json" && refused signature 'signature does not match' || return
	rc mutate "$W/r1.json" "$W/m.json" '"unit":"lc-tamduong"' '"unit":"lc-tamduonh"' &&
	    verify "$W/m.json" && refused unit 'signature does not match' || return
	local n
	n=$(rc sweep "$GP_CLIENT" "$W/pki/ca.crt" "$W/r1.json" "$W") ||
	    { fail "sweep: $n"; return; }
	echo "#   $n one-byte changes refused"
}

test_changed_report() {
	jmod "$TAMDUONG" "$W/figure.json" 'r["activities"][0]["participants"] += 1'
	verify "$W/r1.json" "$W/figure.json"
	refused "a figure" "$W/figure.json is not the report the receipt covers" || return
	grep -q '^report: differs' "$W/out" || { fail "no report line: $(cat "$W/out")"; return; }
	jmod "$TAMDUONG" "$W/text.json" 'r["narrative"]["results"] += "."'
	verify "$W/r1.json" "$W/text.json"
	refused "a text" "not the report the receipt covers" || return
	verify "$W/r1.json" "$SINHO"
	refused "another unit's" "it is for lc-sinho 2022-H1" || return
	verify "$W/r1.json" "$W/rev2.json"
	refused "revision 2" "not the report the receipt covers" || return
	# The receipt of revision 2 covers rev2.json.
	gpc lc-tamduong --json receipts --unit lc-tamduong
	[ "$(jget "$W/out" '[x["revision"] for x in r]')" = "[1, 2]" ] ||
	    { fail "kept receipts: $(cat "$W/out")"; return; }
}

test_other_keys() {
	# The forger, checked: the server's own key makes a good receipt.
	rc forge "$W/r1.json" "$W/f.json" "$W/pki/server.key" "$W/pki/server.crt"
	verify "$W/f.json"
	[ "$RC" -eq 0 ] || { fail "re-signed by the server's key: exit $RC: $(cat "$W/err")"; return; }
	# The server's certificate, another key.
	rc forge "$W/r1.json" "$W/f.json" "$W/stray.key" "$W/pki/server.crt"
	verify "$W/f.json"
	refused "another key" 'signature does not match' || return
	# A unit's own key and certificate: they chain to the same CA.
	rc forge "$W/r1.json" "$W/f.json" "$W/pki/lc-tamduong.key" "$W/pki/lc-tamduong.crt"
	verify "$W/f.json"
	refused "a unit's key" 'CN=lc-tamduong, which is not a server certificate' || return
	# Another CA's server.
	rc forge "$W/r1.json" "$W/f.json" "$W/other/server.key" "$W/other/server.crt"
	verify "$W/f.json"
	refused "another CA" 'was not signed by a server of the CA' || return
	grep -q '^certificate: does not chain to the CA' "$W/out" ||
	    { fail "another CA: $(cat "$W/out")"; return; }
	# ... which its own CA accepts.
	run "$GP_CLIENT" --ca "$W/other/ca.crt" verify-receipt "$W/f.json"
	[ "$RC" -eq 0 ] || { fail "another CA, its own CA: exit $RC: $(cat "$W/err")"; return; }
}

test_not_receipts() {
	verify "$TAMDUONG"
	refused "a report" 'is not a field of a receipt' || return
	verify "$W/missing.json"
	[ "$RC" -eq 66 ] || { fail "missing file: exit $RC"; return; }
	printf '{"receipt":' >"$W/cut.json"
	verify "$W/cut.json"
	refused "cut short" 'cut.json:1' || return
	rc mutate "$W/r1.json" "$W/m.json" '"late":' '"late":true,"late":'
	verify "$W/m.json"
	refused "a key twice" 'duplicate' || return
}

test_export() {
	gpc lc-tamduong receipts --export "$R1" -o "$W/exp.json" --report "$W/exp-report.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	grep -q "^wrote receipt $R1 " "$W/out" || { fail "output: $(cat "$W/out")"; return; }
	verify "$W/exp.json" "$W/exp-report.json"
	[ "$RC" -eq 0 ] || { fail "exported: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	# The same signed fields as submit printed, the warnings and the
	# latest revision (what the server said then, unsigned) left out.
	{ [ "$(jget "$W/exp.json" 'sorted(r)')" = \
	    "$(jget "$W/r1.json" 'sorted(k for k in r if k not in ("warnings",
	    "latest_revision"))')" ] &&
	    [ "$(jget "$W/exp.json" '[r[k] for k in ("receipt", "id", "signature",
	    "certificate", "report_sha256", "received_at")]')" = \
	    "$(jget "$W/r1.json" '[r[k] for k in ("receipt", "id", "signature",
	    "certificate", "report_sha256", "received_at")]')" ]; } ||
	    { fail "exported receipt differs: $(cat "$W/exp.json")"; return; }
	# By submission id, to standard output.
	gpc lc-tamduong receipts --export "$(jget "$W/r1.json" 'r["id"]')"
	{ [ "$RC" -eq 0 ] && [ "$(jget "$W/out" 'r["receipt"]')" = "$R1" ]; } ||
	    { fail "by id: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	gpc lc-tamduong receipts --export 00000000000000000000000000000000
	[ "$RC" -eq 64 ] || { fail "unknown receipt: exit $RC"; return; }
}

test_show_receipt() {
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$W/r1.json"
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/out" "$W/err")"; return; }
	{ grep -q '^server: revision 1 has this receipt' "$W/out" &&
	    grep -q '^recorded: sha256 at submission matches$' "$W/out" &&
	    grep -q "^stored report: matches (sha256 $(stored_hash "$R1"))$" "$W/out" &&
	    grep -q '^verified: the server holds lc-tamduong 2022-H1 revision 1' "$W/out"; } ||
	    { fail "output: $(cat "$W/out")"; return; }
	# The unit itself may check its receipt.
	gpc lc-tamduong --json show lc-tamduong 2022-H1 --receipt "$W/r1.json"
	{ [ "$RC" -eq 0 ] && [ "$(jget "$W/out" 'r["status"]')" = verified ]; } ||
	    { fail "as the unit: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	# Not for another unit's report.
	gpc admin-test show lc-sinho 2022-H1 --receipt "$W/r1.json"
	refused "other unit" 'is a receipt for lc-tamduong 2022-H1, not lc-sinho' || return
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$W/r1.json" --revision 1
	[ "$RC" -eq 64 ] || { fail "--revision too: exit $RC"; return; }
}

# A receipt of revision 1 presented as revision 2: its signature fails
# before anything is asked; with revision 2's receipt id, the same.
test_show_spliced() {
	gpc lc-tamduong receipts --export "$R2" -o "$W/r2.json"
	rc mutate "$W/r1.json" "$W/m.json" '"revision":1' '"revision":2'
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$W/m.json"
	refused "revision 2" 'signature does not match' || return
	rc splice "$W/r1.json" "$W/r2.json" "$W/m.json" receipt revision
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$W/m.json"
	refused "receipt of revision 2" 'signature does not match' || return
	rc splice "$W/r1.json" "$W/r2.json" "$W/m.json" report_sha256
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$W/m.json"
	refused "hash of revision 2" 'signature does not match' || return
}

# --- the busy session and the audit chain ------------------------------------

test_busy_session() {
	gpc lc-sinho submit "$SINHO"
	[ "$RC" -eq 0 ] || { fail "lc-sinho: exit $RC: $(cat "$W/err")"; return; }
	gpc lc-tamduong submit "$TAMDUONG"
	grep -q '^duplicate ' "$W/out" || { fail "duplicate: $(cat "$W/out")"; return; }
	gpc lc-sinho submit --no-queue "$W/rev3.json"
	[ "$RC" -eq 77 ] || { fail "lc-sinho for lc-tamduong: exit $RC"; return; }
	gpc lc-unknown submit --no-queue "$W/rev3.json"
	[ "$RC" -eq 77 ] || { fail "lc-unknown: exit $RC"; return; }
	rawclient lc-tamduong invalid lc-tamduong
	grep -q '^error 2 ' "$W/out" || { fail "invalid: $(cat "$W/out")"; return; }
	gpc lc-sinho lock 2022-H1
	[ "$RC" -eq 77 ] || { fail "a unit's lock: exit $RC"; return; }
	gpc admin-test lock 2022-H1
	[ "$RC" -eq 0 ] || { fail "lock: exit $RC: $(cat "$W/err")"; return; }
	gpc lc-tamduong submit --no-queue "$W/rev3.json"
	[ "$RC" -eq 77 ] || { fail "locked: exit $RC"; return; }
	gpc admin-test unlock 2022-H1
	[ "$RC" -eq 0 ] || { fail "unlock: exit $RC: $(cat "$W/err")"; return; }
	gpc lc-tamduong --json submit "$W/rev3.json"
	[ "$RC" -eq 0 ] || { fail "revision 3: exit $RC: $(cat "$W/err")"; return; }
	cp "$W/out" "$W/r3.json"
	[ "$(q "select count(*) from audit where result = 'refused'")" -ge 4 ] ||
	    { fail "refusals not audited: $(q "select action, result from audit")"; return; }
	# While gpd serves.
	run "$GPD" -f "$W/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || { fail "verify-audit: exit $RC: $(cat "$W/out" "$W/err")"; return; }
	{ grep -q "^reports: 4 revisions checked" "$W/out" &&
	    grep -q '^verify-audit: every entry matches' "$W/out"; } ||
	    { fail "verify-audit: $(cat "$W/out")"; return; }
}

test_audit_head() {
	local id hash
	id=$(q "select max(id) from audit")
	hash=$(q "select lower(hex(hash)) from audit where id = $id")
	gpc admin-test audit
	[ "$RC" -eq 0 ] || { fail "exit $RC: $(cat "$W/err")"; return; }
	[ "$(tail -n 1 "$W/out")" = "audit head: id $id hash $hash" ] ||
	    { fail "last line: $(tail -n 1 "$W/out"), want id $id hash $hash"; return; }
	# Also when only some entries are shown.
	gpc admin-test audit --unit lc-sinho
	[ "$(tail -n 1 "$W/out")" = "audit head: id $id hash $hash" ] ||
	    { fail "--unit: $(tail -n 1 "$W/out")"; return; }
	gpc admin-test --json audit
	[ "$RC" -eq 0 ] || { fail "--json: exit $RC: $(cat "$W/err")"; return; }
	[ "$(jget "$W/out" 'r["head"]["id"], r["head"]["hash"]')" = "($id, '$hash')" ] ||
	    { fail "--json head: $(jget "$W/out" 'r["head"]')"; return; }
	[ "$(jget "$W/out" '" ".join("%d:%s" % (e["id"], e["hash"]) for e in r["rows"])')" = \
	    "$(q "select group_concat(id || ':' || lower(hex(hash)), ' ')
	    from (select id, hash from audit order by id)")" ] ||
	    { fail "--json hashes differ from the database"; return; }
	gpc admin-test audit --csv
	{ head -n 1 "$W/out" | grep -q ',detail,hash' &&
	    grep -q ",$hash" "$W/out"; } || { fail "--csv: $(cat "$W/out")"; return; }
}

# verify-audit on an edited copy of the database: non-zero, naming it.
edited() {	# WHAT SQL TEXT
	cp "$W/backup.db" "$W/edit.db"
	sqlite3 "$W/edit.db" "$2"
	write_conf "$W/edit.conf" "$W/edit.db"
	run "$GPD" -f "$W/edit.conf" verify-audit
	[ "$RC" -ne 0 ] || { fail "$1: verify-audit exit 0: $(cat "$W/out")"; return 1; }
	grep -q -- "$3" "$W/out" "$W/err" ||
	    { fail "$1: does not say '$3': $(cat "$W/out" "$W/err")"; return 1; }
}

test_verify_audit_edits() {
	stop_gpd
	run "$GPD" -f "$W/gpd.conf" verify-audit
	[ "$RC" -eq 0 ] || { fail "stopped: exit $RC: $(cat "$W/out")"; return; }
	backup_db
	local id1 id2 audit
	id1=$(q "select id from reports where receipt = '$R1'")
	id2=$(q "select id from reports where receipt = '$R2'")
	audit=$(q "select min(id) from audit where result = 'refused'")
	edited "a figure" "UPDATE activities SET participants = participants + 1
	    WHERE report_id = $id1 AND idx = 0" \
	    "report $id1 (lc-tamduong 2022-H1 revision 1): activities\[0\] differs" || return
	edited "a report's totals" "UPDATE report_totals SET participants = 0
	    WHERE report_id = $id1" \
	    "report $id1 (lc-tamduong 2022-H1 revision 1): its totals differ" || return
	edited "an audit row" "UPDATE audit SET detail = 'nothing' WHERE id = $audit" \
	    "audit entry $audit does not match its hash" || return
	edited "a deleted revision" "DELETE FROM warnings WHERE report_id = $id2;
	    DELETE FROM activities WHERE report_id = $id2;
	    DELETE FROM indicators WHERE report_id = $id2;
	    DELETE FROM narratives WHERE report_id = $id2;
	    DELETE FROM report_totals WHERE report_id = $id2;
	    DELETE FROM reports WHERE id = $id2" \
	    "revision 2 of lc-tamduong 2022-H1 is missing" || return
}

# show --receipt against a database edited while gpd was stopped.
show_edited() {	# WHAT RECEIPT-FILE TEXT
	start_gpd "$W/gpd.conf" || { fail "$1: gpd does not start"; return 1; }
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$2"
	stop_gpd
	restore_db
	refused "$1" "$3"
}

test_show_receipt_edited() {
	# The stored bytes of revision 1: one letter of a text.
	rc raw_edit "$DB" "$R1" "2022-H1" "2022-H2" || { fail "raw edit"; return; }
	show_edited "raw bytes" "$W/r1.json" \
	    'is not the one it received' || return
	grep -q '^stored report: hashes to ' "$W/out" ||
	    { fail "raw bytes: $(cat "$W/out")"; return; }
	# The hash recorded at submission.
	sqlite3 "$DB" "UPDATE reports SET content_hash = randomblob(32)
	    WHERE receipt = '$R1'"
	show_edited "content_hash" "$W/r1.json" "the record was changed" || return
	# Revision 2 deleted: its receipt was never issued, for all the
	# server can tell.
	local id2
	id2=$(q "select id from reports where receipt = '$R2'")
	sqlite3 "$DB" "DELETE FROM warnings WHERE report_id = $id2;
	    DELETE FROM activities WHERE report_id = $id2;
	    DELETE FROM indicators WHERE report_id = $id2;
	    DELETE FROM narratives WHERE report_id = $id2;
	    DELETE FROM report_totals WHERE report_id = $id2;
	    DELETE FROM reports WHERE id = $id2"
	show_edited "deleted revision" "$W/r2.json" \
	    'never issued by this server, or its revision was deleted' || return
	# Restored: genuine again.
	start_gpd "$W/gpd.conf" || { fail "gpd does not start"; return; }
	gpc admin-test show lc-tamduong 2022-H1 --receipt "$W/r2.json"
	[ "$RC" -eq 0 ] || { fail "restored: exit $RC: $(cat "$W/out" "$W/err")"; return; }
}

# --- run -----------------------------------------------------------------------

start_gpd "$W/gpd.conf" || exit 1

t "submit --json: a signed receipt with the server's certificate" test_submit_json_receipt
t "submit: first line unchanged, 'signed by' line" test_submit_text
t "verify-receipt: genuine, with and without the report, --json, CA from -c" test_verify
t "verify-receipt: one byte changed anywhere signed is refused (65)" test_one_byte
t "verify-receipt: a report with one figure or text changed is refused" test_changed_report
t "verify-receipt: another key, a unit's key, another CA are refused" test_other_keys
t "verify-receipt: what is not a receipt is refused" test_not_receipts
t "receipts --export: the receipt file and its report, verifiable" test_export
t "show --receipt: a genuine receipt matches the server" test_show_receipt
t "show --receipt: a receipt spliced from two revisions is refused" test_show_spliced
t "busy session: verify-audit passes while gpd serves" test_busy_session
t "audit: the chain head and each hash as the database holds them" test_audit_head
t "verify-audit: an edited figure, audit row, deleted revision named" test_verify_audit_edits
t "show --receipt: edited bytes, hash or a deleted revision detected" test_show_receipt_edited

summary
