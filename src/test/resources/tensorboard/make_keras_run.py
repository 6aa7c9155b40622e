"""Writes the Keras 3 TensorBoard run that TensorBoardKerasRunTest compares with tfkeras's.

Run by hand (CI has no Python Keras), from the repository root:

    python3 -m venv /tmp/tfenv
    /tmp/tfenv/bin/pip install tensorflow-cpu==2.21.0 keras==3.15.1 h5py
    /tmp/tfenv/bin/python src/test/resources/tensorboard/make_keras_run.py

The model is the Sequential TensorBoardKerasRunTest builds: (8, 8, 1) images, Conv2D(8, 3,
relu) "conv1", Flatten "flatten", Dense(16, relu) "d1", Dense(4) "d2", Adam, sparse categorical
cross-entropy on logits, accuracy; 100 training examples in batches of 32 (4 batches), 64 for
validation, 2 epochs, TensorBoard(histogram_freq=1, write_images=True, update_freq="batch",
write_steps_per_second=True). The data are four classes of a bright 4x4 quadrant over noise,
as the Java tests' SyntheticData (values differ; only tags, kinds and shapes are compared).
"""
import os
import shutil

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import keras
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras-" + keras.__version__)


def data(count, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, size=count).astype("int32")
    images = 0.4 * rng.random((count, 8, 8, 1), dtype="float32")
    for n, label in enumerate(labels):
        r, c = (label // 2) * 4, (label % 2) * 4
        images[n, r:r + 4, c:c + 4, 0] += 0.6
    return images, labels


def main():
    keras.utils.set_random_seed(1)
    x, y = data(100, 5)
    vx, vy = data(64, 6)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(8, 3, activation="relu", name="conv1"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(16, activation="relu", name="d1"),
            keras.layers.Dense(4, name="d2"),
        ],
        name="sequential",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )
    shutil.rmtree(OUT, ignore_errors=True)
    tensorboard = keras.callbacks.TensorBoard(
        OUT, histogram_freq=1, write_images=True, update_freq="batch", write_steps_per_second=True)
    model.fit(x, y, batch_size=32, epochs=2, validation_data=(vx, vy), callbacks=[tensorboard],
              shuffle=False, verbose=0)
    print("keras", keras.__version__, "tensorflow", tf.__version__, "->", OUT)


if __name__ == "__main__":
    main()
