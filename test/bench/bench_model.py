#!/usr/bin/python3
"""Scoring benchmark for chemeco.predict (run by bench_model.sh inside the bench cluster).

Trains an XGBoost model (100 trees, depth 6) on 20 000 generated textile rows (and, for a
training-time figure, chemeco.train with the same parameters), imports it with
chemeco.model_import, then scores the same N rows (default 10^6) four ways, in the same run:
  1. SQL: SELECT sum(chemeco.predict(model, to_jsonb(t), allow_extra_keys => true)) FROM bench_textile t  (named features)
  2. SQL: the same with the encoded float8[] built inline in SQL
  3. xgboost's own Booster.predict on the rows already in memory (a numpy float32 matrix)
  4. fetch and score: psycopg2 fetches the rows, numpy one-hot encodes them, xgboost predicts
Prints rows/s and checks that the in-database and xgboost predictions agree.
"""
import os
import time

import numpy as np
import psycopg2
import xgboost as xgb

N_ROWS = int(os.environ.get("BENCH_MODEL_ROWS", "1000000"))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")

CATEGORICAL = ["product", "material1", "material2", "country_dyeing", "country_fabric", "country_making",
               "fabric_process"]
ORDER = ["product", "material1", "share1", "material2", "share2", "country_dyeing", "country_fabric",
         "country_making", "fabric_process", "mass", "air_transport_ratio"]
COLUMNS = ", ".join(ORDER)


def encode(rows, categories):
    """One-hot encode fetched rows (tuples in ORDER); NULL categories give NaN columns."""
    n = len(rows)
    columns = list(zip(*rows)) if n else [[] for _ in ORDER]
    blocks, names = [], []
    for name, values in zip(ORDER, columns):
        if name in categories:
            values = np.array(values, dtype=object)
            missing = np.array([v is None for v in values])
            for c in categories[name]:
                col = (values == c).astype(np.float32)
                col[missing] = np.nan
                blocks.append(col)
                names.append(f"{name}={c}")
        else:
            blocks.append(np.array([np.nan if v is None else v for v in values], dtype=np.float32))
            names.append(name)
    return np.column_stack(blocks), names


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main():
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM bench_textile")
    n = cur.fetchone()[0]
    assert n == N_ROWS, (n, N_ROWS)
    categories = {}
    for name in CATEGORICAL:
        cur.execute(f"SELECT DISTINCT {name} FROM bench_textile WHERE {name} IS NOT NULL ORDER BY 1")
        categories[name] = [r[0] for r in cur.fetchall()]

    cur.execute(f"SELECT {COLUMNS}, ecs FROM bench_textile WHERE id <= 20000")
    rows = cur.fetchall()
    x_train, names = encode([r[:-1] for r in rows], categories)
    y_train = np.array([r[-1] for r in rows])
    booster, train_seconds = timed(lambda: xgb.train(
        {"objective": "reg:squarederror", "max_depth": 6, "eta": 0.1, "tree_method": "hist", "seed": 1},
        xgb.DMatrix(x_train, label=y_train, feature_names=names, missing=np.nan), num_boost_round=100))
    path = os.path.join(OUT, "bench_model.json")
    booster.save_model(path)
    with open(path) as f:
        cur.execute("SELECT chemeco.model_import('bench', 'xgboost-json', %s)", (f.read(),))
    nodes = sum(len(t["left_children"]) for t in __import__("json").load(open(path))
                ["learner"]["gradient_booster"]["model"]["trees"])
    print(f"model: 100 trees, depth 6, {nodes} nodes, {len(names)} encoded columns; xgboost {xgb.__version__} "
          f"trained it on 20000 rows in {train_seconds:.1f} s")
    cur.execute("SET client_min_messages = warning")
    (_, chemeco_train_seconds) = timed(lambda: cur.execute(
        f"SELECT chemeco.train('bench_gb', 'gradient_boosting', 'SELECT {COLUMNS}, ecs FROM bench_textile "
        "WHERE id <= 20000', 'ecs', '{\"n_trees\": 100, \"max_depth\": 6, \"test_fraction\": 0}')"))
    print(f"training, same rows and parameters: chemeco.train gradient_boosting {chemeco_train_seconds:.1f} s "
          f"(1 process), xgboost.train {train_seconds:.1f} s (2 threads)")

    array_sql = "ARRAY[" + ", ".join(
        ", ".join(f"CASE WHEN {name} IS NULL THEN NULL ELSE ({name} = '{c}')::int END" for c in categories[name])
        if name in categories else name for name in ORDER) + "]::float8[]"
    results = []
    for label, expression, workers in [
            ("SQL predict(model, to_jsonb(t), allow_extra_keys => true), parallel", "chemeco.predict('bench', to_jsonb(t), allow_extra_keys => true)", 2),
            ("SQL predict(model, float8[]), parallel", f"chemeco.predict('bench', {array_sql})", 2),
            ("SQL predict(model, to_jsonb(t), allow_extra_keys => true), 1 process", "chemeco.predict('bench', to_jsonb(t), allow_extra_keys => true)", 0),
            ("SQL predict(model, float8[]), 1 process", f"chemeco.predict('bench', {array_sql})", 0),
            ("SQL sum(mass) (scan only), 1 process", "mass", 0)]:
        cur.execute(f"SET max_parallel_workers_per_gather = {workers}")
        (_, seconds) = timed(lambda: (cur.execute(f"SELECT sum({expression}) FROM bench_textile t"), cur.fetchone()))
        results.append((label, seconds))

    cur.execute(f"SELECT {COLUMNS} FROM bench_textile ORDER BY id")
    fetched, fetch_seconds = timed(cur.fetchall)
    (x_all, _), encode_seconds = timed(lambda: encode(fetched, categories))
    dmatrix, dmatrix_seconds = timed(lambda: xgb.DMatrix(x_all, feature_names=names, missing=np.nan))
    predicted, predict_seconds = timed(lambda: booster.predict(dmatrix))
    results.append(("xgboost Booster.predict on an in-memory DMatrix", predict_seconds))
    results.append(("xgboost DMatrix + predict on an in-memory matrix", dmatrix_seconds + predict_seconds))
    results.append(("fetch (psycopg2) + encode (numpy) + xgboost predict",
                    fetch_seconds + encode_seconds + dmatrix_seconds + predict_seconds))

    cur.execute("RESET max_parallel_workers_per_gather")
    cur.execute("SELECT array_agg(chemeco.predict('bench', to_jsonb(t), allow_extra_keys => true) ORDER BY id) FROM bench_textile t "
                "WHERE id % 1000 = 0")
    sample = np.array(cur.fetchone()[0])
    differ = int(np.sum(sample.astype(np.float32) != predicted[999::1000]))
    print(f"check: {len(sample)} sampled rows, {differ} differ from xgboost in float32")
    print(f"fetch-and-score parts: fetch {fetch_seconds:.2f} s, encode {encode_seconds:.2f} s, "
          f"DMatrix {dmatrix_seconds:.2f} s, predict {predict_seconds:.2f} s")
    print(f"{'path (' + str(n) + ' rows)':58s} {'seconds':>8s} {'rows/s':>12s}")
    for label, seconds in results:
        print(f"{label:58s} {seconds:8.2f} {n / seconds:12,.0f}")


if __name__ == "__main__":
    main()
