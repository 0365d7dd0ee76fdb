#!/usr/bin/env python3
"""Validates SCDL CSV files with validata-table, the official validator, offline.

Usage: validate_scdl.py SCHEMA.json FILE.csv [SCHEMA.json FILE.csv ...]
Prints every error with its row and field and exits 1 when any file has one.
"""
import json
import sys

from validata_core import validate


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for schema_path, csv_path in zip(argv[0::2], argv[1::2]):
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        report = validate(csv_path, schema)
        errors = list(report.errors)
        with open(csv_path, encoding="utf-8-sig") as f:
            rows = sum(1 for _ in f) - 1
        if report.valid and not errors:
            print(f"{csv_path}: {rows} lignes, 0 erreur ({schema_path})")
            continue
        failed = True
        print(f"{csv_path}: {len(errors)} erreur(s) ({schema_path})")
        for error in errors[:50]:
            print(f"  {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
