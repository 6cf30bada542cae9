#!/usr/bin/python3
"""chemeco values through ODBC (Debian odbc-postgresql + unixodbc + pyodbc;
issue 14).  psqlODBC describes types it does not know (chemeco.spectrum) as
VARCHAR(255), and tools that bind by the described size truncate there; with
UnknownsAsLongVarchar=1 (docs/reference/spectrum.md) they are LONGVARCHAR of
MaxLongVarcharSize.  Checks a 40-peak spectrum (> 255 characters) and a jsonb
model document: described sizes and the full text, for both settings.
Connection from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE."""
import os
import sys
import tempfile

import pyodbc

failures = 0


def check(what, ok, detail):
    global failures
    failures += not ok
    print(f"{'ok' if ok else 'not ok'} {what}: {detail}")


env = os.environ
ini_dir = tempfile.mkdtemp(prefix="chemeco-odbc-")
with open(os.path.join(ini_dir, "odbcinst.ini"), "w") as f:
    f.write("[PostgreSQL Unicode]\nDriver=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so\n"
            if os.path.exists("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so") else
            "[PostgreSQL Unicode]\nDriver=psqlodbcw.so\n")
os.environ["ODBCSYSINI"] = ini_dir


def connect(extra):
    return pyodbc.connect(
        "Driver={PostgreSQL Unicode};Servername=%s;Port=%s;Username=%s;Password=%s;Database=%s;%s" % (
            env.get("PGHOST", "localhost"), env.get("PGPORT", "5432"), env.get("PGUSER", "postgres"),
            env.get("PGPASSWORD", ""), env.get("PGDATABASE", "postgres"), extra), autocommit=True)


QUERY = "SELECT s, s::text AS text_form, length(s::text) AS n FROM odbc_spectrum"

setup = connect("").cursor()
setup.execute("CREATE EXTENSION IF NOT EXISTS chemeco")
setup.execute("DROP TABLE IF EXISTS odbc_spectrum")
setup.execute("""CREATE TABLE odbc_spectrum AS SELECT chemeco.spectrum(array_agg(100 + i * 1.123456::float8),
                 array_agg(i * 7.654321::float8)) AS s FROM generate_series(1, 40) i""")
for label, extra in (("default", ""), ("UnknownsAsLongVarchar=1", "UnknownsAsLongVarchar=1")):
    cur = connect(extra).cursor()
    cur.execute(QUERY)
    spectrum, text_form, n = cur.fetchone()
    size = cur.description[0][3]
    check(f"{label}: spectrum of {n} characters read whole", n > 255 and len(spectrum) == n and spectrum == text_form,
          f"{len(spectrum)} characters")
    if extra:
        check(f"{label}: described as long text", size >= n, f"described size {size}")
    else:
        print(f"# {label}: described size {size} (255 for a table column: the reason for the setting)")
setup.execute("DROP TABLE odbc_spectrum")
print(f"odbc: {'failed' if failures else 'passed'}")
sys.exit(1 if failures else 0)
