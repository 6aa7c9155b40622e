#!/usr/bin/env python3
"""Checks a .keras file (or a .weights.h5 file) against Keras 3's layout with zipfile + h5py,
independently of the Java reader: zip members, metadata.json, config.json's serialized objects,
and that model.weights.h5 holds, for every layer of the config, layers/<snake_case class>[_n]/vars/<i>
(a recurrent layer's at .../cell/vars, a Bidirectional's at .../forward_layer/cell/vars and
.../backward_layer/cell/vars), as many as Keras 3's build() of that class creates for its config,
float32 but for Normalization's int64 count (the lookup layers' tf_idf weights as vars/idf_weights,
a TextVectorization's also under _lookup_layer; the augmentation layers hold no state: Keras does
not save their SeedGenerator), the assets/ tree (each lookup layer's vocabulary.txt at
assets/<layer path>/, unless its config gives the vocabulary), and optimizer/vars as Keras 3's base
optimizer saves them (iterations int64 scalar, learning_rate float32 scalar unless a schedule sets
it, then float32 moving averages, slots and Nadam's u_product). Prints the weights tree; exits 1 on
a mismatch.

Usage: /usr/bin/python3 .ci/check_keras_file.py FILE.keras [FILE.weights.h5 ...]
"""
import io
import json
import re
import sys
import zipfile

import h5py

errors = []


def check(condition, message):
    if not condition:
        errors.append(message)


def snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def check_object(obj, where):
    for key in ("module", "class_name", "config", "registered_name"):
        check(key in obj, f"{where}: serialized object lacks '{key}'")


def expected_paths(model, prefix, out):
    """The vars groups Keras reads for this model config: layers numbered by snake-case class."""
    used = {}
    for layer in model["config"]["layers"]:
        if layer["class_name"] == "InputLayer":
            continue
        base = snake(layer["class_name"])
        count = used.get(base)
        key = base if count is None else f"{base}_{count + 1}"
        used[base] = 0 if count is None else count + 1
        path = f"{prefix}layers/{key}"
        check_object(layer, path)
        if layer["class_name"] in ("Sequential", "Functional"):
            expected_paths(layer, path + "/", out)
        elif layer["class_name"] in RECURRENT:
            out.append((path + "/cell/vars", layer))
        elif layer["class_name"] == "TextVectorization":
            out.append((path + "/vars", layer))
            out.append((path + "/_lookup_layer/vars", layer))
        elif layer["class_name"] == "Bidirectional":
            out.append((path + "/forward_layer/cell/vars", layer["config"]["layer"]))
            out.append((path + "/backward_layer/cell/vars", layer["config"]["backward_layer"]))
        else:
            out.append((path + "/vars", layer))


RECURRENT = ("LSTM", "GRU", "SimpleRNN")


def variable_count(layer):
    """How many variables Keras 3's build() of this class creates for its config (None: not checked)."""
    name, c = layer["class_name"], layer["config"]
    if name in ("Dense", "Conv1D", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv1DTranspose", "Conv3DTranspose"):
        return 1 + bool(c.get("use_bias", True))
    if name in RECURRENT:
        return 2 + bool(c.get("use_bias", True))
    if name == "BatchNormalization":
        return bool(c.get("scale", True)) + bool(c.get("center", True)) + 2
    if name == "LayerNormalization":
        return bool(c.get("scale", True)) + bool(c.get("center", True) and not c.get("rms_scaling", False))
    if name == "Embedding":
        return 1
    if name == "Normalization":
        return 3 if c.get("mean") is None else 0
    if name in ("Bidirectional", "TimeDistributed"):
        return None
    if name in LOOKUPS:
        return 1 if c.get("output_mode") == "tf_idf" else 0
    return 0 if name in KNOWN_STATELESS else None


LOOKUPS = ("StringLookup", "IntegerLookup", "TextVectorization")

KNOWN_STATELESS = {
    "RandomBrightness", "RandomContrast", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom",
    "Activation", "Add", "Average", "AveragePooling1D", "AveragePooling2D", "CategoryEncoding", "CenterCrop",
    "Concatenate", "Discretization", "Dropout", "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Hashing", "MaxPooling1D", "MaxPooling2D", "Multiply", "Permute",
    "Rescaling", "Reshape", "Resizing", "Softmax", "Subtract", "UpSampling2D", "ZeroPadding2D"}


def check_weights(h5, config):
    datasets = {}
    h5.visititems(lambda name, obj: datasets.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    for name, d in sorted(datasets.items(), key=lambda kv: kv[0]):
        print(f"  {name} {d.shape} {d.dtype}")
    if config is not None:
        paths = []
        expected_paths(config, "", paths)
        for path, layer in paths:
            held = [n for n in datasets if n.startswith(path + "/")]
            member = r"/idf_weights" if layer["class_name"] in LOOKUPS else r"/\d+"
            check(all(re.fullmatch(re.escape(path) + member, n) for n in held), f"{path}: unexpected members {held}")
            count = variable_count(layer)
            check(count is None or len(held) == count,
                  f"{path}: {len(held)} variables, Keras's {layer['class_name']} has {count} for this config")
            for n in held:
                # Keras's Normalization keeps its count (vars/2) as an int64 scalar
                expected = "int64" if layer["class_name"] == "Normalization" and n.endswith("/vars/2") else "float32"
                check(datasets[n].dtype == expected, f"{n}: {datasets[n].dtype}, expected {expected}")
        known = tuple(p + "/" for p, _ in paths) + ("optimizer/vars/",)
        for n in datasets:
            check(n.startswith(known), f"{n}: not a path Keras reads for this config")
    if "optimizer" in h5:
        vars_ = h5["optimizer/vars"]
        check(vars_["0"].shape == () and vars_["0"].dtype == "int64", "optimizer/vars/0 must be the int64 scalar iterations")
        optimizer = ((config or {}).get("compile_config") or {}).get("optimizer")
        rate = optimizer.get("config", {}).get("learning_rate") if isinstance(optimizer, dict) else None
        if isinstance(rate, (int, float)) and "1" in vars_:  # a schedule creates no learning_rate variable
            check(vars_["1"].shape == () and vars_["1"].dtype == "float32", "optimizer/vars/1 must be the float32 scalar learning_rate")
        for name in vars_:
            check(vars_[name].dtype in ("int64", "float32"), f"optimizer/vars/{name}: {vars_[name].dtype}")
        check(sorted(vars_.keys(), key=int) == [str(i) for i in range(len(vars_))], "optimizer/vars must be numbered 0..n-1")


def check_assets(zf, config):
    """Each lookup layer without a vocabulary in its config has assets/<path>/vocabulary.txt, nothing else."""
    paths = []
    expected_paths(config, "", paths)
    wanted = set()
    for path, layer in paths:
        if layer["class_name"] in LOOKUPS and layer["config"].get("vocabulary") is None:
            wanted.add("assets/" + path[: -len("/vars")] + "/vocabulary.txt")
    held = {n for n in zf.namelist() if n.startswith("assets/") and not n.endswith("/")}
    check(held == wanted, f"assets {sorted(held)}, expected {sorted(wanted)}")
    for name in sorted(held & wanted):
        lines = zf.read(name).decode("utf-8").split("\n")
        print(f"  {name}: {len(lines)} tokens, first {lines[0]!r}")
        check(len(lines) > 0 and lines[-1] != "", f"{name}: no trailing empty line expected")


def check_keras(path):
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        check(names[:3] == ["metadata.json", "config.json", "model.weights.h5"]
              and all(n.startswith("assets/") for n in names[3:]), f"members {names}")
        metadata = json.loads(zf.read("metadata.json"))
        check(set(metadata) >= {"keras_version", "date_saved"}, f"metadata.json keys {sorted(metadata)}")
        check(str(metadata.get("keras_version", "")).startswith("3."), f"keras_version {metadata.get('keras_version')}")
        check(re.fullmatch(r"\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d", metadata.get("date_saved", "")) is not None, "date_saved format")
        config = json.loads(zf.read("config.json"))
        check_object(config, "config.json")
        check(config["class_name"] in ("Sequential", "Functional"), f"model class {config['class_name']}")
        if "compile_config" in config:
            compile_config = config["compile_config"]
            for key in ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                        "steps_per_execution", "jit_compile"):
                check(key in compile_config, f"compile_config lacks '{key}'")
            check_object(compile_config["optimizer"], "compile_config.optimizer")
        with h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as h5:
            check_weights(h5, config)
            check(("optimizer" in h5) == ("compile_config" in config), "optimizer/vars present iff compiled")
        check_assets(zf, config)


for arg in sys.argv[1:]:
    print(arg)
    if arg.endswith(".keras"):
        check_keras(arg)
    else:
        with h5py.File(arg, "r") as h5:
            check_weights(h5, None)
if errors:
    print("\n".join("ERROR: " + e for e in errors))
    sys.exit(1)
print("ok: Keras 3 layout")
