#!/usr/bin/env python3
"""Loads target/keras-files/all_layers.keras (every tfkeras layer class, written by
KerasAllLayersTest) in Python Keras 3 and compares its predictions with tfkeras's
(all_layers.json beside it: the inputs and tfkeras's outputs). Not part of CI (it needs Keras and
a backend); run by hand:

    KERAS_BACKEND=tensorflow python .ci/check_all_layers.py target/keras-files/all_layers.keras

With --patch-hashing-dtype, a Hashing layer saved with dtype float32 (which Keras 3.15.1 refuses
with output_mode="int") is loaded with dtype int64, to check everything else in the file.
"""
import json
import pathlib
import sys
import tempfile
import zipfile

import keras
import numpy as np
import tensorflow as tf


def patched_copy(path):
    """A copy of the .keras file whose Hashing layers have an integer dtype."""
    source = zipfile.ZipFile(path)
    config = json.loads(source.read("config.json"))
    changed = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("class_name") == "Hashing" and node["config"].get("dtype") not in ("int32", "int64"):
                node["config"]["dtype"] = "int64"
                changed.append(node["config"]["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config)
    copy = pathlib.Path(tempfile.mkdtemp()) / path.name
    with zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            target.writestr(name, json.dumps(config) if name == "config.json" else source.read(name))
    print("patched Hashing dtype to int64:", changed)
    return copy


args = [a for a in sys.argv[1:] if not a.startswith("--")]
path = pathlib.Path(args[0] if args else "target/keras-files/all_layers.keras")
data = json.loads(path.with_suffix(".json").read_text())
model = keras.models.load_model(patched_copy(path) if "--patch-hashing-dtype" in sys.argv else path)
# string inputs (TextVectorization, StringLookup) as TensorFlow string tensors: TF backend only
x = [tf.constant(a) if i.dtype == "string" else tf.constant(np.array(a, dtype=i.dtype)) for a, i in zip(data["x"], model.inputs)]
predicted = model(x, training=False)
predicted = [np.asarray(p) for p in (predicted if isinstance(predicted, (list, tuple)) else [predicted])]
worst = max(float(np.max(np.abs(np.array(p) - np.array(y, dtype="float32")))) for p, y in zip(predicted, data["y"]))
print(f"{path.name}: {type(model).__name__}, {len(model.layers)} layers, {len(model.weights)} weights,"
      f" max |Keras - tfkeras| = {worst:.2e}", "ok" if worst < 1e-4 else "DIFFERENT")
sys.exit(0 if worst < 1e-4 else 1)
