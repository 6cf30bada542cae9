#!/usr/bin/python3
"""IsoSpecPy (Debian python3-isospec) on the same formulas as bench_isotope.c.

Usage: bench_isotope.py formulas.txt repeats
IsoTotalProb(prob_to_cover=0.9999) per formula: the fine-structure
configurations covering 99.99 % of the probability, the usual IsoSpec call,
then binned to nominal masses (the 0.5 cluster).  Python call overhead is
part of the figure, as it is for a user of IsoSpecPy.
"""
import sys
import time

import IsoSpecPy

formulas = [line.strip() for line in open(sys.argv[1]) if line.strip()]
repeats = int(sys.argv[2])
t0 = time.perf_counter()
peaks = 0
for _ in range(repeats):
    for f in formulas:
        d = IsoSpecPy.IsoTotalProb(prob_to_cover=0.9999, formula=f, get_confs=False)
        d.binned(1.0)
        peaks += len(d.masses)
elapsed = time.perf_counter() - t0
print("IsoSpecPy 2.2.1  p_cover 0.9999: %9.0f patterns/s  (%d formulas x %d)"
      % (len(formulas) * repeats / elapsed, len(formulas), repeats))
