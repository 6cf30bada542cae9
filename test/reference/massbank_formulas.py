#!/usr/bin/python3
"""Formulas with their published masses from chemeco's MassBank test files.

Usage: /usr/bin/python3 test/reference/massbank_formulas.py > test/data/massbank_formulas.csv

Reads test/data/massbank_lcmsms_water.mgf.gz (645 LC-ESI [M+H]+ records:
FORMULA, PRECURSOR_TYPE and PEPMASS, the precursor m/z) and
test/data/massbank_gc_ei.msp.gz (253 GC-EI records: FORMULA and EXACTMASS)
and writes accession,formula,adduct,mass: adduct is the precursor type with
mass the precursor m/z, or empty with mass the record's EXACTMASS.  The
values are MassBank's own (MassBank-data 2025.05.1, CC BY / CC0; see
test/data/LICENSES.md), not computed here.
"""
import csv
import gzip
import sys


def mgf_records(path):
    record = {}
    for line in gzip.open(path, "rt", encoding="utf-8"):
        line = line.strip()
        if line == "BEGIN IONS":
            record = {}
        elif line == "END IONS":
            yield record
        elif "=" in line:
            key, value = line.split("=", 1)
            record[key] = value


def msp_records(path):
    record = {}
    for line in gzip.open(path, "rt", encoding="utf-8"):
        line = line.strip()
        if not line:
            if record:
                yield record
            record = {}
        elif ": " in line and not line[0].isdigit():
            key, value = line.split(": ", 1)
            record[key.upper()] = value
    if record:
        yield record


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["accession", "formula", "adduct", "mass"])
    for r in mgf_records("test/data/massbank_lcmsms_water.mgf.gz"):
        if r.get("FORMULA") and r.get("PRECURSOR_TYPE"):
            out.writerow([r["SPECTRUMID"], r["FORMULA"], r["PRECURSOR_TYPE"], r["PEPMASS"].split()[0]])
    for r in msp_records("test/data/massbank_gc_ei.msp.gz"):
        if r.get("FORMULA") and r.get("EXACTMASS"):
            out.writerow([r["DB#"], r["FORMULA"], "", r["EXACTMASS"]])


if __name__ == "__main__":
    main()
