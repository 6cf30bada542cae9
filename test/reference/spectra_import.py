#!/usr/bin/python3
"""Independent reference for chemeco.read_msp/read_mgf (test/sql/spectrum_import.sql).

Reads each library file with regular expressions (a different method from the
C line reader) and prints, per file: number of records, total peaks, number of
records with a precursor m/z and their sum, sums of all peak m/z and intensity,
the total number of header fields, and md5 checksums of the names and of the
per-record peak counts in file order.
Run:  /usr/bin/python3 test/reference/spectra_import.py > test/data/spectra_import_reference.csv
"""
import gzip
import hashlib
import math
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = [
    "Hydrogen_chloride.msp", "comments_with_quotes.msp", "edge_golm.msp", "golm.msp",
    "massbank_five_spectra.msp", "multiline_semicolon.msp", "riken_style_five_spectra.msp",
    "test_spectra_collection.msp", "massbank_gc_ei.msp.gz", "JL_2021_V2.msl",
    "testdata.mgf", "massbank_lcmsms_water.mgf.gz", "pesticides.mgf.gz",
]
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
PAIR = re.compile(r"(" + NUMBER + r")\s*[:\s,;]\s*(" + NUMBER + r")")


def read(name):
    raw = (gzip.open if name.endswith(".gz") else open)(DATA / name, "rb").read()
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def precursor(fields):
    for key, value in fields:
        if re.sub(r"[ _\-/]", "", key) in ("precursormz", "pepmass"):
            m = re.match(r"[\s(]*([^\s,)]+)", value)
            try:
                v = float(m.group(1)) if m else math.nan
            except ValueError:
                v = math.nan
            if math.isfinite(v) and v > 0:
                return v
    return None


def msp_records(text):
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [l for l in block.split("\n") if l.strip() and not l.strip().startswith("#")]
        if not lines:
            continue
        fields, peaks = [], []
        for line in lines:
            if re.match(r"\s*\(", line):
                # AMDIS .msl "( 52    3) ( 55  136)": as matchms reads them, every number of
                # a line without ':' taken in pairs
                numbers = re.findall(NUMBER, line)
                peaks += list(zip(numbers[0::2], numbers[1::2]))
            elif re.match(r"\s*[-+]?[\d.]", line):
                peaks += PAIR.findall(re.sub(r'"[^"]*"', " ", line))
            else:
                key, _, value = line.partition(":")
                fields.append((key.strip().lower(), value.strip()))
        names = [v for k, v in fields if k == "name"]
        declared = [int(v) for k, v in fields if re.sub(r"[ _]", "", k) == "numpeaks"]
        assert declared == [len(peaks)], (names, declared, len(peaks))
        yield (names[0] if names else None), precursor(fields), peaks, len(fields)


def mgf_records(text):
    for block in re.findall(r"^BEGIN IONS\n(.*?)^END IONS", text, re.S | re.M):
        fields, peaks = [], []
        for line in block.split("\n"):
            if not line.strip():
                continue
            if re.match(r"\s*[-+]?[\d.]", line):
                tokens = line.split()
                peaks.append((tokens[0], tokens[1]))
            else:
                key, _, value = line.partition("=")
                fields.append((key.strip().lower(), value.strip()))
        d = dict(reversed(fields))  # first occurrence wins
        yield d.get("name", d.get("title")), precursor(fields), peaks, len(fields)


def main():
    out = sys.stdout
    out.write("file,records,peaks,with_precursor,precursor_sum,mz_sum,intensity_sum,fields,names_md5,npeaks_md5\n")
    for name in FILES:
        text = read(name)
        records = list((mgf_records if ".mgf" in name else msp_records)(text))
        peaks = [p for _, _, ps, _ in records for p in ps]
        precursors = [p for _, p, _, _ in records if p is not None]
        names = "|".join(n if n is not None else "" for n, _, _, _ in records)
        counts = ",".join(str(len(ps)) for _, _, ps, _ in records)
        out.write("%s,%d,%d,%d,%.3f,%.3f,%.6e,%d,%s,%s\n" % (
            name, len(records), len(peaks), len(precursors), sum(precursors),
            sum(float(m) for m, _ in peaks), sum(float(i) for _, i in peaks), sum(f for _, _, _, f in records),
            hashlib.md5(names.encode()).hexdigest(), hashlib.md5(counts.encode()).hexdigest()))


if __name__ == "__main__":
    main()
