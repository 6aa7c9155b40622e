"""Writes lookups_keras_3_15_1.keras and prints what Keras predicts with it and what Keras's
save_assets writes for lookup layers never adapted.

The file: a functional model with Keras's lookup layers in their non-float32 outputs, as the OCR
captcha example (keras.io) turns predicted indices back into characters:

    chars (string, 3) -> StringLookup(vocabulary=CHARS, mask_token=None)              -> int64
    ids (int64, 3)    -> StringLookup(vocabulary=..., mask_token=None, invert=True)  -> strings
    ids (int64, 3)    -> IntegerLookup(vocabulary=[10, 20, 30], invert=True)         -> int64
    chars             -> StringLookup adapted to ADAPT (its vocabulary an asset)     -> int64

Run by hand (CI has no Python Keras), from the repository root:
    KERAS_BACKEND=tensorflow /tmp/tfenv/bin/python src/test/resources/lookups/make_lookups.py
(tensorflow-cpu 2.21.0, keras 3.15.1). LookupOutputsTest loads the file and checks that tfkeras
predicts what this prints, and that tfkeras writes the assets printed last.
"""
import os
import tempfile
import zipfile

import keras
import numpy as np
import tensorflow as tf
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
CHARS = list("abcdefg")
ADAPT = ["b", "b", "b", "c", "c", "a"]

chars = keras.Input(shape=(3,), dtype="string", name="chars")
ids = keras.Input(shape=(3,), dtype="int64", name="ids")
char_to_num = layers.StringLookup(vocabulary=CHARS, mask_token=None, name="char_to_num")
num_to_char = layers.StringLookup(
    vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True, name="num_to_char")
values = layers.IntegerLookup(vocabulary=[10, 20, 30], invert=True, name="values")
adapted = layers.StringLookup(name="adapted")
adapted.adapt(ADAPT)
model = keras.Model(
    [chars, ids], [char_to_num(chars), num_to_char(ids), values(ids), adapted(chars)])
path = os.path.join(HERE, "lookups_keras_3_15_1.keras")
model.save(path)

# strings fed as a TensorFlow string tensor: predict refuses NumPy's str arrays
x_chars = tf.constant([["a", "c", "z"], ["g", "b", "a"]])
x_ids = tf.constant([[1, 3, 0], [7, 8, 2]], dtype="int64")
for name, out in zip(["char_to_num", "num_to_char", "values", "adapted"],
                     model.predict([x_chars, x_ids], verbose=0)):
    print(name, out.dtype, out.tolist())
with zipfile.ZipFile(path) as z:
    for member in z.namelist():
        if member.startswith("assets/"):
            print(member, z.read(member))

# save_assets of lookups never adapted: their special tokens alone
unadapted = {
    "StringLookup()": (layers.StringLookup(), "string"),
    "StringLookup(mask_token='', num_oov_indices=2)":
        (layers.StringLookup(mask_token="", num_oov_indices=2), "string"),
    "IntegerLookup()": (layers.IntegerLookup(), "int64"),
    "IntegerLookup(mask_token=0, invert=True)": (layers.IntegerLookup(mask_token=0, invert=True), "int64"),
}
with tempfile.TemporaryDirectory() as tmp:
    for text, (layer, dtype) in unadapted.items():
        x = keras.Input(shape=(1,), dtype=dtype)
        file = os.path.join(tmp, "m.keras")
        keras.Model(x, layer(x)).save(file)
        with zipfile.ZipFile(file) as z:
            print(text, [(m, z.read(m)) for m in z.namelist() if m.startswith("assets/")])
print("keras", keras.__version__, "tensorflow", tf.__version__)
