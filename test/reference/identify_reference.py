#!/usr/bin/python3
"""Independent reference for chemeco.identify's options (test/pgtap/search_identify.sql).

Re-implements, in numpy float64, what ms_entropy (github.com/YuanyueLi/MSEntropy,
ms_entropy/spectra/tools.py and entropy.py; FlashEntropySearch in
entropy_search/flash_entropy_search.py) does to a pair of spectra:
clean_spectrum (drop m/z above precursor - precursor_ions_removal_da, centroid by
merging within min_ms2_difference_in_da, drop peaks below 1% of the base peak,
normalise to sum 1), the entropy weighting (intensity ** (0.25 + 0.25 S) when
S < 3), and the two-pointer match whose window with ms2_tolerance_in_ppm is
peaks_a[i].mz * ppm * 1e-6 (peaks_a: the query).  The neutral-loss score runs the
same match on neutral losses (precursor - m/z).  Prints one line per case.
Run:  /usr/bin/python3 test/reference/identify_reference.py
"""
import numpy as np


def centroid(peaks, merge):
    """Merge peaks within `merge` Da, most intense first (ms_entropy's _centroid_spectrum)."""
    peaks = peaks[np.argsort(peaks[:, 0], kind="stable")]
    while len(peaks) > 1 and np.any(np.diff(peaks[:, 0]) < merge):
        out = []
        work = peaks.copy()
        for idx in np.argsort(-work[:, 1], kind="stable"):
            if work[idx, 1] <= 0:
                continue
            lo, hi = idx, idx + 1
            while lo > 0 and work[idx, 0] - work[lo - 1, 0] <= merge:
                lo -= 1
            while hi < len(work) and work[hi, 0] - work[idx, 0] <= merge:
                hi += 1
            total = work[lo:hi, 1].sum()
            out.append((np.dot(work[lo:hi, 0], work[lo:hi, 1]) / total, total))
            work[lo:hi, 1] = 0
        peaks = np.array(sorted(out))
    return peaks


def prepare(text, precursor=None, removal=None, merge=0.04):
    peaks = np.array([[float(x) for x in p.split(":")] for p in text.split()])
    if removal is not None:
        peaks = peaks[peaks[:, 0] < precursor - removal]
    peaks = centroid(peaks, merge)
    peaks = peaks[peaks[:, 1] >= 0.01 * peaks[:, 1].max()]
    peaks[:, 1] /= peaks[:, 1].sum()
    s = -np.sum(peaks[:, 1] * np.log(peaks[:, 1]))
    if s < 3:
        peaks[:, 1] = peaks[:, 1] ** (0.25 + 0.25 * s)
        peaks[:, 1] /= peaks[:, 1].sum()
    return peaks


def match(a, b, da=0.02, ppm=None):
    f = lambda x: x * np.log2(x)
    i = j = n = 0
    total = 0.0
    while i < len(a) and j < len(b):
        tol = a[i, 0] * ppm * 1e-6 if ppm else da
        d = a[i, 0] - b[j, 0]
        if d < -tol:
            i += 1
        elif d > tol:
            j += 1
        else:
            total += f(a[i, 1] + b[j, 1]) - f(a[i, 1]) - f(b[j, 1])
            i, j, n = i + 1, j + 1, n + 1
    return total / 2, n


def neutral_loss(a, pa, b, pb):
    la = np.column_stack([pa - a[::-1, 0], a[::-1, 1]])
    lb = np.column_stack([pb - b[::-1, 0], b[::-1, 1]])
    return match(la, lb)


Q = "100:20 150:30 250:45 300:5"      # query with its intact precursor peak (precursor 300)
Q2 = "100:20 150:30 250:45"
INTACT = "100:20 150:30 250:45"       # library row, precursor 300
SHIFTED = "100.002:20 150.002:30 250.002:45"
HOMOLOGUE = "114.0157:20 164.0157:30 264.0157:50"   # precursor 314.0157
SPLIT = "99.9775:10 100.0225:10 150:30 250:45"

cases = [
    ("precursor kept", match(prepare(Q), prepare(INTACT))),
    ("precursor_removal 1.6", match(prepare(Q, 300, 1.6), prepare(INTACT, 300, 1.6))),
    ("0.02 Da", match(prepare(Q2), prepare(SHIFTED))),
    ("10 ppm", match(prepare(Q2), prepare(SHIFTED), ppm=10)),
    ("neutral loss homologue", neutral_loss(prepare("100:20 150:30 250:50"), 300, prepare(HOMOLOGUE), 314.0157)),
    ("merge 0.04", match(prepare(Q2), prepare(SPLIT))),
    ("merge 0.05", match(prepare(Q2, merge=0.05), prepare(SPLIT, merge=0.05))),
]
for name, (score, n) in cases:
    print("%-24s %.15f %d" % (name, score, n))
