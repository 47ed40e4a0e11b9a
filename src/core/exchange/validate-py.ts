import { PAWPRINT_DATA_PY } from './data-py';

/**
 * validate.py, the exported pipeline's validate stage: what Python can check
 * of data/ as the page's validation report does (validation-json.ts writes
 * the page's side of the same file).
 */
export const VALIDATE_PY =
  String.raw`#!/usr/bin/env python3
"""The 'validate' stage: check data/ as Pawprint's validation report does.

Written by Pawprint's "Download as DVC project". 'dvc repro' runs it (see dvc.yaml); 'python
validate.py' runs it without DVC. It places data/ as Pawprint does and writes validation.json:
- images: the images that decode; counts: how many per split folder ("unsplit" outside one)
  and class;
- conflicts: the same bytes under two labels; leakage: the same bytes in train and in
  validation or test (their scores look better than they are); duplicates: exact copies in
  one class and split (sha256);
- undecodable: files Pillow cannot decode (Pawprint leaves them out of training; they are left
  out of the other checks too).
Each is a list of path groups (paths relative to data/), sorted.

Needs pillow (Debian: apt install python3-pil).
"""
import hashlib
import io
import json
import math
import sys
from pathlib import Path
from typing import NamedTuple, Optional

from PIL import Image

ROOT = Path(__file__).resolve().parent

` +
  PAWPRINT_DATA_PY +
  String.raw`

def decodes(raw):
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
        return True
    except Exception:  # Pillow raises many kinds for files it cannot read
        return False


def main():
    files, undecodable = [], []
    for relpath, path in image_files(ROOT / "data"):
        split, label = placement(relpath)
        if label is None:
            print("skipped %s: it is in no class folder" % relpath, file=sys.stderr)
            continue
        raw = path.read_bytes()
        if not decodes(raw):
            undecodable.append(relpath)
            continue
        files.append(Example(relpath, split or "unsplit", label, hashlib.sha256(raw).hexdigest()))
    counts = {}
    for example in files:
        per_class = counts.setdefault(example.split, {})
        per_class[example.label] = per_class.get(example.label, 0) + 1
    by_content = {}
    for example in files:
        by_content.setdefault(example.sha256, []).append(example)
    conflicts, leakage, duplicates = [], [], []
    for copies in by_content.values():
        if len(copies) < 2:
            continue
        paths = sorted(copy.relpath for copy in copies)
        if len({copy.label for copy in copies}) > 1:
            conflicts.append(paths)
        if any(copy.split == "train" for copy in copies) and any(copy.split in ("validation", "test") for copy in copies):
            leakage.append(paths)
        same = {}
        for copy in copies:
            same.setdefault((copy.label, copy.split), []).append(copy.relpath)
        duplicates.extend(sorted(group) for group in same.values() if len(group) > 1)
    report = {
        "images": len(files),
        "counts": counts,
        "conflicts": sorted(conflicts),
        "leakage": sorted(leakage),
        "duplicates": sorted(duplicates),
        "undecodable": undecodable,
    }
    with open(ROOT / "validation.json", "w", encoding="utf-8") as file:
        file.write(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    print("%d images; %d label conflicts, %d leaks, %d groups of duplicates, %d undecodable" % (len(files), len(conflicts), len(leakage), len(duplicates), len(undecodable)))


if __name__ == "__main__":
    main()
`;
