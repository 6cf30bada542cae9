#!/usr/bin/python3
"""Reference models for chemeco's model scoring and training tests.

Run with Debian's interpreter (python3-xgboost, python3-numpy):
    /usr/bin/python3 test/reference/xgboost_model.py
Writes, under test/data/:
  textile.csv              a generated textile-like data set (2000 products) with missing values
  xgb_model.json           XGBoost reg:squarederror model of ecs (trained on id % 4 <> 0)
  xgb_model_logistic.json  XGBoost binary:logistic model of ecs > median, base_score 0.3
  xgb_reference.csv        id, xgboost's predictions of both models for every row (float32, 9 digits)
and prints the hold-out R² (rows with id % 4 = 0) of xgboost trained with the
parameters that docs/reference/model.md compares against chemeco.train.

The one-hot columns are named "<feature>=<category>" and are NaN when the
category is missing, which is how chemeco's feature spec encodes them.
"""
import csv
import os

import numpy as np
import xgboost as xgb

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")

PRODUCTS = {"chemise": 0.25, "jean": 0.6, "jupe": 0.3, "manteau": 1.1, "pantalon": 0.45, "pull": 0.5, "tshirt": 0.17}
MATERIALS = {"coton": 9.0, "laine": 40.0, "lin": 6.0, "nylon": 12.0, "polyester": 7.0, "viscose": 8.0}
COUNTRIES = {"BD": 1.6, "CN": 1.5, "FR": 0.6, "IN": 1.7, "IT": 0.8, "PT": 0.9, "TR": 1.2}
PROCESSES = {"knitting": 1.0, "weaving": 1.4}


def generate(n, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(1, n + 1):
        product = rng.choice(sorted(PRODUCTS))
        material1 = rng.choice(sorted(MATERIALS))
        if rng.random() < 0.6:
            share1 = round(float(rng.uniform(0.5, 0.95)), 2)
            material2 = rng.choice(sorted(set(MATERIALS) - {material1}))
            share2 = round(1 - share1, 2)
        else:
            share1, material2, share2 = 1.0, None, 0.0
        dyeing, fabric, making = (rng.choice(sorted(COUNTRIES)) for _ in range(3))
        process = rng.choice(sorted(PROCESSES))
        mass = round(float(PRODUCTS[product] * rng.lognormal(0, 0.25)), 3)
        air = float(rng.choice([0.0, 0.0, 0.0, 0.33, 1.0]))
        # ecs: material and energy intensity, with interactions trees can find
        material_impact = share1 * MATERIALS[material1] + (share2 * MATERIALS[material2] if material2 else 0)
        energy = 4 * COUNTRIES[dyeing] + 3 * COUNTRIES[fabric] * PROCESSES[process] + 1.5 * COUNTRIES[making]
        ecs = mass * (material_impact + energy) * (1 + 1.5 * air) + (5 if product == "manteau" and air > 0 else 0)
        ecs = round(float(ecs * rng.lognormal(0, 0.05)), 3)
        # values go missing at random after the target is computed
        if rng.random() < 0.05:
            mass = None
        if rng.random() < 0.05:
            air = None
        rows.append(dict(id=i, product=product, material1=material1, share1=share1, material2=material2,
                         share2=share2, country_dyeing=dyeing, country_fabric=fabric, country_making=making,
                         fabric_process=process, mass=mass, air_transport_ratio=air, ecs=ecs))
    return rows


FEATURES = [("product", sorted(PRODUCTS)), ("material1", sorted(MATERIALS)), ("share1", None),
            ("material2", sorted(MATERIALS)), ("share2", None), ("country_dyeing", sorted(COUNTRIES)),
            ("country_fabric", sorted(COUNTRIES)), ("country_making", sorted(COUNTRIES)),
            ("fabric_process", sorted(PROCESSES)), ("mass", None), ("air_transport_ratio", None)]


def encode(rows):
    names = []
    for name, categories in FEATURES:
        names += [f"{name}={c}" for c in categories] if categories else [name]
    x = np.empty((len(rows), len(names)), dtype=np.float32)
    for r, row in enumerate(rows):
        col = 0
        for name, categories in FEATURES:
            value = row[name]
            if categories:
                for c in categories:
                    x[r, col] = np.nan if value is None else float(value == c)
                    col += 1
            else:
                x[r, col] = np.nan if value is None else value
                col += 1
    return x, names


def r2(y, p):
    return 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)


def main():
    rows = generate(2000, seed=20240605)
    x, names = encode(rows)
    y = np.array([r["ecs"] for r in rows])
    train = np.array([r["id"] % 4 != 0 for r in rows])
    test = ~train

    with open(os.path.join(OUT, "textile.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for row in rows:
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})

    dtrain = xgb.DMatrix(x[train], label=y[train], feature_names=names, missing=np.nan)
    dall = xgb.DMatrix(x, feature_names=names, missing=np.nan)

    reg = xgb.train({"objective": "reg:squarederror", "max_depth": 4, "eta": 0.3, "tree_method": "hist",
                     "seed": 1}, dtrain, num_boost_round=30)
    reg.save_model(os.path.join(OUT, "xgb_model.json"))

    positive = (y > np.median(y)).astype(np.float32)
    dclass = xgb.DMatrix(x[train], label=positive[train], feature_names=names, missing=np.nan)
    logistic = xgb.train({"objective": "binary:logistic", "max_depth": 3, "eta": 0.3, "base_score": 0.3,
                          "tree_method": "hist", "seed": 1}, dclass, num_boost_round=20)
    logistic.save_model(os.path.join(OUT, "xgb_model_logistic.json"))

    p_reg = reg.predict(dall)
    p_logistic = logistic.predict(dall)
    with open(os.path.join(OUT, "xgb_reference.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "xgb_ecs", "xgb_positive"])
        for row, a, b in zip(rows, p_reg, p_logistic):
            w.writerow([row["id"], "%.9g" % a, "%.9g" % b])

    # The comparison of docs/reference/model.md: same parameters as
    # chemeco.train('gradient_boosting', ..., n_trees 100, max_depth 4, learning_rate 0.1, lambda 1)
    same = xgb.train({"objective": "reg:squarederror", "max_depth": 4, "eta": 0.1, "lambda": 1,
                      "min_child_weight": 1, "tree_method": "hist", "max_bin": 256, "seed": 1},
                     dtrain, num_boost_round=100)
    print("xgboost 1.7 hold-out R2 (id %% 4 = 0, 100 trees, depth 4, eta 0.1): %.4f"
          % r2(y[test], same.predict(xgb.DMatrix(x[test], feature_names=names, missing=np.nan))))
    print("reference model hold-out R2 (30 trees, depth 4, eta 0.3): %.4f" % r2(y[test], p_reg[test]))


if __name__ == "__main__":
    main()
