#!/usr/bin/env python3
"""PyTorch's side of bench:gpu: the reference convnet's training and inference images/s.

Run by bench-gpu.mjs (one process per image size, so it runs between the tfjs measurements and
both see the same machine); it can also be run alone:

    python3 pytorch_bench.py --size 64 [--batch 32] [--classes 2] [--steps 20] [--warmup 2]
                             [--runs 3] [--inference-batches 20] [--threads N] [--device cuda|cpu]

Prints one JSON object on stdout: the device, thread count, torch version and, per run, training
images/s and inference images/s (bench-gpu.mjs takes the medians).

The model is Pawprint's reference convnet exactly as the exported train.py defines it
(src/core/exchange/train-py.ts, class ReferenceConvnet; a test checks that both have the same
parameters and give the same outputs): Conv 32 3x3 -> ReLU -> MaxPool 2 -> Conv 64 -> ReLU ->
MaxPool 2 -> Conv 128 -> ReLU -> MaxPool 2 -> Flatten (channels-last) -> Dense 128 ReLU ->
Dropout 0.5 -> Dense(classes); Glorot-uniform kernels, zero biases; Adam(1e-3, eps 1e-7 as
TensorFlow.js), softmax cross-entropy.

Data: random uint8 images made here (64 distinct ones, reused), kept on the CPU as the app keeps
its pixel cache; each step takes a batch from them, moves it to the device, scales it to [0, 1],
runs forward, backward and Adam, and reads the loss and the accuracy back (.item()), as the
app's trainOnBatch does. Inference: model(batch) in eval mode without gradients, softmax, and
the probabilities read back to the CPU, batch after batch. Warm-up steps/batches are not timed.

Device: CUDA when torch.cuda.is_available() (unless --device cpu), else the CPU with
every logical core (os.cpu_count()) or --threads threads.
Needs only torch (no numpy, PIL or yaml).
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DISTINCT_IMAGES = 64


class ReferenceConvnet(nn.Module):
    """The exported train.py's ReferenceConvnet, line for line."""

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


def batch_indices(step, batch):
    start = (step * batch) % DISTINCT_IMAGES
    return torch.arange(start, start + batch) % DISTINCT_IMAGES


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def measure(args, device):
    generator = torch.Generator().manual_seed(args.seed)
    pixels = torch.randint(0, 256, (DISTINCT_IMAGES, 3, args.size, args.size), dtype=torch.uint8, generator=generator)
    labels = torch.arange(DISTINCT_IMAGES) % args.classes
    torch.manual_seed(args.seed)
    model = ReferenceConvnet(args.size, args.classes).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    def train_step(step):
        idx = batch_indices(step, args.batch)
        xb = pixels[idx].to(device).float().div_(255)
        yb = labels[idx].to(device)
        optimizer.zero_grad(set_to_none=True)
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        optimizer.step()
        loss.item()
        (logits.argmax(1) == yb).float().mean().item()

    def predict_batch(step):
        idx = batch_indices(step, args.batch)
        with torch.no_grad():
            xb = pixels[idx].to(device).float().div_(255)
            F.softmax(model(xb), dim=1).cpu()

    runs = []
    model.train()
    for step in range(args.warmup):
        train_step(step)
    model.eval()
    for step in range(max(1, args.warmup)):
        predict_batch(step)
    for _ in range(args.runs):
        model.train()
        synchronize(device)
        started = time.perf_counter()
        for step in range(args.steps):
            train_step(step)
        synchronize(device)
        train_seconds = time.perf_counter() - started
        model.eval()
        started = time.perf_counter()
        for step in range(args.inference_batches):
            predict_batch(step)
        synchronize(device)
        inference_seconds = time.perf_counter() - started
        runs.append({
            "train_images_per_second": args.steps * args.batch / train_seconds,
            "inference_images_per_second": args.inference_batches * args.batch / inference_seconds,
        })
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--classes", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--inference-batches", type=int, default=20)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: every logical core)")
    parser.add_argument("--device", choices=("auto", "cuda", "cpu"), default="auto")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    cuda = torch.cuda.is_available()
    if args.device == "cuda" and not cuda:
        sys.exit("--device cuda: torch.cuda.is_available() is False here")
    device = torch.device("cuda" if cuda and args.device != "cpu" else "cpu")
    # On the CPU, every core, as tfjs-webgpu on a software adapter uses them all (Debian's
    # PyTorch 1.13 picks 1 thread on a 2-core VM by itself).
    threads = args.threads or (os.cpu_count() if device.type == "cpu" else 0)
    if threads:
        torch.set_num_threads(threads)
    runs = measure(args, device)
    json.dump({
        "torch": torch.__version__,
        "device": device.type,
        "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "",
        "cuda_available": cuda,
        "threads": torch.get_num_threads(),
        "size": args.size,
        "batch": args.batch,
        "classes": args.classes,
        "steps": args.steps,
        "warmup": args.warmup,
        "inference_batches": args.inference_batches,
        "runs": runs,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
