#!/usr/bin/python3
"""Convert MGF spectra to CSV rows `name,precursor,spectrum` for chemeco tests.

spectrum is chemeco.spectrum text: "mz:intensity" pairs separated by spaces.
Usage: /usr/bin/python3 test/reference/mgf_to_csv.py IN.mgf OUT.csv [max_spectra]
"""
import csv
import sys


def read_mgf(path):
    record = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line == "BEGIN IONS":
                record = {"name": "", "precursor": "", "peaks": []}
            elif line == "END IONS":
                yield record
                record = None
            elif record is not None and "=" in line and not line[0].isdigit():
                key, value = line.split("=", 1)
                if key == "NAME":
                    record["name"] = value
                elif key == "PEPMASS":
                    record["precursor"] = value.split()[0]
            elif record is not None and line:
                mz, intensity = line.split()[:2]
                record["peaks"].append(f"{mz}:{intensity}")


def main():
    source, target = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "precursor", "spectrum"])
        for i, record in enumerate(read_mgf(source)):
            if limit is not None and i >= limit:
                break
            writer.writerow([record["name"], record["precursor"], " ".join(record["peaks"])])


if __name__ == "__main__":
    main()
