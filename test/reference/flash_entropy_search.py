#!/usr/bin/python3
"""The anchor of bench_search.sh: Flash entropy search as published, in numpy.

Li et al. 2023 (Nat. Methods 20:1020), the algorithm of ms_entropy's
FlashEntropySearch (open search, one CPU thread), written from the paper
and the package's description, not from chemeco's C code:
  - every library peak, prepared (cleaned, entropy-weighted, normalised to
    sum 1) and its intensity halved, goes into three arrays sorted by m/z:
    m/z (float32), intensity (float32), spectrum number (uint32);
  - for each query peak (prepared and halved the same way) a binary search
    finds the peaks within the tolerance, and f(a + b) - f(a) - f(b),
    f(x) = x log2 x, of each is added to its spectrum's score in a dense
    float32 array (with halved intensities the sum is the similarity);
  - the top k come from that array (argpartition, then sorted).
Cleaning is test/reference/spectral_similarity.py's (ms_entropy's
clean_spectrum: merge within 2 x tolerance, drop below 1% of the highest, no
precursor removal), as chemeco's index does at tolerance 0.02 Da.

    /usr/bin/python3 flash_entropy_search.py LIBRARY_TABLE QUERY_TABLE[:FIRST] ... [--rows FILE]

reads the library (psql, the PG* environment) in ctid order, builds the
arrays, runs each query table's queries (qid, q) in qid order (at most FIRST
of them), and prints per table the median ms per query (the search: the
query's cleaning, compiled in ms_entropy and Python here, is not timed), then with --rows
(lines "qid|ctid,ctid,..." of chemeco's top 10 for the first table) how many
of those top-10 lists the anchor returns the same, as sets and in order.
"""
import os
import re
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spectral_similarity import prepare  # noqa: E402

TOLERANCE = 0.02
TOP_K = 10


def psql_rows(sql):
    """Rows of a query as lists of text fields (COPY text format), streamed."""
    with subprocess.Popen(["psql", "-X", "-q", "-c", "COPY (%s) TO STDOUT" % sql],
                          stdout=subprocess.PIPE, text=True) as psql:
        for line in psql.stdout:
            yield line.rstrip("\n").split("\t")
    if psql.returncode != 0:
        raise RuntimeError("psql failed: " + sql)


def peaks_of(mz_text, intensity_text):
    mz = np.array(mz_text.strip("{}").split(","), dtype=np.float64)
    intensity = np.array(intensity_text.strip("{}").split(","), dtype=np.float64)
    return np.column_stack((mz, intensity))


def prepared_halved(peaks):
    peaks = prepare(peaks, TOLERANCE, weighted=True, do_clean=True)
    return peaks[:, 0].astype(np.float32), (peaks[:, 1] / 2).astype(np.float32)


class FlashEntropySearch:
    def __init__(self, spectra):
        mz, intensity, spectrum = [], [], []
        for s, peaks in enumerate(spectra):
            m, i = prepared_halved(peaks)
            mz.append(m)
            intensity.append(i)
            spectrum.append(np.full(len(m), s, dtype=np.uint32))
        self.nspectra = len(mz)
        mz = np.concatenate(mz)
        order = np.argsort(mz, kind="stable")
        self.mz = mz[order]
        self.intensity = np.concatenate(intensity)[order]
        self.spectrum = np.concatenate(spectrum)[order]

    def search(self, qmz, qintensity, k=TOP_K):
        """The k best (similarity, spectrum) for a prepared and halved query, best first,
        ties by spectrum number (then spectra sharing no peak, as ORDER BY <~>, ctid does)."""
        score = np.zeros(self.nspectra, dtype=np.float32)
        # float32 bounds, as the arrays (a float64 bound would convert the whole m/z array)
        low = np.searchsorted(self.mz, (qmz - np.float32(TOLERANCE)).astype(np.float32), side="left")
        high = np.searchsorted(self.mz, (qmz + np.float32(TOLERANCE)).astype(np.float32), side="right")
        for lo, hi, b in zip(low, high, qintensity):
            a = self.intensity[lo:hi]
            ab = a + b
            score[self.spectrum[lo:hi]] += ab * np.log2(ab) - a * np.log2(a) - b * np.log2(b)
        k = min(k, self.nspectra)
        kth = score[np.argpartition(-score, k - 1)[k - 1]]
        best = np.flatnonzero(score >= max(kth, np.float32(np.finfo(np.float32).tiny)))
        best = best[np.lexsort((best, -score[best]))][:k]
        if len(best) < k:
            # a similarity <= 0 (float32 rounding can make it negative) is 0: no match
            best = np.concatenate((best, np.flatnonzero(score <= 0)[:k - len(best)]))
        return [(max(float(score[s]), 0.0), int(s)) for s in best]


def main():
    args = sys.argv[1:]
    rows_file = None
    if "--rows" in args:
        at = args.index("--rows")
        rows_file = args[at + 1]
        del args[at:at + 2]
    library_table, query_tables = args[0], args[1:]

    start = time.perf_counter()
    ctids = []

    def library():
        for tid, mz_text, intensity_text in psql_rows(
                "SELECT ctid::text AS tid, chemeco.mz(spectrum), chemeco.intensities(spectrum) "
                "FROM %s WHERE spectrum IS NOT NULL ORDER BY ctid" % library_table):
            ctids.append(tid)
            yield peaks_of(mz_text, intensity_text)

    anchor = FlashEntropySearch(library())
    print("  anchor (numpy Flash entropy search): %d spectra, %d peaks, read and built in %.0f s"
          % (anchor.nspectra, len(anchor.mz), time.perf_counter() - start))

    results = {}
    for n, spec in enumerate(query_tables):
        table, _, first = spec.partition(":")
        limit = " LIMIT %s" % first if first else ""
        queries = list(psql_rows("SELECT qid, chemeco.mz(q), chemeco.intensities(q) FROM %s ORDER BY qid%s"
                            % (table, limit)))
        times = []
        for qid, mz_text, intensity_text in queries:
            # the query's cleaning is not timed: ms_entropy's is compiled, this one is Python
            qmz, qintensity = prepared_halved(peaks_of(mz_text, intensity_text))
            t = time.perf_counter()
            hits = anchor.search(qmz, qintensity)
            times.append(1000 * (time.perf_counter() - t))
            if n == 0:
                results[qid] = [ctids[s] for _, s in hits]
        print("  anchor over %d queries of %s: median %.2f ms/query, first %.2f ms"
              % (len(times), table, float(np.median(times)), times[0]))

    if rows_file:
        same_order = same_set = total = 0
        with open(rows_file) as f:
            for line in f:
                qid, _, listed = line.strip().partition("|")
                ours = re.findall(r"\(\d+,\d+\)", listed)
                theirs = results.get(qid, [])
                total += 1
                same_order += ours == theirs
                same_set += set(ours) == set(theirs)
                if set(ours) != set(theirs) and total - same_set == 1:
                    print("  first different list, query %s: chemeco %s, anchor %s" % (qid, ours, theirs))
        print("  anchor top 10 against chemeco's: %d of %d lists the same in order, %d as sets"
              " (the anchor's float32 can reorder near-ties and windows at exactly 0.02 Da)"
              % (same_order, total, same_set))


if __name__ == "__main__":
    main()
