#!/bin/bash
# docs/demo/demo.sh: run by `make demo` inside a throw-away cluster.
# Creates a database, loads the shipped sample data and runs every
# docs/demo/*.sql in name order, printing the results.
set -euo pipefail
cd "$(dirname "$0")"
createdb chemeco_demo
psql -X -q -v ON_ERROR_STOP=1 -d chemeco_demo -c 'CREATE EXTENSION chemeco'
for f in [0-9]*.sql; do
	echo
	echo "=================================================================="
	echo "== $f"
	echo "=================================================================="
	psql -X -v ON_ERROR_STOP=1 -d chemeco_demo -f "$f"
done
