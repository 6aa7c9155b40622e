#!/usr/bin/env python3
"""Loads the subclassed models and custom layers that ModelConfigTest saved (target/keras-custom/)
in Python Keras 3, with Python classes registered under the same names (Keras's
register_keras_serializable, package "Custom"), and checks that Keras places every weight (a
subclassed model's layers by attribute name, a custom layer in a Sequential or functional model by
its snake-case class name) and predicts what tfkeras predicted. Not part of CI (it needs Keras and a
backend); run by hand:

    KERAS_BACKEND=jax python .ci/check_custom_objects.py target/keras-custom
"""
import json
import pathlib
import sys

import keras
import numpy as np


@keras.saving.register_keras_serializable()
class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(input_shape[-1],), name="offset")

    def call(self, x):
        return x * self.factor + self.offset

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable()
class Sum(keras.layers.Layer):
    def call(self, inputs):
        total = inputs[0]
        for x in inputs[1:]:
            total = total + x
        return total


@keras.saving.register_keras_serializable()
class Tower(keras.Model):
    def __init__(self, units=8, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.scale = Scale(0.5)
        self.out = keras.layers.Dense(2)

    def call(self, x):
        return self.out(self.scale(self.hidden(x)))

    def get_config(self):
        return {"name": self.name, "units": self.units}


@keras.saving.register_keras_serializable()
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = keras.layers.Conv2D(32, 3, activation="relu")
        self.flatten = keras.layers.Flatten()
        self.d1 = keras.layers.Dense(128, activation="relu")
        self.d2 = keras.layers.Dense(10)

    def call(self, x):
        return self.d2(self.d1(self.flatten(self.conv1(x))))


failures = 0
for path in sorted(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/keras-custom").glob("*.keras")):
    data = json.loads(path.with_suffix(".json").read_text())
    model = keras.models.load_model(path)
    x = data["x"]
    several = path.stem in ("two_in_two_out", "shared_layer")  # models of two inputs
    x = [np.array(a, dtype="float32") for a in x] if several else np.array(x, dtype="float32")
    predicted = model.predict(x, verbose=0)
    predicted = predicted if isinstance(predicted, list) else [predicted]
    worst = max(float(np.max(np.abs(np.array(p) - np.array(e, dtype="float32")))) for p, e in zip(predicted, data["y"]))
    iterations = int(model.optimizer.iterations.numpy()) if model.optimizer is not None else None
    ok = worst < 1e-4
    failures += not ok
    print(f"{path.name}: {type(model).__name__}, {len(model.weights)} weights, optimizer iterations"
          f" {iterations}, max |Keras - tfkeras| = {worst:.2e} {'ok' if ok else 'MISMATCH'}")
sys.exit(1 if failures else 0)
