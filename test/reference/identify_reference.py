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
Reuses the cleaning and match of test/reference/spectral_similarity.py.
Run:  /usr/bin/python3 test/reference/identify_reference.py
"""
import numpy as np

from spectral_similarity import entropy_walk, prepare as prepare_peaks


def prepare(text, precursor=None, removal=None, merge=0.04):
    """ms_entropy's clean_spectrum (merging within `merge`) and weighting, after dropping
    the peaks at or above precursor - removal."""
    peaks = np.array([[float(x) for x in p.split(":")] for p in text.split()])
    if removal is not None:
        peaks = peaks[peaks[:, 0] < precursor - removal]
    return prepare_peaks(peaks, merge / 2, True, True)


def match(a, b, ppm=None):
    return entropy_walk(a, b, ppm, ppm=True) if ppm else entropy_walk(a, b, 0.02)


def neutral_loss(a, pa, b, pb):
    """The same match on neutral losses (precursor - m/z), which ascend as m/z descends."""
    return match(np.column_stack([pa - a[::-1, 0], a[::-1, 1]]), np.column_stack([pb - b[::-1, 0], b[::-1, 1]]))


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
