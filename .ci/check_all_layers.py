#!/usr/bin/env python3
"""Loads target/keras-files/all_layers.keras (every tfkeras layer class, written by
KerasAllLayersTest) in Python Keras 3 and compares its predictions with tfkeras's
(all_layers.json beside it: the inputs and tfkeras's outputs). Not part of CI (it needs Keras and
a backend); run by hand:

    KERAS_BACKEND=tensorflow python .ci/check_all_layers.py target/keras-files/all_layers.keras
"""
import json
import pathlib
import sys

import keras
import numpy as np
import tensorflow as tf


args = [a for a in sys.argv[1:] if not a.startswith("--")]
path = pathlib.Path(args[0] if args else "target/keras-files/all_layers.keras")
data = json.loads(path.with_suffix(".json").read_text())
model = keras.models.load_model(path)
# string inputs (TextVectorization, StringLookup) as TensorFlow string tensors: TF backend only
x = [tf.constant(a) if i.dtype == "string" else tf.constant(np.array(a, dtype=i.dtype)) for a, i in zip(data["x"], model.inputs)]
predicted = model(x, training=False)
predicted = [np.asarray(p) for p in (predicted if isinstance(predicted, (list, tuple)) else [predicted])]
worst = max(float(np.max(np.abs(np.array(p) - np.array(y, dtype="float32")))) for p, y in zip(predicted, data["y"]))
print(f"{path.name}: {type(model).__name__}, {len(model.layers)} layers, {len(model.weights)} weights,"
      f" max |Keras - tfkeras| = {worst:.2e}", "ok" if worst < 1e-4 else "DIFFERENT")
sys.exit(0 if worst < 1e-4 else 1)
