/**
 * The exported project's train.py: Pawprint's training in PyTorch, to run
 * where DVC and a bigger machine are. A TS string (not a `.py?raw` import) so
 * that core code loads unchanged in Node, workers and the page. It takes no
 * substitutions: everything it needs comes from params.yaml and data/.
 *
 * Parity with the browser, in the order training meets it:
 * - placement: the same rules as src/core/dataset/placement.ts (split folder,
 *   then the class folder right under it, else the top folder is the class);
 * - decoding: EXIF orientation, alpha over white, RGB, squashed to S×S, /255,
 *   as src/workers/lib/decode-image.ts (the resampling filter differs a little);
 * - classes: sorted (code-point order, as classNamesOf);
 * - hold-out: the same seeded stream (mulberry32 via streamOf(seed, 1)),
 *   Fisher–Yates and per-class count as src/core/train/split.ts, so the same
 *   images are held out;
 * - model: the reference convnet of src/core/train/model.ts (padding 0,
 *   Glorot-uniform kernels, zero biases), Adam with tfjs' epsilon 1e-7;
 * - augmentation: src/core/train/augment.ts (flip, then shift with edge pixels);
 * - metrics.csv: Keras' CSVLogger layout, as src/core/train/metrics-csv.ts;
 *   metrics.json as metricsJson.
 * Weights, shuffles and dropout masks come from torch's generators, so the
 * numbers differ from the browser's run; the data, model and procedure do not.
 */
import { PAWPRINT_DATA_PY } from './data-py';

export const TRAIN_PY =
  String.raw`#!/usr/bin/env python3
"""Train Pawprint's reference convnet on data/ with PyTorch, as the browser does.

Written by Pawprint's "Download as DVC project". 'dvc repro' runs it (see dvc.yaml);
'python train.py' runs it without DVC. It reads the 'train' section of params.yaml and
writes model.pt (the PyTorch weights), metrics.csv (one row per epoch, the columns
epoch,accuracy,loss,val_accuracy,val_loss as Keras' CSVLogger writes them) and
metrics.json (the last epoch's figures).

Data, read the way Pawprint reads it:
- data/<split>/<class>/... where <split> is train, validation (or valid, val) or test, in
  any case; files outside a split folder (data/<class>/...) train. Folders below the class
  folder do not change the class. Hidden files are skipped.
- The classes are all class names sorted; a class's index is its place in that list.
- Without any validation folder, train.holdout of each class's distinct images is held out
  for validation (at least one when the class has two or more, never its last), drawn with
  the same seeded generator as Pawprint: the same images as in the browser.
- Test images are not used.
- Each image: EXIF orientation applied, transparent pixels composited over white, RGB,
  resized to image_size x image_size ignoring the aspect ratio, scaled to [0, 1]. A file
  that does not decode is skipped with a warning.

Model: Conv 32 3x3 -> ReLU -> MaxPool 2 -> Conv 64 3x3 -> ReLU -> MaxPool 2 -> Conv 128 3x3
-> ReLU -> MaxPool 2 -> Flatten -> Dense 128 ReLU -> Dropout 0.5 -> Dense(classes), softmax
cross-entropy; padding 0 ('valid'), Glorot-uniform kernels and zero biases (Keras' defaults);
Adam(learning_rate, eps 1e-7 as TensorFlow.js); a fresh seeded shuffle every epoch, batches
of batch_size (the last one smaller); augment.flip mirrors left-right with probability 1/2,
augment.shift moves by up to 10% of the side, repeating the edge pixels.

Needs torch, numpy, pillow and pyyaml (Debian: apt install python3-torch python3-pil).
"""
import csv
import hashlib
import io
import json
import math
import sys
from pathlib import Path
from typing import NamedTuple, Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent
ARCHITECTURE = "reference-convnet"
MIN_IMAGE_SIZE = 22  # three (3x3 conv, 2x2 pool) stages need 22 px to leave one pixel
METRICS = ("accuracy", "loss", "val_accuracy", "val_loss")
RESAMPLING = getattr(Image, "Resampling", Image)  # Pillow >= 9.1 moved the filters


class Params(NamedTuple):
    image_size: int
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int
    holdout: float
    flip: bool
    shift: bool


def read_params(path):
    with open(path, encoding="utf-8") as file:
        train = yaml.safe_load(file)["train"]
    if train.get("architecture", ARCHITECTURE) != ARCHITECTURE:
        sys.exit("train.py knows only the %s architecture; params.yaml asks for %r." % (ARCHITECTURE, train["architecture"]))
    augment = train.get("augment") or {}
    params = Params(
        image_size=int(train["image_size"]),
        epochs=int(train["epochs"]),
        batch_size=int(train["batch_size"]),
        learning_rate=float(train["learning_rate"]),
        seed=int(train["seed"]),
        holdout=float(train["holdout"]),
        flip=bool(augment.get("flip", False)),
        shift=bool(augment.get("shift", False)),
    )
    if params.image_size < MIN_IMAGE_SIZE:
        sys.exit("train.image_size must be at least %d (got %d)." % (MIN_IMAGE_SIZE, params.image_size))
    if params.epochs < 1 or params.batch_size < 1:
        sys.exit("train.epochs and train.batch_size must be at least 1.")
    return params


def decode(raw, size):
    """size x size x 3 uint8 RGB: EXIF orientation applied, alpha over white, squashed."""
    with Image.open(io.BytesIO(raw)) as image:
        rgba = ImageOps.exif_transpose(image).convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    rgb = Image.alpha_composite(white, rgba).convert("RGB")
    return np.asarray(rgb.resize((size, size), RESAMPLING.BICUBIC), dtype=np.uint8)


def load_examples(data_dir, size):
    """The decodable images under data_dir with their placement, and their pixels (N, size, size, 3)."""
    examples, pixels = [], []
    for relpath, path in image_files(data_dir):
        split, label = placement(relpath)
        if label is None:
            print("skipped %s: it is in no class folder" % relpath, file=sys.stderr)
            continue
        raw = path.read_bytes()
        try:
            pixels.append(decode(raw, size))
        except Exception as error:  # Pillow raises many kinds for files it cannot read
            print("skipped %s: it does not decode as an image (%s)" % (relpath, error), file=sys.stderr)
            continue
        examples.append(Example(relpath, split, label, hashlib.sha256(raw).hexdigest()))
    return examples, np.stack(pixels) if pixels else np.zeros((0, size, size, 3), dtype=np.uint8)


` +
  PAWPRINT_DATA_PY +
  String.raw`

class ReferenceConvnet(nn.Module):
    def __init__(self, image_size, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.conv3 = nn.Conv2d(64, 128, 3)
        side = image_size
        for _ in range(3):
            side = (side - 2) // 2
        self.dense = nn.Linear(128 * side * side, 128)
        self.dropout = nn.Dropout(0.5)
        self.output = nn.Linear(128, classes)
        for layer in (self.conv1, self.conv2, self.conv3, self.dense, self.output):
            nn.init.xavier_uniform_(layer.weight)  # Keras' glorot_uniform: same fans
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)
        # Flatten channels-last, as Keras and TensorFlow.js do, so the dense weights line up with theirs.
        x = torch.flatten(x.permute(0, 2, 3, 1), 1)
        return self.output(self.dropout(F.relu(self.dense(x))))


def augment_batch(x, params, generator):
    """Pawprint's augmentation of an (N, 3, S, S) batch: flip left-right with probability 1/2,
    then shift by up to 10% of the side on each axis, repeating the edge pixels."""
    size = x.shape[-1]
    limit = math.floor(size * 0.1 + 0.5)
    positions = torch.arange(size)
    out = x.clone()
    for i in range(len(x)):
        image = x[i]
        if params.flip and torch.rand(1, generator=generator).item() < 0.5:
            image = image.flip(-1)
        if params.shift:
            dx, dy = torch.randint(-limit, limit + 1, (2,), generator=generator).tolist()
            rows = (positions - dy).clamp(0, size - 1)
            columns = (positions - dx).clamp(0, size - 1)
            image = image[:, rows][:, :, columns]
        out[i] = image
    return out


def as_batch(pixels):
    """uint8 (N, S, S, 3) -> float32 (N, 3, S, S) in [0, 1]."""
    return torch.from_numpy(pixels).permute(0, 3, 1, 2).float().div_(255)


def evaluate(model, x, y, batch_size):
    """(loss, accuracy) over x in eval mode (no dropout)."""
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(y), batch_size):
            logits = model(as_batch(x[start : start + batch_size]))
            labels = y[start : start + batch_size]
            loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
    return loss_sum / len(y), correct / len(y)


def train_epoch(model, optimizer, x, y, params, generator):
    """One pass over the training images in a fresh seeded order: (loss, accuracy) as Keras reports them."""
    model.train()
    order = torch.randperm(len(y), generator=generator)
    loss_sum, correct = 0.0, 0
    for start in range(0, len(order), params.batch_size):
        index = order[start : start + params.batch_size]
        xb = as_batch(x[index.numpy()])
        if params.flip or params.shift:
            xb = augment_batch(xb, params, generator)
        yb = y[index]
        optimizer.zero_grad(set_to_none=True)
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(index)
        correct += (logits.argmax(1) == yb).sum().item()
    return loss_sum / len(y), correct / len(y)


def main():
    params = read_params(ROOT / "params.yaml")
    torch.manual_seed(params.seed)
    examples, pixels = load_examples(ROOT / "data", params.image_size)
    class_names = sorted({example.label for example in examples})
    if len(class_names) < 2:
        sys.exit("Training needs at least 2 classes; data/ has %d." % len(class_names))
    labels = torch.tensor([class_names.index(example.label) for example in examples], dtype=torch.int64)
    train, validation = assign_splits(examples, params.seed, params.holdout)
    if not train or not validation:
        sys.exit("Training needs training and validation images; data/ gives %d and %d." % (len(train), len(validation)))
    print("%d classes, %d training and %d validation images at %d px" % (len(class_names), len(train), len(validation), params.image_size))

    model = ReferenceConvnet(params.image_size, len(class_names))
    optimizer = torch.optim.Adam(model.parameters(), lr=params.learning_rate, betas=(0.9, 0.999), eps=1e-7)
    generator = torch.Generator().manual_seed(params.seed)
    with open(ROOT / "metrics.csv", "w", newline="", encoding="utf-8") as csv_file:
        writer = csv.DictWriter(csv_file, fieldnames=["epoch", *METRICS])
        writer.writeheader()
        for epoch in range(params.epochs):
            loss, accuracy = train_epoch(model, optimizer, pixels[train], labels[train], params, generator)
            val_loss, val_accuracy = evaluate(model, pixels[validation], labels[validation], params.batch_size)
            row = {"epoch": epoch, "accuracy": accuracy, "loss": loss, "val_accuracy": val_accuracy, "val_loss": val_loss}
            writer.writerow(row)
            csv_file.flush()
            print("epoch %d/%d: loss %.4f, accuracy %.4f, val_loss %.4f, val_accuracy %.4f" % (epoch + 1, params.epochs, loss, accuracy, val_loss, val_accuracy))

    torch.save({"state_dict": model.state_dict(), "class_names": class_names, "image_size": params.image_size}, ROOT / "model.pt")
    with open(ROOT / "metrics.json", "w", encoding="utf-8") as file:
        file.write(json.dumps({name: row[name] for name in METRICS}, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
`;
