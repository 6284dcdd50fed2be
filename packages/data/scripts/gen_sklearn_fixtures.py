#!/usr/bin/python3
"""Writes the reference fixtures of @mapnn/data from scikit-learn and NumPy.

Run with Debian's python3 (python3-sklearn, python3-numpy):

    /usr/bin/python3 packages/data/scripts/gen_sklearn_fixtures.py

Outputs (committed):
  fixtures/sklearn.json  class weights, KFold / StratifiedKFold folds, train_test_split
                         stratified counts, StandardScaler / MinMaxScaler statistics
  fixtures/npy/*.npy     small arrays written by numpy.lib.format for every supported dtype and
                         header version, plus files the reader must reject
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.class_weight import compute_class_weight

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures")


def ints(a):
    return [int(v) for v in a]


def floats(a):
    return [float(v) for v in a]


def class_weight_cases():
    cases = []
    labelsets = {
        "breast_cancer": load_breast_cancer().target,
        "wine": load_wine().target,
        "synthetic": np.array([0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3]),
        "gapped": np.array([1, 1, 1, 3, 3, 5]),  # classes need not be 0..C-1
    }
    for name, y in labelsets.items():
        classes = np.unique(y)
        w = compute_class_weight("balanced", classes=classes, y=y)
        cases.append({"name": name, "labels": ints(y), "classes": ints(classes), "weights": floats(w)})
    return cases


def kfold_cases():
    cases = []
    for n, k in [(10, 3), (7, 7), (103, 5)]:
        folds = [ints(test) for _, test in KFold(n_splits=k).split(np.zeros(n))]
        cases.append({"n": n, "k": k, "testFolds": folds})
    return cases


def stratified_kfold_cases():
    cases = []
    labelsets = {
        "wine": load_wine().target,
        "breast_cancer": load_breast_cancer().target,
        "synthetic": np.array([2, 0, 1, 1, 0, 2, 2, 2, 1, 0, 0, 0, 1, 2, 2, 0, 1, 1, 1, 1]),
    }
    for name, y in labelsets.items():
        for k in (3, 5):
            folds = [ints(test) for _, test in StratifiedKFold(n_splits=k).split(np.zeros(len(y)), y)]
            cases.append({"name": name, "k": k, "labels": ints(y), "testFolds": folds})
    return cases


def train_test_split_cases():
    cases = []
    labelsets = {
        "breast_cancer": load_breast_cancer().target,
        "wine": load_wine().target,
        "iris": load_iris().target,
    }
    for name, y in labelsets.items():
        for test_size in (0.2, 0.25, 0.3):
            idx = np.arange(len(y))
            tr, te = train_test_split(idx, test_size=test_size, stratify=y, random_state=0)
            classes = np.unique(y)
            cases.append(
                {
                    "name": name,
                    "testSize": test_size,
                    "labels": ints(y),
                    "nTrain": len(tr),
                    "nTest": len(te),
                    "testCountsPerClass": ints([(y[te] == c).sum() for c in classes]),
                }
            )
    # sizes only (no stratify): n_test = ceil(test_size * n), n_train = n - n_test
    sizes = []
    for n, ts in [(10, 0.25), (7, 0.5), (569, 0.2), (100, 0.33), (10, 3)]:
        tr, te = train_test_split(np.arange(n), test_size=ts, random_state=0)
        sizes.append({"n": n, "testSize": ts, "nTrain": len(tr), "nTest": len(te)})
    return cases, sizes


def scaler_cases():
    x = load_wine().data
    std = StandardScaler().fit(x)
    mm = MinMaxScaler().fit(x)
    mm2 = MinMaxScaler(feature_range=(-1, 2)).fit(x)
    return {
        "x": [floats(r) for r in x],
        "standard": {"mean": floats(std.mean_), "scale": floats(std.scale_), "firstRows": [floats(r) for r in std.transform(x[:3])]},
        "minmax": {"dataMin": floats(mm.data_min_), "dataMax": floats(mm.data_max_), "firstRows": [floats(r) for r in mm.transform(x[:3])]},
        "minmaxRange": {"range": [-1, 2], "firstRows": [floats(r) for r in mm2.transform(x[:3])]},
    }


def write_npy_fixtures():
    folder = os.path.join(OUT, "npy")
    os.makedirs(folder, exist_ok=True)
    base = np.array([[0, 1, -2], [3, 127, -128]])
    arrays = {
        "f4": base.astype("<f4") + np.float32(0.5),
        "f8": base.astype("<f8") / 3.0,
        "i4": base.astype("<i4") * 1000,
        "i8": base.astype("<i8") * 10**12,
        "u1": (base % 256).astype("|u1"),
        "i1": base.astype("|i1"),
        "b1": (base > 0),
    }
    manifest = []
    for name, arr in arrays.items():
        for version in [(1, 0), (2, 0), (3, 0)]:
            fn = f"{name}_v{version[0]}.npy"
            with open(os.path.join(folder, fn), "wb") as f:
                np.lib.format.write_array(f, arr, version=version)
            manifest.append({"file": fn, "descr": arr.dtype.str, "shape": list(arr.shape), "values": [float(v) for v in arr.ravel()]})
    # shapes: scalar, 1-D, empty, 3-D
    extra = {
        "scalar_f8.npy": np.array(2.5, dtype="<f8"),
        "vector_i4.npy": np.arange(5, dtype="<i4"),
        "empty_f4.npy": np.zeros((0, 3), dtype="<f4"),
        "cube_u1.npy": np.arange(24, dtype="|u1").reshape(2, 3, 4),
    }
    for fn, arr in extra.items():
        np.save(os.path.join(folder, fn), arr)
        manifest.append({"file": fn, "descr": arr.dtype.str, "shape": list(arr.shape), "values": [float(v) for v in arr.ravel()]})
    # files the reader must reject
    np.save(os.path.join(folder, "reject_fortran.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    np.save(os.path.join(folder, "reject_bigendian.npy"), np.arange(4, dtype=">f4"))
    np.save(os.path.join(folder, "reject_f2.npy"), np.arange(4, dtype="<f2"))
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    tts, tts_sizes = train_test_split_cases()
    data = {
        "generator": f"scripts/gen_sklearn_fixtures.py (scikit-learn {sklearn.__version__}, numpy {np.__version__})",
        "classWeights": class_weight_cases(),
        "kFold": kfold_cases(),
        "stratifiedKFold": stratified_kfold_cases(),
        "trainTestSplit": tts,
        "trainTestSplitSizes": tts_sizes,
        "scalers": scaler_cases(),
    }
    with open(os.path.join(OUT, "sklearn.json"), "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    write_npy_fixtures()
    print(f"wrote {OUT}/sklearn.json and {OUT}/npy/", file=sys.stderr)


if __name__ == "__main__":
    main()
