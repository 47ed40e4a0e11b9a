import { PAWPRINT_DATA_PY } from './data-py';

/**
 * features.py of a pretrained-features project: the tutorial's
 * save_bottleneck_features step. The features were computed in the page
 * (tfjs, the backbone named in bottleneck/backbone.json) and ship in
 * bottleneck/ (one float32 row per image, keyed by the image's sha256); this
 * stage writes them per split exactly as the page trained on them —
 * byte-identical rows, the page's split and hold-out — for train.py. An image
 * of data/ with no row (added after the export) is reported: its features
 * come from Pawprint, which runs the backbone.
 */
export const FEATURES_PY =
  String.raw`#!/usr/bin/env python3
"""The 'features' stage: bottleneck features per split, as Pawprint trained on them.

Written by Pawprint's "Download as DVC project". 'dvc repro' runs it before train.py (see
dvc.yaml); 'python features.py' runs it without DVC. The features of every image were computed
in the browser by the backbone that bottleneck/backbone.json names, and are in
bottleneck/features.npy (float32, one row per image) with bottleneck/images.txt (the sha256 of
each row's image). This script places data/ as Pawprint does (split folders, class folders,
the seeded hold-out of train.holdout when there is no validation folder) and writes
features/train.npy and features/validation.npy (the rows, in that order), their labels
(features/train_labels.npy, features/validation_labels.npy, int64) and features/classes.json.
An image without a row is skipped with a warning: recompute its features in Pawprint.

Needs numpy and pyyaml.
"""
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import NamedTuple, Optional

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent

` +
  PAWPRINT_DATA_PY +
  String.raw`

def main():
    with open(ROOT / "params.yaml", encoding="utf-8") as file:
        params = yaml.safe_load(file)["train"]
    rows = np.load(ROOT / "bottleneck" / "features.npy")
    shas = (ROOT / "bottleneck" / "images.txt").read_text(encoding="utf-8").split()
    if len(shas) != len(rows):
        sys.exit("bottleneck/images.txt names %d images but bottleneck/features.npy has %d rows." % (len(shas), len(rows)))
    row_of = {sha: index for index, sha in enumerate(shas)}

    examples = []
    for relpath, path in image_files(ROOT / "data"):
        split, label = placement(relpath)
        if label is None:
            print("skipped %s: it is in no class folder" % relpath, file=sys.stderr)
            continue
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha not in row_of:
            print("skipped %s: no features for it in bottleneck/ (compute them in Pawprint)" % relpath, file=sys.stderr)
            continue
        examples.append(Example(relpath, split, label, sha))
    class_names = sorted({example.label for example in examples})
    train, validation = assign_splits(examples, int(params["seed"]), float(params["holdout"]))
    out = ROOT / "features"
    out.mkdir(exist_ok=True)
    for name, indices in (("train", train), ("validation", validation)):
        np.save(out / ("%s.npy" % name), np.stack([rows[row_of[examples[i].sha256]] for i in indices]).astype(np.float32, copy=False))
        np.save(out / ("%s_labels.npy" % name), np.array([class_names.index(examples[i].label) for i in indices], dtype=np.int64))
    (out / "classes.json").write_text(json.dumps(class_names) + "\n", encoding="utf-8")
    print("%d classes, %d training and %d validation rows of %d features" % (len(class_names), len(train), len(validation), rows.shape[1]))


if __name__ == "__main__":
    main()
`;
