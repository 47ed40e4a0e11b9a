#!/usr/bin/env python3
"""Batch predict in PyTorch, for bench:monitoring's comparison with the page.

The model is the exported train.py's ReferenceConvnet (--train-py) with the weights of the
version the page predicts with (its "Download model" files: --model-json, --weights), so both
sides run the same network on the same images. Each image is predicted on its own, as the page
and a deployed model do: read the PNG, decode to RGB (grey gives R = G = B, as the page's
decoder does), scale to [0, 1], model(one image), softmax, read back. Per image latency and
images/s over the whole list, --runs times; prints one JSON object with the medians and the
probabilities of the last run (to compare with the page's). Needs Debian's python3-torch,
numpy and PIL.
"""
import argparse
import importlib.util
import json
import statistics
import time

import numpy as np
import torch
from PIL import Image


def load_model(train_py, model_json, weights, image_size, classes):
    spec = importlib.util.spec_from_file_location("exported_train", train_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.ReferenceConvnet(image_size, classes)
    with open(model_json) as f:
        specs = json.load(f)["weightsManifest"][0]["weights"]
    data = np.fromfile(weights, dtype="<f4")
    tensors, offset = [], 0
    for s in specs:
        n = int(np.prod(s["shape"]))
        tensors.append(data[offset:offset + n].reshape(s["shape"]))
        offset += n
    if offset != data.size:
        raise SystemExit(f"weights.bin has {data.size} floats, the manifest {offset}")
    layers = [model.conv1, model.conv2, model.conv3, model.dense, model.output]
    if len(tensors) != 2 * len(layers):
        raise SystemExit(f"expected {2 * len(layers)} weight tensors, got {len(tensors)}")
    with torch.no_grad():
        for i, layer in enumerate(layers):
            kernel, bias = tensors[2 * i], tensors[2 * i + 1]
            # Keras: conv kernels HWIO, dense kernels (in, out); PyTorch: OIHW and (out, in).
            kernel = kernel.transpose(3, 2, 0, 1) if kernel.ndim == 4 else kernel.T
            layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel)))
            layer.bias.copy_(torch.from_numpy(bias))
    return model.eval()


def predict_one(model, path, size):
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        if rgb.size != (size, size):
            rgb = rgb.resize((size, size), Image.BILINEAR)
        x = torch.from_numpy(np.asarray(rgb, dtype=np.uint8).copy()).permute(2, 0, 1).float().div_(255)
    with torch.no_grad():
        return torch.softmax(model(x.unsqueeze(0)), dim=1)[0].tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-py", required=True)
    parser.add_argument("--model-json", required=True)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--classes", type=int, required=True)
    parser.add_argument("--images", required=True, help="a file listing one image path per line")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_model(args.train_py, args.model_json, args.weights, args.size, args.classes)
    with open(args.images) as f:
        paths = [line.strip() for line in f if line.strip()]
    predict_one(model, paths[0], args.size)  # warm-up, untimed
    rates, p50s, probabilities = [], [], {}
    for _ in range(args.runs):
        latencies = []
        started = time.perf_counter()
        for path in paths:
            t = time.perf_counter()
            probabilities[path] = predict_one(model, path, args.size)
            latencies.append((time.perf_counter() - t) * 1000)
        rates.append(len(paths) / (time.perf_counter() - started))
        p50s.append(statistics.median(latencies))
    print(json.dumps({
        "images": len(paths),
        "threads": args.threads,
        "torch": torch.__version__,
        "imagesPerSecond": statistics.median(rates),
        "runs": rates,
        "latencyP50Ms": statistics.median(p50s),
        "probabilities": probabilities,
    }))


if __name__ == "__main__":
    main()
