#!/usr/bin/env python3
"""Loads the convnet KerasLayoutTest saved (target/keras-files/convnet.keras and
convnet.weights.h5, after one Adam step in tfkeras) in Python Keras 3: the .keras file whole, and
the .weights.h5 file into the same architecture built and compiled in Python; checks that both give
the same weights and that the optimizer resumes at iterations 1 (then 2 after one more step). Not
part of CI (it needs Keras and a backend); run by hand:

    KERAS_BACKEND=tensorflow python .ci/check_weights_resume.py target/keras-files
"""
import pathlib
import sys

import keras
import numpy as np

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/keras-files")
whole = keras.models.load_model(folder / "convnet.keras")
print("convnet.keras: optimizer iterations", int(whole.optimizer.iterations))

model = keras.Sequential([
    keras.Input((6, 6, 1)),
    keras.layers.Conv2D(2, 3, activation="relu"),
    keras.layers.MaxPooling2D(2),
    keras.layers.Flatten(),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.optimizer.build(model.trainable_variables)
model.load_weights(folder / "convnet.weights.h5")
resumed = int(model.optimizer.iterations)
same = all(np.array_equal(a, b) for a, b in zip(model.get_weights(), whole.get_weights()))
slots = all(np.array_equal(np.asarray(a), np.asarray(b))
            for a, b in zip(model.optimizer.variables, whole.optimizer.variables))
model.fit(np.zeros((4, 6, 6, 1), "float32"), np.array([0, 1, 2, 1]), epochs=1, verbose=0)
after = int(model.optimizer.iterations)
print(f"convnet.weights.h5: weights equal to the .keras file's: {same}, optimizer variables equal: {slots},"
      f" iterations resumed at {resumed}, {after} after one more step")
ok = same and slots and int(whole.optimizer.iterations) == 1 and resumed == 1 and after == 2
print("ok" if ok else "DIFFERENT")
sys.exit(0 if ok else 1)
