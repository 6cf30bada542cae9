#!/usr/bin/python3
"""Independent reference values for the stats aggregates (numpy + pandas).

Writes, under test/data/:
  stats_values.csv     generated groups (grp, value, weight); empty = NULL
  stats_expected.csv   per group: n, mean, std (ddof=1), min, quartiles, max,
                       quantiles 0.05/0.95 (linear, = percentile_cont) and the
                       weighted mean, computed by pandas / numpy
  ecobalyse_e2e_textile.csv   the 15 Ecobalyse e2e textile cases: impacts as
                       JSON, the published pef and ecs, and ecs_impacts = the
                       'ecs' single score of the impacts alone (no complements)
  ecobalyse_e2e_expected.csv  pandas summary of each impact over the 15 cases

Run: /usr/bin/python3 test/reference/stats_reference.py /work/shared/data/ecobalyse
(floats are written with repr(), which round-trips doubles exactly)
"""
import csv
import json
import os
import sys

import numpy as np
import pandas as pd

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
PROBS = (0.05, 0.95)


def fmt(x):
    return "" if x is None or (isinstance(x, float) and np.isnan(x)) else repr(float(x))


def generated():
    rng = np.random.RandomState(20261124)
    groups = {
        "lognormal": rng.lognormal(2.0, 1.0, 5000),
        "normal": rng.normal(-5.0, 3.0, 2000),
        "ties": rng.randint(0, 10, 1001).astype(float),
        "tiny": rng.uniform(0, 1, 300) * 1e-12,
        "outliers": np.concatenate([rng.normal(100, 5, 400), [500.0, -300.0, 1e4]]),
        "two": np.array([3.5, -1.25]),
        "one": np.array([42.0]),
    }
    rows = []
    for grp, values in groups.items():
        weights = rng.uniform(0, 5, len(values))
        rows += [(grp, v, w) for v, w in zip(values, weights)]
    # NULL values and NULL weights are ignored (by weighted_mean: the whole row)
    rows += [("lognormal", None, 1.0)] * 7 + [("lognormal", 9.0, None)] * 3
    return pd.DataFrame(rows, columns=["grp", "value", "weight"])


def summarize(values):
    s = pd.Series(values, dtype=float).dropna()
    q = s.quantile([0.25, 0.5, 0.75] + list(PROBS), interpolation="linear")
    return {"n": len(s), "mean": s.mean(), "std": s.std(ddof=1) if len(s) > 1 else None,
            "min": s.min(), "q1": q.iloc[0], "median": q.iloc[1], "q3": q.iloc[2],
            "max": s.max(), "p05": q.iloc[3], "p95": q.iloc[4]}


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(ecobalyse_dir):
    df = generated()
    write("stats_values.csv", ["grp", "value", "weight"],
          [(g, fmt(v), fmt(w)) for g, v, w in df.itertuples(index=False)])
    header = ["grp", "n", "mean", "std", "min", "q1", "median", "q3", "max", "p05", "p95", "wmean"]
    rows = []
    for grp, part in df.groupby("grp", sort=True):
        s = summarize(part["value"])
        both = part.dropna()
        wmean = np.average(both["value"], weights=both["weight"])
        rows.append([grp] + [s["n"]] + [fmt(s[k]) for k in header[2:-1]] + [fmt(wmean)])
    write("stats_expected.csv", header, rows)

    impacts = json.load(open(os.path.join(ecobalyse_dir, "impacts.json"), encoding="utf-8"))
    cases = json.load(open(os.path.join(ecobalyse_dir, "e2e-textile.json"), encoding="utf-8"))
    rows = []
    long_rows = []
    for i, case in enumerate(cases, 1):
        imp = case["impacts"]
        ecs = 1e6 * sum(imp[c] / impacts[c]["ecoscore"]["normalization"] * impacts[c]["ecoscore"]["weighting"]
                        for c in sorted(imp) if impacts[c].get("ecoscore"))
        rows.append([i, case["name"], json.dumps(imp, ensure_ascii=False), fmt(imp["pef"]),
                     fmt(imp["ecs"]), fmt(ecs)])
        long_rows += [(code, value) for code, value in imp.items()]
    write("ecobalyse_e2e_textile.csv", ["case_no", "name", "impacts", "pef", "ecs", "ecs_impacts"], rows)
    long = pd.DataFrame(long_rows, columns=["code", "value"])
    rows = []
    for code, part in long.groupby("code", sort=True):
        s = summarize(part["value"])
        rows.append([code, s["n"]] + [fmt(s[k]) for k in header[2:-1]])
    write("ecobalyse_e2e_expected.csv", header[:-1], rows)


if __name__ == "__main__":
    main(sys.argv[1])
