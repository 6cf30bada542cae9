#!/bin/bash
# test/upgrade/upgrade.sh: version upgrades keep users' work, and an upgraded
# schema equals a fresh install.  Runs inside the cluster test/run.sh starts
# (PGHOST/PGPORT/PGUSER of a superuser), after the extension is installed.
#
#   1. every C symbol that a shipped script names exists in the module;
#   2. install 0.1, fill the catalogue as two roles (PMF runs, models, a
#      chemeco_flash index, custom impact categories), record what they answer;
#   3. ALTER EXTENSION chemeco UPDATE;
#   4. the catalogue description of every member object equals a fresh
#      install's (test/upgrade/schema_fingerprint.sql), and a planted
#      difference (one function's volatility) is caught;
#   5. every role's rows answer as before.
# Prints one "upgrade: N passed, M failed" line; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d /tmp/chemeco-upgrade.XXXXXX)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...: run a check, count and report it
	local name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "not ok - $name"
	fi
}
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

PG_CONFIG=${PG_CONFIG:-pg_config}
sharedir=${CHEMECO_DESTDIR:-}$("$PG_CONFIG" --sharedir)/extension
pkglibdir=${CHEMECO_DESTDIR:-}$("$PG_CONFIG" --pkglibdir)
latest=$(sed -nE "s/^default_version = '(.*)'/\1/p" chemeco.control)

# 1. The module exports every symbol the shipped scripts name.  An SQL
#    definition's symbol is its second AS string, or else the function name.
symbols_exist() {
	local scripts=("$sharedir"/chemeco--*.sql) missing
	[ -f "${scripts[0]}" ] || { echo "no installed scripts in $sharedir"; return 1; }
	python3 - "$pkglibdir/chemeco.so" "${scripts[@]}" <<'PY'
import re, subprocess, sys
module, scripts = sys.argv[1], sys.argv[2:]
exported = set(subprocess.run(["nm", "-D", "--defined-only", module], capture_output=True,
                              text=True, check=True).stdout.split())
named = {}
# a C function's definition has no ';' or '$' before its AS 'MODULE_PATHNAME'
create = re.compile(r"CREATE(?:\s+OR\s+REPLACE)?\s+FUNCTION\s+([\w.@\"]+)\s*\(([^;$]*?)\bAS\s+'MODULE_PATHNAME'\s*(?:,\s*'(\w+)')?",
                    re.S | re.I)
for path in scripts:
    text = re.sub(r"--[^\n]*", "", open(path).read())
    for m in create.finditer(text):
        symbol = m.group(3) or m.group(1).split(".")[-1].strip('"')
        named.setdefault(symbol, path.rsplit("/", 1)[-1])
missing = sorted(s for s in named if s not in exported and "pg_finfo_" + s not in exported)
for s in missing:
    print(f"missing C symbol {s} (named in {named[s]})")
print(f"{len(named)} C symbols named by {len(scripts)} scripts, {len(missing)} missing")
sys.exit(1 if missing or not named else 0)
PY
}
check "every C symbol named by a shipped script exists in chemeco.so" symbols_exist

# 2. 0.1 with two roles' work in it.
for role in upgrade_alice upgrade_bob; do
	psql_q -d postgres -c "DROP ROLE IF EXISTS $role" 2>/dev/null
	psql_q -d postgres -c "CREATE ROLE $role LOGIN"
done
dropdb --if-exists chemeco_upgraded && createdb chemeco_upgraded
dropdb --if-exists chemeco_fresh && createdb chemeco_fresh
psql_q -d chemeco_upgraded -c "CREATE EXTENSION chemeco VERSION '0.1'" \
	-c "GRANT CREATE ON SCHEMA public TO upgrade_alice, upgrade_bob" \
	-c "CREATE SCHEMA alice AUTHORIZATION upgrade_alice" -c "CREATE SCHEMA bob AUTHORIZATION upgrade_bob" \
	-c "INSERT INTO chemeco.impact_category (method, code, label, unit, normalization, weighting)
	    VALUES ('lab', 'pfas', 'PFAS load', 'ng', 12.5, 1)"
filled=true
seed=1
for role in alice bob; do
	psql_q -d chemeco_upgraded -v seed=$seed -c "SET ROLE upgrade_$role" \
		-c "SET search_path = $role, chemeco" -f test/upgrade/fill.sql >"$work/fill-$role.log" 2>&1 ||
		{ filled=false; cat "$work/fill-$role.log"; }
	seed=$((seed + 1))
done
answers() { # answers ROLE FILE
	psql -X -v ON_ERROR_STOP=1 -d chemeco_upgraded -c "SET ROLE upgrade_$1" \
		-c "SET search_path = $1, chemeco" -f test/upgrade/answers.sql >"$2" 2>&1
}
answers_before=true
for role in alice bob; do
	answers $role "$work/before-$role.out" || { answers_before=false; cat "$work/before-$role.out"; }
done
psql_q -d chemeco_upgraded -At -c "SELECT code FROM chemeco.impact_category WHERE NOT shipped" >"$work/custom-before.out"
check "0.1 installs and two roles fill its catalogue" $filled
check "the roles' work answers on 0.1" $answers_before

# 3. The upgrade.
check "ALTER EXTENSION chemeco UPDATE reaches $latest" \
	psql_q -d chemeco_upgraded -c "ALTER EXTENSION chemeco UPDATE" \
	-c "DO \$\$ BEGIN ASSERT (SELECT extversion FROM pg_extension WHERE extname = 'chemeco') = '$latest'; END \$\$"

# 4. Upgraded schema == fresh schema, and the comparison can fail.
psql_q -d chemeco_fresh -c "CREATE EXTENSION chemeco"
psql_q -d chemeco_fresh -f test/upgrade/schema_fingerprint.sql >"$work/fresh.schema"
psql_q -d chemeco_upgraded -f test/upgrade/schema_fingerprint.sql >"$work/upgraded.schema"
same_schema() {
	grep -q '^access method chemeco_flash | definition' "$work/fresh.schema" &&
		[ "$(wc -l <"$work/fresh.schema")" -gt 150 ] || { echo "fingerprint incomplete"; return 1; }
	diff -u "$work/fresh.schema" "$work/upgraded.schema" | head -n 60
	cmp -s "$work/fresh.schema" "$work/upgraded.schema"
}
check "the upgraded schema equals a fresh $latest install" same_schema
planted_difference_caught() {
	psql_q -d chemeco_upgraded -c "BEGIN" -c "ALTER FUNCTION chemeco.npeaks(chemeco.spectrum) STABLE" \
		-f test/upgrade/schema_fingerprint.sql -c "ROLLBACK" >"$work/planted.schema"
	diff -u "$work/fresh.schema" "$work/planted.schema" >"$work/planted.diff"
	grep -q '^+function chemeco.npeaks.*STABLE' "$work/planted.diff"
}
check "a planted volatility difference is caught" planted_difference_caught

# 5. Every role's work is still there and answers the same.
same_answers() {
	local role ok=0
	for role in alice bob; do
		answers $role "$work/after-$role.out"
		diff -u "$work/before-$role.out" "$work/after-$role.out" || ok=1
		grep -q 'Index Scan using library_flash' "$work/after-$role.out" || { echo "$role: no index scan"; ok=1; }
	done
	psql_q -d chemeco_upgraded -At -c "SELECT code FROM chemeco.impact_category WHERE NOT shipped" >"$work/custom-after.out"
	diff -u "$work/custom-before.out" "$work/custom-after.out" || ok=1
	grep -qx pfas "$work/custom-after.out" || ok=1
	return $ok
}
check "every role's runs, models, index and custom categories answer as before" same_answers
roles_apart() { # each role still sees only its own runs and models
	[ "$(psql -X -q -At -d chemeco_upgraded -c "SET ROLE upgrade_alice" -c "SELECT count(DISTINCT owner) || ',' || min(owner) FROM chemeco.model")" = "1,upgrade_alice" ] &&
		[ "$(psql -X -q -At -d chemeco_upgraded -c "SET ROLE upgrade_bob" -c "SELECT count(DISTINCT owner) || ',' || min(owner) FROM chemeco.pmf_run")" = "1,upgrade_bob" ]
}
check "row-level security still keeps the roles apart" roles_apart
fit_after_update() { # a fit on the updated catalogue stores 0.2's stability report
	[ "$(psql -X -q -At -v ON_ERROR_STOP=1 -d chemeco_upgraded <<'SQL'
SET ROLE upgrade_alice;
SET client_min_messages = warning;
SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM alice.meas', 2, runs => 3, max_iter => 300) AS run_id \gset
SELECT near_best_runs BETWEEN 1 AND 3 AND other_solutions >= 0 FROM chemeco.pmf_run WHERE run_id = :run_id;
SQL
)" = t ]
}
check "a fit after the update stores the stability report" fit_after_update

dropdb chemeco_upgraded
dropdb chemeco_fresh
for role in upgrade_alice upgrade_bob; do psql_q -d postgres -c "DROP ROLE $role"; done
echo "upgrade: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
