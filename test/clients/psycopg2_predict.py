#!/usr/bin/python3
"""predict() through psycopg2 (issue 14): a JSON string parameter, psycopg2's
Json() adapter and a dict passed as text all reach the named-feature form
without a cast (they were 42725: predict(text, float8[]) and predict(text,
jsonb) both accepted the untyped parameter); a Python list still reaches the
array form; an unknown key is 22023.  Expected values by hand:
ecs = 1 + 10 [product = 'jean'] + 2 mass.  Connection from PGHOST etc."""
import json
import sys

import psycopg2
from psycopg2.extras import Json

MODEL = {"format": "chemeco-json", "algorithm": "linear", "link": "identity",
         "features": [{"name": "product", "type": "categorical", "categories": ["jean", "shirt"]},
                      {"name": "mass", "type": "numeric"}],
         "linear": {"intercept": 1, "coefficients": [10, 0, 2], "column_means": [0.5, 0.5, 20]}}

failures = 0


def check(what, got, expected):
    global failures
    ok = got == expected
    failures += not ok
    print(f"{'ok' if ok else 'not ok'} {what}: {got!r}" + ("" if ok else f", expected {expected!r}"))


conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()
cur.execute("CREATE EXTENSION IF NOT EXISTS chemeco")
cur.execute("DELETE FROM chemeco.model WHERE name = 'psycopg2_ecs'")
cur.execute("SELECT chemeco.model_import('psycopg2_ecs', 'chemeco-json', %s)", (json.dumps(MODEL),))

features = {"mass": 3, "product": "jean"}  # 1 + 10 + 6 = 17
cur.execute("SELECT chemeco.predict('psycopg2_ecs', %s)", (json.dumps(features),))
check("JSON string parameter", round(cur.fetchone()[0], 9), 17.0)
cur.execute("SELECT chemeco.predict('psycopg2_ecs', %s)", (Json(features),))
check("psycopg2 Json() parameter", round(cur.fetchone()[0], 9), 17.0)
cur.execute("SELECT chemeco.predict(%s, %s, %s)", ("psycopg2_ecs", 1, json.dumps({"mass": 3, "product": "shirt"})))
check("version and JSON string", round(cur.fetchone()[0], 9), 7.0)
cur.execute("SELECT chemeco.predict('psycopg2_ecs', %s, allow_extra_keys => %s)",
            (Json({"mass": 3, "product": "jean", "id": 12}), True))
check("allow_extra_keys", round(cur.fetchone()[0], 9), 17.0)
cur.execute("SELECT chemeco.predict('psycopg2_ecs', %s)", ([1.0, 0.0, 3.0],))  # ARRAY[...] from a list
check("Python list to the array form", round(cur.fetchone()[0], 9), 17.0)
try:
    cur.execute("SELECT chemeco.predict('psycopg2_ecs', %s)", (Json({"Mass": 3}),))
    check("unknown key rejected", "no error", "22023")
except psycopg2.Error as e:
    check("unknown key rejected", e.pgcode, "22023")
cur.execute("DELETE FROM chemeco.model WHERE name = 'psycopg2_ecs'")
conn.close()
print(f"psycopg2: {'failed' if failures else 'passed'}")
sys.exit(1 if failures else 0)
