#!/usr/bin/python3
"""Independent numpy LS-NMF (ESAT-style) used as the benchmark baseline and to
cross-check chemeco's Q values.

Usage: pmf_lsnmf.py CON.csv UNC.csv FACTORS RUNS [SEED]
Reads EPA PMF example files (first column = date, then one column per species),
runs RUNS random starts of weighted multiplicative updates (Wang et al. 2006,
as in ESAT's LSNMF.update) with chemeco's conventions: weights 1/u^2 throughout,
convergence when Q(robust) (alpha = 4) drops by less than 0.1 over 50
iterations, the best run chosen by Q(robust); prints one line per run plus the
best Q(true), the seconds and the CPU seconds.
Random starts come from numpy's generator, so the Q values match chemeco's only
statistically (same algorithm, different random starting points).
"""
import sys
import time

import numpy as np


def load(path):
    return np.genfromtxt(path, delimiter=",", skip_header=1)[:, 1:]


def q_true(V, U, W, H):
    return float(np.sum(((V - W @ H) / U) ** 2))


def q_robust(V, U, W, H, alpha=4.0):
    r = np.abs((V - W @ H) / U)
    big = r > alpha
    contrib = np.where(big, alpha * r, r * r)
    robust_u = np.where(big, U * np.sqrt(r / alpha), U)
    return float(np.sum(contrib)), robust_u


def fit(V, U, k, rng, max_iter=20000, delta=0.1, window=50, robust=True):
    m, n = V.shape
    H = np.abs(np.sqrt(V.mean(axis=0) / k) * rng.standard_normal((k, n)))
    W = np.abs(np.sqrt(V.mean(axis=1) / k)[:, None] * rng.standard_normal((m, k)))
    We = 1.0 / U ** 2
    WeV = We * V
    history = []
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        H *= (W.T @ WeV) / (W.T @ (We * (W @ H)))
        W *= (WeV @ H.T) / ((We * (W @ H)) @ H.T)
        q = q_robust(V, U, W, H)[0] if robust else q_true(V, U, W, H)
        history.append(q)
        # converged when Q(t - window) - Q(t) < delta
        if len(history) > window:
            if history[-window - 1] - q < delta:
                converged = True
                break
            history.pop(0)
    return W, H, it, converged


def main():
    con, unc, k, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 42
    V, U = load(con), load(unc)
    rng = np.random.default_rng(seed)
    best = None
    t0 = time.time()
    cpu0 = time.process_time()
    for run in range(runs):
        W, H, it, conv = fit(V, U, k, rng)
        qt = q_true(V, U, W, H)
        qr, _ = q_robust(V, U, W, H)
        print(f"run {run + 1}/{runs}: Q(true)={qt:.1f} Q(robust)={qr:.1f} iterations={it} converged={conv}")
        if best is None or qr < best[1]:
            best = (qt, qr)
    seconds = time.time() - t0
    cpu_seconds = time.process_time() - cpu0
    print(f"best Q(true)={best[0]:.1f} Q(robust)={best[1]:.1f} seconds={seconds:.2f} cpu_seconds={cpu_seconds:.2f}")


if __name__ == "__main__":
    main()
