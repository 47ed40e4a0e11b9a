#!/usr/bin/env python3
"""The reference convnet in PyTorch, for bench:train's comparison with the browser.

Same data, architecture and training as Pawprint's (DESIGN.md, src/core/train); the model
class is the exported train.py's (--train-py, written by bench/lib/exported-train-py.mjs):
  - the same tutorial-shaped zip (data/train/<class>/*, data/validation/<class>/*), classes
    in code-point order, images decoded to RGB (grey PNGs give R = G = B, as the app's
    decoder over white), resized to --size only when they differ (Fashion-MNIST is 28x28),
    inputs scaled to [0, 1];
  - Conv 32 3x3 -> ReLU -> MaxPool 2 -> Conv 64 -> ReLU -> MaxPool 2 -> Conv 128 -> ReLU ->
    MaxPool 2 -> Flatten -> Dense 128 ReLU -> Dropout 0.5 -> Dense(classes), 'valid' padding
    (PyTorch's padding=0), softmax cross-entropy; Keras' initialisers (Glorot-uniform kernels,
    zero biases); Adam(lr, betas 0.9/0.999, eps 1e-7 as tfjs);
  - a fresh seeded shuffle per epoch, batches of --batch (the last one smaller), a validation
    pass after each epoch in eval mode (no dropout).

Timing, as the app reports its own figures:
  - training images/s: training images / time in training steps (making the batch from the
    uint8 tensor, forward, backward, Adam step, reading loss and accuracy back with .item());
    validation passes excluded;
  - inference images/s: validation images / time of the validation passes (batches of
    --batch, no_grad, eval mode), over all epochs;
  - batch-1 latency: median time of model(one image) over --latency-samples images.

Prints one JSON object on stdout. Needs Debian's python3-torch (PyTorch 1.13, CPU), numpy and
PIL (python3-pil).
"""
import argparse
import importlib.util
import io
import json
import math
import re
import statistics
import sys
import time
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

ENTRY = re.compile(r"^[^/]+/(train|validation)/([^/]+)/[^/]+\.(png|jpe?g)$", re.IGNORECASE)


def load_zip(path, size):
    """(train_x, train_y, val_x, val_y, class_names): x as uint8 NCHW tensors, y as int64."""
    images = {"train": [], "validation": []}
    with zipfile.ZipFile(path) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            match = ENTRY.match(info.filename)
            if info.is_dir() or not match:
                continue
            split, label = match.group(1).lower(), match.group(2)
            with Image.open(io.BytesIO(archive.read(info))) as image:
                if image.mode in ("RGBA", "LA", "P"):
                    image = image.convert("RGBA")
                    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
                    image = Image.alpha_composite(white, image)
                rgb = image.convert("RGB")
                if rgb.size != (size, size):
                    rgb = rgb.resize((size, size), Image.BILINEAR)
                images[split].append((label, np.asarray(rgb, dtype=np.uint8)))
    names = sorted({label for split in images.values() for label, _ in split})
    index = {name: i for i, name in enumerate(names)}

    def tensors(items):
        x = torch.from_numpy(np.stack([pixels for _, pixels in items])).permute(0, 3, 1, 2).contiguous()
        y = torch.tensor([index[label] for label, _ in items], dtype=torch.int64)
        return x, y

    return (*tensors(images["train"]), *tensors(images["validation"]), names)


def exported_model(path):
    """The reference convnet as the exported train.py defines it (one PyTorch definition)."""
    spec = importlib.util.spec_from_file_location("exported_train", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ReferenceConvnet


def evaluate(model, x, y, batch):
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(y), batch):
            xb = x[start:start + batch].float().div_(255)
            yb = y[start:start + batch]
            logits = model(xb)
            loss_sum += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return loss_sum / len(y), correct / len(y)


def time_op(fn, reps):
    fn()
    started = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - started) * 1000 / reps


def profile_ops(convnet, size, batch, classes, reps):
    """Per-op times at the reference convnet's shapes (as bench/profile/profile.ts in the page),
    and the ops of one whole training step by self CPU time (torch.autograd.profiler)."""
    aten = torch.ops.aten
    ops = []
    side, channels = size, 3
    with torch.no_grad():
        for index, filters in enumerate((32, 64, 128)):
            h, cin, out = side, channels, side - 2
            pooled = out // 2
            x = torch.rand(batch, cin, h, h)
            w = torch.randn(filters, cin, 3, 3)
            b = torch.zeros(filters)
            dy = torch.randn(batch, filters, out, out)
            flop = 2 * batch * out * out * filters * 9 * cin
            layer = "conv%d" % (index + 1)
            args = ([filters], [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
            ops.append((layer + " forward (conv + bias + relu)", flop, time_op(lambda: F.relu(F.conv2d(x, w, b)), reps)))
            ops.append((layer + " weight gradient", flop, time_op(lambda: aten.convolution_backward(dy, x, w, *args, [False, True, False]), reps)))
            if index > 0:
                ops.append((layer + " input gradient", flop, time_op(lambda: aten.convolution_backward(dy, x, w, *args, [True, False, False]), reps)))
            y = torch.rand(batch, filters, out, out)
            pooled_y, indices = F.max_pool2d(y, 2, return_indices=True)
            dpool = torch.randn_like(pooled_y)
            pool_flop = batch * pooled * pooled * filters * 4
            ops.append(("pool%d MaxPool" % (index + 1), pool_flop, time_op(lambda: F.max_pool2d(y, 2), reps)))
            ops.append(("pool%d MaxPoolGrad" % (index + 1), pool_flop, time_op(lambda: aten.max_pool2d_with_indices_backward(dpool, y, [2, 2], [2, 2], [0, 0], [1, 1], False, indices), reps)))
            side, channels = pooled, filters

    step = random_step(convnet, size, batch, classes)
    step_ms = statistics.median(time_op(step, 1) for _ in range(7))
    with torch.autograd.profiler.profile() as prof:
        step()
    step_ops = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    return {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "step_ms": step_ms,
        "train_images_per_second": batch / (step_ms / 1000),
        "ops": [{"op": name, "gflop": flop / 1e9, "ms": ms} for name, flop, ms in ops],
        "step_profile": [{"name": e.key, "count": e.count, "self_ms": e.self_cpu_time_total / 1000} for e in step_ops[:12]],
    }


def random_step(convnet, size, batch, classes):
    """One Adam step of the reference convnet on a fixed random batch, as bench/profile times the
    browser's: a function, already run twice (warm-up)."""
    model = convnet(size, classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    xb = torch.rand(batch, 3, size, size)
    yb = torch.arange(batch) % classes

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(2):
        step()
    return step


def step_rate(convnet, size, batch, classes, steps):
    """Training images/s of the reference convnet on random data: the median of `steps` steps."""
    step = random_step(convnet, size, batch, classes)
    times = [time_op(step, 1) for _ in range(steps)]
    step_ms = statistics.median(times)
    return {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "size": size,
        "step_ms": step_ms,
        "step_times_ms": times,
        "train_images_per_second": batch / (step_ms / 1000),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train-py", required=True, help="the exported train.py, whose ReferenceConvnet is trained")
    parser.add_argument("--zip")
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--latency-samples", type=int, default=50)
    parser.add_argument("--profile-ops", action="store_true", help="time single ops and one step instead of training")
    parser.add_argument("--classes", type=int, default=2, help="with --profile-ops or --step-rate: output classes")
    parser.add_argument("--step-rate", type=int, metavar="STEPS", help="time STEPS training steps on random data instead of training")
    args = parser.parse_args()
    convnet = exported_model(args.train_py)

    torch.set_num_threads(args.threads)
    if args.profile_ops:
        json.dump(profile_ops(convnet, args.size, args.batch, args.classes, reps=20), sys.stdout)
        sys.stdout.write("\n")
        return
    if args.step_rate:
        json.dump(step_rate(convnet, args.size, args.batch, args.classes, args.step_rate), sys.stdout)
        sys.stdout.write("\n")
        return
    torch.manual_seed(args.seed)
    if not args.zip:
        parser.error("--zip is required unless --profile-ops")
    loaded_at = time.perf_counter()
    train_x, train_y, val_x, val_y, names = load_zip(args.zip, args.size)
    load_seconds = time.perf_counter() - loaded_at

    model = convnet(args.size, len(names))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-7)
    shuffle = torch.Generator().manual_seed(args.seed)
    history = []
    train_seconds = 0.0
    val_seconds = 0.0
    epoch_seconds = []
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_y), generator=shuffle)
        loss_sum, correct = 0.0, 0
        started = time.perf_counter()
        for start in range(0, len(order), args.batch):
            idx = order[start:start + args.batch]
            xb = train_x[idx].float().div_(255)
            yb = train_y[idx]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        epoch_seconds.append(time.perf_counter() - started)
        train_seconds += epoch_seconds[-1]
        started = time.perf_counter()
        val_loss, val_accuracy = evaluate(model, val_x, val_y, args.batch)
        val_seconds += time.perf_counter() - started
        history.append({
            "epoch": epoch,
            "accuracy": correct / len(train_y),
            "loss": loss_sum / len(train_y),
            "val_accuracy": val_accuracy,
            "val_loss": val_loss,
        })

    model.eval()
    latencies = []
    with torch.no_grad():
        for i in range(min(args.latency_samples, len(val_y))):
            xb = val_x[i:i + 1]
            started = time.perf_counter()
            probabilities = F.softmax(model(xb.float().div_(255)), dim=1)
            probabilities.numpy()
            latencies.append((time.perf_counter() - started) * 1000)

    json.dump({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "classes": names,
        "train_images": len(train_y),
        "validation_images": len(val_y),
        "epochs": args.epochs,
        "batch": args.batch,
        "size": args.size,
        "seed": args.seed,
        "load_seconds": load_seconds,
        "train_seconds": train_seconds,
        "epoch_train_seconds": epoch_seconds,
        "validation_seconds": val_seconds,
        "train_images_per_second": args.epochs * len(train_y) / train_seconds,
        "inference_images_per_second": args.epochs * len(val_y) / val_seconds,
        "latency_ms": statistics.median(latencies) if latencies else math.nan,
        "val_accuracy": history[-1]["val_accuracy"],
        "history": history,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
