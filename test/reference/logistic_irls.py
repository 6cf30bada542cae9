#!/usr/bin/python3
"""Reference values for chemeco's logistic regression (test/unit/test_model.c).

Run with Debian's interpreter (python3-numpy):
    /usr/bin/python3 test/reference/logistic_irls.py

An independent numpy fit of the objective docs/reference/model.md states:
columns standardized (population standard deviation, missing values at the
mean), minimize  sum log-loss + lambda/2 |w|^2  (the intercept unpenalized)
by plain IRLS with numpy.linalg.solve, then map w back to the raw columns.
The data are the deterministic rows the unit test builds:
    x1 = sin(i), x2 = cos(3 i) * 2 + 1 (NaN when i % 11 == 5), x3 = i % 4
    y  = 1 when sin(7 i) + x1 - 0.5 x2 > -0.6  (i = 0 .. 59)
Also prints the hold-out style metrics of fixed probabilities (ROC AUC by
counting all positive/negative pairs, ties 1/2).
"""
import math

import numpy as np

N = 60


def rows():
    x = np.empty((N, 3))
    y = np.empty(N)
    for i in range(N):
        x[i, 0] = math.sin(i)
        x[i, 1] = math.nan if i % 11 == 5 else math.cos(3 * i) * 2 + 1
        x[i, 2] = i % 4
        x2 = 0.0 if math.isnan(x[i, 1]) else x[i, 1]
        y[i] = 1.0 if math.sin(7 * i) + x[i, 0] - 0.5 * x2 > -0.6 else 0.0
    return x, y


def fit(x, y, lam):
    mean = np.nanmean(x, axis=0)
    sd = np.sqrt(np.nansum((x - mean) ** 2, axis=0) / len(y))
    z = np.where(np.isnan(x), 0.0, (x - mean) / sd)
    design = np.hstack([np.ones((len(y), 1)), z])
    beta = np.zeros(design.shape[1])
    penalty = np.diag([0.0] + [lam] * z.shape[1])
    for _ in range(200):
        mu = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (y - mu) - penalty @ beta
        hessian = design.T @ (design * (mu * (1 - mu))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-13:
            break
    coefficients = beta[1:] / sd
    intercept = beta[0] - coefficients @ mean
    return intercept, coefficients


def metrics(y, p):
    pos = p[y == 1]
    neg = p[y == 0]
    auc = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))
    q = np.clip(p, 1e-15, 1 - 1e-15)
    log_loss = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
    brier = np.mean((p - y) ** 2)
    return log_loss, auc, brier


if __name__ == "__main__":
    x, y = rows()
    print("positives", int(y.sum()), "of", N)
    for lam in (1.0, 0.1):
        intercept, coefficients = fit(x, y, lam)
        print(f"lambda {lam}: intercept {intercept:.17g} coefficients "
              + " ".join(f"{c:.17g}" for c in coefficients))
    y4 = np.array([1, 0, 1, 1, 0, 0, 1, 0.0])
    p4 = np.array([0.9, 0.2, 0.6, 0.6, 0.6, 0.1, 0.35, 0.5])
    print("metrics log_loss %.17g auc %.17g brier %.17g" % metrics(y4, p4))
