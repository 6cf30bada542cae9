#!/usr/bin/python3
"""Nominal isotope clusters from IsoSpec (IsoSpecPy), the independent check of
chemeco's isotope_pattern (src/screening/isotope.c is its own convolution).

Usage: /usr/bin/python3 test/reference/isotope_reference.py > test/data/isotope_reference.csv

Formulas: every distinct formula of test/data/massbank_formulas.csv (MassBank
LC-MS/MS and GC-EI records) plus 300 formulas drawn with a fixed seed with one or
two elements with many isotopes (Cl, Br, S, Se, Sn, Hg, Fe, Zn, Si, B, K, Pt).
For each neutral formula IsoSpec enumerates the fine-structure
configurations covering 1 - 1e-7 of the probability; they are grouped by
nominal offset k = round(mass - monoisotopic mass) (most
abundant isotope of each element; k < 0 when a lighter isotope exists) and each cluster written as
formula,k,intensity (sum of probabilities),mean_mass (probability-weighted
mean), clusters with intensity >= 1e-6 only.  Debian python3-isospec
(IsoSpec 2.2.1, BSD-2-Clause).
"""
import csv
import random
import sys
from collections import defaultdict

import IsoSpecPy

HEAVY = ["Cl", "Br", "S", "Se", "Sn", "Hg", "Fe", "Zn", "Si", "B", "K", "Pt"]


def formulas():
    seen = []
    with open("test/data/massbank_formulas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["formula"] not in seen:
                seen.append(row["formula"])
    rng = random.Random(13)
    for _ in range(300):
        parts = [("C", rng.randint(1, 40)), ("H", rng.randint(0, 60)), ("O", rng.randint(0, 8)),
                 ("N", rng.randint(0, 4))]
        parts += [(e, rng.randint(1, 3)) for e in rng.sample(HEAVY, rng.randint(1, 2))]
        seen.append("".join("%s%d" % (e, n) for e, n in parts if n > 0))
    return seen


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["formula", "k", "intensity", "mean_mass"])
    for formula in formulas():
        iso = IsoSpecPy.IsoTotalProb(formula=formula, prob_to_cover=1 - 1e-7, get_confs=False)
        masses, probs = list(iso.masses), list(iso.probs)
        mono = IsoSpecPy.Iso(formula=formula).getMonoisotopicPeakMass()
        prob, moment = defaultdict(float), defaultdict(float)
        for m, p in zip(masses, probs):
            k = round(m - mono)
            prob[k] += p
            moment[k] += p * m
        for k in sorted(prob):
            if prob[k] >= 1e-6:
                out.writerow([formula, k, repr(prob[k]), repr(moment[k] / prob[k])])


if __name__ == "__main__":
    main()
