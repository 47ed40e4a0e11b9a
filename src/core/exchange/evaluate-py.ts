/**
 * evaluate.py, the exported pipeline's evaluate stage: model.pt on the
 * validation split, as the page evaluates a run (src/core/train/evaluate.ts),
 * written as evaluation.json (evaluation-json.ts writes the page's side). It
 * takes the model and the data code from train.py, so the network and the
 * split are train.py's.
 */
export const EVALUATE_PY = String.raw`#!/usr/bin/env python3
"""The 'evaluate' stage: model.pt on the validation split, as Pawprint evaluates a run.

Written by Pawprint's "Download as DVC project". 'dvc repro' runs it after train.py (see
dvc.yaml); 'python evaluate.py' runs it without DVC. It loads model.pt into train.py's model,
predicts every validation image (for a head on pretrained features: every row of
features/validation.npy) and writes evaluation.json: the class names, the confusion matrix
(confusion[true][predicted] = images) and the accuracy. 'dvc metrics show' lists it.

Needs what train.py needs.
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch

import train

ROOT = Path(__file__).resolve().parent
BATCH = 256


def validation_set(checkpoint, class_names):
    """(model, inputs, labels) of the validation split, as train.py builds them."""
    if train.ARCHITECTURE == "pretrained-features":
        features = ROOT / "features"
        x = torch.from_numpy(np.load(features / "validation.npy"))
        classes = json.loads((features / "classes.json").read_text(encoding="utf-8"))
        labels = [class_names.index(classes[i]) for i in np.load(features / "validation_labels.npy").tolist()]
        return train.Head(x.shape[1], len(class_names)), x, labels
    params = train.read_params(ROOT / "params.yaml")
    size = int(checkpoint["image_size"])
    examples, pixels = train.load_examples(ROOT / "data", size)
    _, validation = train.assign_splits(examples, params.seed, params.holdout)
    labels = [class_names.index(examples[i].label) for i in validation]
    return train.ReferenceConvnet(size, len(class_names)), train.as_batch(pixels[validation]), labels


def main():
    checkpoint = torch.load(ROOT / "model.pt")
    class_names = list(checkpoint["class_names"])
    model, x, labels = validation_set(checkpoint, class_names)
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    confusion = [[0] * len(class_names) for _ in class_names]
    with torch.no_grad():
        for start in range(0, len(labels), BATCH):
            predicted = model(x[start : start + BATCH]).argmax(1).tolist()
            for label, guess in zip(labels[start : start + BATCH], predicted):
                confusion[label][guess] += 1
    correct = sum(confusion[c][c] for c in range(len(class_names)))
    accuracy = correct / len(labels) if labels else 0.0
    report = {"accuracy": accuracy, "classes": class_names, "confusion": confusion}
    with open(ROOT / "evaluation.json", "w", encoding="utf-8") as file:
        file.write(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    print("accuracy %.4f on %d validation images" % (accuracy, len(labels)))


if __name__ == "__main__":
    main()
`;
