"""Reads an exported Pawprint project's model.weights.h5 with h5py, as Keras 3's loader
would find it, and compares every weight with the TensorFlow.js files beside it
(model/model.json + model/weights.bin), read as tfjs reads them: quantized weights (a
pretrained backbone's uint8, uint16 or float16) as value × scale + min, or as half floats.
Prints JSON: the HDF5 tree (group or shape per
path), the largest difference per tfjs weight, and the file's md5 and size.

Usage: python3 check-keras-weights.py <project folder>"""
import hashlib, json, os, re, sys

import h5py
import numpy as np


def snake_case(name):
    # keras.src.utils.naming.to_snake_case
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


root = sys.argv[1]
model_json = json.load(open(os.path.join(root, "model", "model.json")))
topology = model_json["modelTopology"]
topology = topology.get("model_config", topology)
layers = [l for l in topology["config"]["layers"] if topology["class_name"] != "Sequential" or l["class_name"] != "InputLayer"]

# saving_lib's container naming: the class in snake case, numbered from the second on.
group_of, used = {}, {}
for layer in layers:
    base = snake_case(layer["class_name"])
    used[base] = used.get(base, -1) + 1
    group_of[layer["config"]["name"]] = base if used[base] == 0 else "%s_%d" % (base, used[base])

# tfjs' io.decodeWeights: the stored type per quantization, then float32.
STORED = {None: "<f4", "uint8": "<u1", "uint16": "<u2", "float16": "<f2"}


def weight_values(raw, offset, spec):
    quantization = spec.get("quantization") or {}
    stored = np.dtype(STORED[quantization.get("dtype")])
    count = int(np.prod(spec["shape"]))
    values = np.frombuffer(raw, dtype=stored, count=count, offset=offset)
    if quantization.get("dtype") in ("uint8", "uint16"):
        values = values.astype(np.float64) * quantization["scale"] + quantization["min"]
    return values.astype(np.float32).reshape(spec["shape"]), offset + count * stored.itemsize


raw = open(os.path.join(root, "model", "weights.bin"), "rb").read()
offset, index_in_layer, worst = 0, {}, {}
h5 = h5py.File(os.path.join(root, "model.weights.h5"), "r")
for spec in model_json["weightsManifest"][0]["weights"]:
    values, offset = weight_values(raw, offset, spec)
    layer = spec["name"].rsplit("/", 1)[0]
    i = index_in_layer.get(layer, 0)
    index_in_layer[layer] = i + 1
    stored = h5["layers/%s/vars/%d" % (group_of[layer], i)]
    assert stored.dtype == np.float32, (spec["name"], stored.dtype)
    worst[spec["name"]] = float(np.max(np.abs(stored[()] - values)))

assert offset == len(raw), ("weights.bin has %d bytes, its specs %d" % (len(raw), offset))

tree = {}
h5.visititems(lambda name, obj: tree.__setitem__(name, list(obj.shape) if isinstance(obj, h5py.Dataset) else "group"))
data = open(os.path.join(root, "model.weights.h5"), "rb").read()
print(json.dumps({"tree": tree, "worst": worst, "md5": hashlib.md5(data).hexdigest(), "size": len(data)}))
