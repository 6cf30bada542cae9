#!/usr/bin/python3
"""Independent reference values for chemeco's spectral similarity functions.

Written with numpy from the published definitions (matchms 0.33.0
CosineGreedy and ModifiedCosineGreedy; Li et al. 2021 spectral entropy with
the ms_entropy cleaning pipeline), not from chemeco's C code.  Tolerances in
ppm as ms_entropy defines them: matching peaks a, b when |a - b| <= a * ppm
* 1e-6 (a from the first spectrum); merging neighbours x < y when y - x <=
y * ppm * 1e-6.  Run with Debian's python3-numpy:

    /usr/bin/python3 test/reference/spectral_similarity.py /path/to/shared/data/spectra

It picks real MassBank LC-MS/MS spectra (compounds measured by several labs,
plus a few others) and writes
    test/data/spectra_sample.csv        id, name, inchikey, precursor_mz, spectrum
    test/data/similarity_reference.csv  one row per ordered pair (a, b), a <= b
    test/data/clean_reference.csv       chemeco.clean() defaults, per spectrum
"""
import csv
import os
import sys

import numpy as np


def read_mgf(path):
    records, current = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line == "BEGIN IONS":
                current = {"peaks": []}
            elif line == "END IONS":
                records.append(current)
                current = None
            elif current is not None and "=" in line and not line[0].isdigit():
                key, value = line.split("=", 1)
                current[key.lower()] = value
            elif current is not None and line:
                mz, intensity = line.split()[:2]
                current["peaks"].append((mz, intensity))
    return records


# ---------------------------------------------------------------- cosine
def window(mz, tolerance, ppm):
    return mz * tolerance * 1e-6 if ppm else tolerance


def cosine_greedy(a, b, tolerance, mz_power, intensity_power, shifts=(0.0,), ppm=False):
    """Candidate pairs by brute force, greedy by score (matchms order)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0
    cand = []
    for shift in shifts:
        mz2 = b[:, 0] + shift
        for i in range(len(a)):
            w = window(a[i, 0], tolerance, ppm)
            low, high = a[i, 0] - w, a[i, 0] + w
            for j in np.nonzero((mz2 >= low) & (mz2 <= high))[0]:
                score = (a[i, 0] ** mz_power * a[i, 1] ** intensity_power
                         * b[j, 0] ** mz_power * b[j, 1] ** intensity_power)
                cand.append((i, j, score))
    if not cand:
        return 0.0, 0
    cand = np.array(cand)
    cand = cand[np.argsort(cand[:, 2], kind="mergesort")[::-1]]
    used_a, used_b, total, matches = set(), set(), 0.0, 0
    for i, j, score in cand:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        total += score
        matches += 1
    wa = a[:, 0] ** mz_power * a[:, 1] ** intensity_power
    wb = b[:, 0] ** mz_power * b[:, 1] ** intensity_power
    norm = np.sqrt(np.sum(wa ** 2)) * np.sqrt(np.sum(wb ** 2))
    if not norm > 0:
        return 0.0, 0
    return min(total / norm, 1.0), matches


def modified_cosine(a, b, precursor_a, precursor_b, tolerance=0.1, ppm=False):
    """matchms 0.33.0 ModifiedCosineGreedy: a shift within the tolerance is plain CosineGreedy."""
    shift = precursor_a - precursor_b
    if abs(shift) <= window(precursor_a, tolerance, ppm):
        return cosine_greedy(a, b, tolerance, 0.0, 1.0, ppm=ppm)
    return cosine_greedy(a, b, tolerance, 0.0, 1.0, shifts=(0.0, shift), ppm=ppm)


# ---------------------------------------------------------------- entropy
def centroid(peaks, tolerance, ppm=False):
    peaks = peaks[np.argsort(peaks[:, 0], kind="stable")]
    while len(peaks) > 1 and np.any(np.diff(peaks[:, 0]) < window(peaks[1:, 0], tolerance, ppm)):
        peaks = peaks.copy()
        merged = []
        for idx in np.argsort(peaks[:, 1], kind="stable")[::-1]:
            if peaks[idx, 1] <= 0:
                continue
            # neighbours within the tolerance (ppm: of the higher m/z), contiguous around idx
            higher = np.maximum(peaks[:, 0], peaks[idx, 0])
            near = np.abs(peaks[:, 0] - peaks[idx, 0]) <= window(higher, tolerance, ppm)
            lo = hi = idx
            while lo - 1 >= 0 and near[lo - 1]:
                lo -= 1
            while hi + 1 < len(peaks) and near[hi + 1]:
                hi += 1
            block = peaks[lo:hi + 1]
            total = block[:, 1].sum()
            merged.append((np.sum(block[:, 0] * block[:, 1]) / total, total))
            peaks[lo:hi + 1, 1] = 0
        peaks = np.array(merged)
        peaks = peaks[np.argsort(peaks[:, 0], kind="stable")]
    return peaks


def clean(peaks, min_ratio, merge_tolerance, max_mz=None, normalize="sum", ppm=False, min_mz=None,
          max_peak_num=None):
    peaks = peaks[(peaks[:, 0] > 0) & (peaks[:, 1] > 0)]
    if min_mz is not None:
        peaks = peaks[peaks[:, 0] >= min_mz]
    if max_mz is not None:
        peaks = peaks[peaks[:, 0] < max_mz]
    if len(peaks) == 0:
        return peaks.reshape(0, 2)
    peaks = centroid(peaks, merge_tolerance, ppm)
    peaks = peaks[peaks[:, 1] >= min_ratio * peaks[:, 1].max()]
    if max_peak_num is not None and len(peaks) > max_peak_num:
        # the most intense; among equal intensities the higher m/z
        keep = np.lexsort((-peaks[:, 0], -peaks[:, 1]))[:max_peak_num]
        peaks = peaks[np.sort(keep)]
    if normalize == "sum":
        peaks[:, 1] /= peaks[:, 1].sum()
    elif normalize == "max":
        peaks[:, 1] /= peaks[:, 1].max()
    return peaks


def spectral_entropy(intensities):
    p = intensities / intensities.sum() if intensities.sum() > 0 else intensities
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def prepare(peaks, tolerance, weighted, do_clean, ppm=False):
    if do_clean:
        peaks = clean(peaks, 0.01, 2 * tolerance, ppm=ppm)
    else:
        peaks = peaks.copy()
        if peaks[:, 1].sum() > 0:
            peaks[:, 1] /= peaks[:, 1].sum()
    if weighted and len(peaks):
        s = spectral_entropy(peaks[:, 1])
        if s < 3:
            peaks = peaks.copy()
            peaks[:, 1] = peaks[:, 1] ** (0.25 + 0.25 * s)
            peaks[:, 1] /= peaks[:, 1].sum()
    return peaks


def xlog2x(x):
    return x * np.log2(x) if x > 0 else 0.0


def entropy_walk(a, b, tolerance=0.02, ppm=False):
    """Two-pointer match of prepared spectra: (similarity, matched pairs).  With ppm the
    tolerance is in ppm of a[i]'s m/z (ms_entropy's ms2_tolerance_in_ppm, from peaks_a)."""
    i = j = n = 0
    total = 0.0
    while i < len(a) and j < len(b):
        d = a[i, 0] - b[j, 0]
        w = window(a[i, 0], tolerance, ppm)
        if d < -w:
            i += 1
        elif d > w:
            j += 1
        else:
            x, y = a[i, 1], b[j, 1]
            total += xlog2x(x + y) - xlog2x(x) - xlog2x(y)
            i += 1
            j += 1
            n += 1
    return min(max(total / 2, 0.0), 1.0), n


def entropy_similarity(a, b, tolerance=0.02, weighted=True, do_clean=True, ppm=False):
    a = prepare(a, tolerance, weighted, do_clean, ppm)
    b = prepare(b, tolerance, weighted, do_clean, ppm)
    return entropy_walk(a, b, tolerance, ppm)[0]


# ---------------------------------------------------------------- selection
def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/spectra"
    out = os.path.join(os.path.dirname(__file__), "..", "data")
    records = read_mgf(os.path.join(shared, "massbank_lcmsms_water.mgf"))
    by_key = {}
    for r in records:
        by_key.setdefault(r.get("inchikey", ""), []).append(r)
    chosen = []
    # compounds from several labs: the realistic identification case
    for key in sorted(k for k, v in by_key.items() if k and len({x["title"].split("-")[1] for x in v}) > 1):
        labs = {}
        for r in by_key[key]:
            labs.setdefault(r["title"].split("-")[1], r)
        chosen.extend(sorted(labs.values(), key=lambda r: r["title"])[:2])
        if len(chosen) >= 24:
            break
    # and every 97th record for unrelated pairs
    chosen.extend(r for r in records[::97] if r not in chosen)

    with open(os.path.join(out, "spectra_sample.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "accession", "name", "inchikey", "precursor_mz", "spectrum"])
        for n, r in enumerate(chosen, 1):
            w.writerow([n, r["title"], r["name"], r.get("inchikey", ""), r["pepmass"].split()[0],
                        " ".join(f"{mz}:{i}" for mz, i in r["peaks"])])

    arrays = [np.array([(float(m), float(i)) for m, i in r["peaks"]]).reshape(-1, 2) for r in chosen]
    arrays = [p[np.argsort(p[:, 0], kind="stable")] for p in arrays]
    precursors = [float(r["pepmass"].split()[0]) for r in chosen]
    with open(os.path.join(out, "similarity_reference.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["a", "b", "cosine", "cosine_matches", "cosine_mz1_tol002", "modified_cosine",
                    "entropy", "entropy_unweighted", "entropy_raw", "entropy_tol005",
                    "modified_cosine_matches", "cosine_ppm20", "cosine_ppm20_matches", "entropy_ppm10",
                    "modified_cosine_ppm20"])
        for x in range(len(arrays)):
            for y in range(x, len(arrays)):
                a, b = arrays[x], arrays[y]
                cos, matches = cosine_greedy(a, b, 0.1, 0.0, 1.0)
                cos2, _ = cosine_greedy(a, b, 0.02, 1.0, 0.5)
                mod, mod_matches = modified_cosine(a, b, precursors[x], precursors[y])
                cos_ppm, cos_ppm_matches = cosine_greedy(a, b, 20, 0.0, 1.0, ppm=True)
                mod_ppm, _ = modified_cosine(a, b, precursors[x], precursors[y], 20, ppm=True)
                w.writerow([x + 1, y + 1, repr(cos), matches, repr(cos2), repr(mod),
                            repr(entropy_similarity(a, b)),
                            repr(entropy_similarity(a, b, weighted=False)),
                            repr(entropy_similarity(a, b, weighted=False, do_clean=False)),
                            repr(entropy_similarity(a, b, tolerance=0.05)),
                            mod_matches, repr(cos_ppm), cos_ppm_matches,
                            repr(entropy_similarity(a, b, tolerance=10, ppm=True)), repr(mod_ppm)])

    with open(os.path.join(out, "clean_reference.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "spectral_entropy", "clean_npeaks", "clean_entropy", "clean_max_npeaks",
                    "clean_max_sum", "clean_ppm_npeaks", "clean_ppm_entropy", "clean_top_npeaks",
                    "clean_top_mz_sum"])
        for n, (p, prec) in enumerate(zip(arrays, precursors), 1):
            c = clean(p, 0.01, 0.05)
            cm = clean(p, 0.05, 0.05, max_mz=prec - 1.6, normalize="max")
            cp = clean(p, 0.01, 200, ppm=True)
            ct = clean(p, 0.0, 0.05, max_mz=prec - 1.6, min_mz=60, max_peak_num=5, normalize="none")
            w.writerow([n, repr(spectral_entropy(p[:, 1])), len(c), repr(spectral_entropy(c[:, 1])),
                        len(cm), repr(float(cm[:, 1].sum())), len(cp), repr(spectral_entropy(cp[:, 1])),
                        len(ct), repr(float(ct[:, 0].sum()))])


if __name__ == "__main__":
    main()
