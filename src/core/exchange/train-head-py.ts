/**
 * train.py of a pretrained-features project: the tutorial's train_top_model
 * step in PyTorch — the head Pawprint trained (Dense 256 ReLU → Dropout 0.5
 * → Dense(classes), Glorot-uniform kernels, zero biases, Adam with tfjs'
 * epsilon) on features/ as features.py wrote them, with the same epochs,
 * batch size, learning rate and seed. Weights, shuffles and dropout masks
 * come from torch's generators, so the numbers are close to the page's, not
 * the same.
 */
export const TRAIN_HEAD_PY = String.raw`#!/usr/bin/env python3
"""Train the dense head on the bottleneck features with PyTorch, as Pawprint did in the browser.

Written by Pawprint's "Download as DVC project". 'dvc repro' runs it after features.py (see
dvc.yaml); 'python train.py' runs it without DVC. It reads the 'train' section of params.yaml
and features/ (features.py writes it), and writes model.pt (the head's weights), metrics.csv
(one row per epoch: epoch,accuracy,loss,val_accuracy,val_loss as Keras' CSVLogger writes them)
and metrics.json (the last epoch's figures).

Model (the DVC tutorial's top model): Dense 256 ReLU -> Dropout 0.5 -> Dense(classes), softmax
cross-entropy, Glorot-uniform kernels and zero biases, Adam(learning_rate, eps 1e-7 as
TensorFlow.js), a fresh seeded shuffle every epoch, batches of batch_size.

Needs torch, numpy and pyyaml (Debian: apt install python3-torch python3-yaml).
"""
import csv
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

ROOT = Path(__file__).resolve().parent
ARCHITECTURE = "pretrained-features"
METRICS = ("accuracy", "loss", "val_accuracy", "val_loss")


class Head(nn.Module):
    def __init__(self, features, classes):
        super().__init__()
        self.dense = nn.Linear(features, 256)
        self.dropout = nn.Dropout(0.5)
        self.output = nn.Linear(256, classes)
        for layer in (self.dense, self.output):
            nn.init.xavier_uniform_(layer.weight)  # Keras' glorot_uniform: same fans
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        return self.output(self.dropout(F.relu(self.dense(torch.flatten(x, 1)))))


def evaluate(model, x, y, batch_size):
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(y), batch_size):
            logits = model(x[start : start + batch_size])
            labels = y[start : start + batch_size]
            loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
    return loss_sum / len(y), correct / len(y)


def train_epoch(model, optimizer, x, y, batch_size, generator):
    model.train()
    order = torch.randperm(len(y), generator=generator)
    loss_sum, correct = 0.0, 0
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        logits = model(x[index])
        loss = F.cross_entropy(logits, y[index])
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(index)
        correct += (logits.argmax(1) == y[index]).sum().item()
    return loss_sum / len(y), correct / len(y)


def main():
    with open(ROOT / "params.yaml", encoding="utf-8") as file:
        params = yaml.safe_load(file)["train"]
    if params.get("architecture") != ARCHITECTURE:
        sys.exit("This train.py trains the head on pretrained features; params.yaml asks for %r." % params.get("architecture"))
    seed, epochs, batch_size = int(params["seed"]), int(params["epochs"]), int(params["batch_size"])
    torch.manual_seed(seed)
    features = ROOT / "features"
    x_train = torch.from_numpy(np.load(features / "train.npy"))
    x_validation = torch.from_numpy(np.load(features / "validation.npy"))
    y_train = torch.from_numpy(np.load(features / "train_labels.npy"))
    y_validation = torch.from_numpy(np.load(features / "validation_labels.npy"))
    class_names = json.loads((features / "classes.json").read_text(encoding="utf-8"))
    print("%d classes, %d training and %d validation rows of %d features" % (len(class_names), len(y_train), len(y_validation), x_train.shape[1]))

    model = Head(x_train.shape[1], len(class_names))
    optimizer = torch.optim.Adam(model.parameters(), lr=float(params["learning_rate"]), betas=(0.9, 0.999), eps=1e-7)
    generator = torch.Generator().manual_seed(seed)
    with open(ROOT / "metrics.csv", "w", newline="", encoding="utf-8") as csv_file:
        writer = csv.DictWriter(csv_file, fieldnames=["epoch", *METRICS])
        writer.writeheader()
        for epoch in range(epochs):
            loss, accuracy = train_epoch(model, optimizer, x_train, y_train, batch_size, generator)
            val_loss, val_accuracy = evaluate(model, x_validation, y_validation, batch_size)
            row = {"epoch": epoch, "accuracy": accuracy, "loss": loss, "val_accuracy": val_accuracy, "val_loss": val_loss}
            writer.writerow(row)
            csv_file.flush()
            print("epoch %d/%d: loss %.4f, accuracy %.4f, val_loss %.4f, val_accuracy %.4f" % (epoch + 1, epochs, loss, accuracy, val_loss, val_accuracy))

    torch.save({"state_dict": model.state_dict(), "class_names": class_names}, ROOT / "model.pt")
    with open(ROOT / "metrics.json", "w", encoding="utf-8") as file:
        file.write(json.dumps({name: row[name] for name in METRICS}, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
`;
