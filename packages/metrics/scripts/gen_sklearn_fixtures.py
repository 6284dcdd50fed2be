#!/usr/bin/python3
"""Golden fixtures for @mapnn/metrics from scikit-learn.

Run with Debian's python3 (python3-sklearn 1.2.1, NumPy 1.24):

    /usr/bin/python3 packages/metrics/scripts/gen_sklearn_fixtures.py

Writes packages/metrics/fixtures/*.json: randomized cases with fixed seeds (binary and
multi-class, string labels, ties in scores, classes listed in `labels` that never occur,
zero-division settings, sample weights) and the values scikit-learn computes for them.
NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity"; a case whose
call raises records {"error": "<exception class>"}.
"""

import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.preprocessing import label_binarize
from sklearn import metrics as M

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def enc(v):
    """numpy → JSON-able, with non-finite floats as strings."""
    if isinstance(v, dict):
        return {str(k): enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    if isinstance(v, np.str_):
        return str(v)
    return v


def call(fn, *args, **kwargs):
    """(value, warned) or ({'error': name}, warned); warned = an UndefinedMetricWarning was raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - any error is a golden outcome
            value = {"error": type(e).__name__}
    warned = any(issubclass(w.category, UndefinedMetricWarning) for w in caught)
    return enc(value), warned


def write(name, cases, datasets=None):
    """Writes fixtures/<name>.json; label cases refer to `datasets` by name (yTrue, yPred, sampleWeight)."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".json")
    doc = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    if datasets is not None:
        doc["datasets"] = {d["name"]: {k: d[k] for k in ("yTrue", "yPred", "sampleWeight") if k in d} for d in datasets}
    doc["cases"] = cases
    with open(path, "w") as f:
        json.dump(doc, f, allow_nan=False)
        f.write("\n")
    print(f"{path}: {len(cases)} cases")


def tolist(a):
    return enc(np.asarray(a))


# --------------------------------------------------------------------------------------------
# Label data sets (yTrue, yPred, sample weights)


def noisy_preds(rng, y, classes, p_err):
    y = np.asarray(y)
    flip = rng.random(len(y)) < p_err
    other = rng.choice(classes, size=len(y))
    return np.where(flip, other, y)


def label_datasets():
    sets = []
    rng = np.random.default_rng(1234)
    # binary 0/1, balanced and imbalanced
    for i, (n, p1, err) in enumerate([(20, 0.5, 0.3), (50, 0.2, 0.25), (7, 0.5, 0.5), (100, 0.05, 0.1)]):
        yt = (rng.random(n) < p1).astype(int)
        yp = noisy_preds(rng, yt, [0, 1], err)
        sets.append(dict(name=f"binary01-{i}", yTrue=yt, yPred=yp, kind="binary", pos=1, classes=[0, 1]))
    # binary -1/1 with posLabel -1
    yt = rng.choice([-1, 1], size=30)
    sets.append(dict(name="binary-pm1", yTrue=yt, yPred=noisy_preds(rng, yt, [-1, 1], 0.3), kind="binary", pos=-1, classes=[-1, 1]))
    # binary strings
    yt = rng.choice(["neg", "pos"], size=25, p=[0.7, 0.3])
    sets.append(dict(name="binary-str", yTrue=yt, yPred=noisy_preds(rng, yt, ["neg", "pos"], 0.3), kind="binary", pos="pos", classes=["neg", "pos"]))
    # multi-class ints
    for i, (n, k, err) in enumerate([(30, 3, 0.3), (60, 4, 0.4), (100, 5, 0.2), (12, 6, 0.6), (200, 3, 0.05)]):
        probs = rng.dirichlet(np.ones(k))
        yt = rng.choice(np.arange(k), size=n, p=probs)
        yp = noisy_preds(rng, yt, np.arange(k), err)
        sets.append(dict(name=f"multi-{i}", yTrue=yt, yPred=yp, kind="multi", classes=list(range(k))))
    # multi-class with gaps in the labels (2, 5, 9)
    yt = rng.choice([2, 5, 9], size=40)
    sets.append(dict(name="multi-gaps", yTrue=yt, yPred=noisy_preds(rng, yt, [2, 5, 9], 0.4), kind="multi", classes=[2, 5, 9]))
    # multi-class strings
    yt = rng.choice(["bird", "cat", "dog", "emu"], size=40)
    sets.append(dict(name="multi-str", yTrue=yt, yPred=noisy_preds(rng, yt, ["bird", "cat", "dog", "emu"], 0.35), kind="multi", classes=["bird", "cat", "dog", "emu"]))
    # edge cases: a predicted class never true, a true class never predicted, constant predictions
    sets.append(dict(name="pred-only-class", yTrue=[0, 1, 1, 0, 1, 0], yPred=[0, 2, 1, 2, 1, 0], kind="multi", classes=[0, 1, 2]))
    sets.append(dict(name="never-predicted", yTrue=[0, 1, 2, 2, 1, 0, 2], yPred=[0, 0, 2, 2, 0, 0, 2], kind="multi", classes=[0, 1, 2]))
    sets.append(dict(name="all-one-pred", yTrue=[0, 1, 1, 0, 1], yPred=[0, 0, 0, 0, 0], kind="binary", pos=1, classes=[0, 1]))
    sets.append(dict(name="all-zero-both", yTrue=[0, 0, 0, 0], yPred=[0, 0, 0, 0], kind="binary", pos=1, classes=[0, 1]))
    sets.append(dict(name="perfect", yTrue=[2, 0, 1, 1, 2], yPred=[2, 0, 1, 1, 2], kind="multi", classes=[0, 1, 2]))
    sets.append(dict(name="single", yTrue=[1], yPred=[0], kind="binary", pos=1, classes=[0, 1]))
    sets.append(dict(name="ordinal", yTrue=[0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 2, 2], yPred=[0, 2, 2, 3, 3, 4, 1, 2, 0, 1, 4, 2], kind="multi", classes=[0, 1, 2, 3, 4]))
    # weights: floats, integers with zeros
    out = []
    for s in sets:
        out.append(s)
        n = len(s["yTrue"])
        wr = np.random.default_rng(len(out) * 7919)
        if s["name"] in ("single",):
            continue
        out.append(dict(s, name=s["name"] + "+w", sampleWeight=np.round(wr.uniform(0, 2, n), 3)))
        if s["name"] in ("binary01-0", "multi-1", "multi-str", "never-predicted"):
            out.append(dict(s, name=s["name"] + "+intw", sampleWeight=wr.integers(0, 3, n)))
    for s in out:
        s["yTrue"] = tolist(s["yTrue"])
        s["yPred"] = tolist(s["yPred"])
        if "sampleWeight" in s:
            s["sampleWeight"] = tolist(s["sampleWeight"])
    return out


def extra_label(classes):
    if isinstance(classes[0], str):
        return "zebra"
    return max(classes) + 7


def data_args(d):
    kw = {}
    if "sampleWeight" in d:
        kw["sample_weight"] = np.asarray(d["sampleWeight"])
    return kw


def case_base(d):
    return {"data": d["name"]}


def gen_prf(datasets):
    cases = []
    for d in datasets:
        classes = d["classes"]
        yt, yp = np.asarray(d["yTrue"]), np.asarray(d["yPred"])
        extra = extra_label(classes)
        label_opts = [None, list(classes) + [extra], list(reversed(classes))[:max(1, len(classes) - 1)]]
        averages = [None, "micro", "macro", "weighted"] + (["binary"] if d["kind"] == "binary" else [])
        for labels in label_opts:
            for average in averages:
                if average == "binary" and labels is not None:
                    continue
                for zd in ["warn", 0, 1]:
                    kw = dict(data_args(d), average=average, zero_division=zd)
                    if labels is not None:
                        kw["labels"] = labels
                    if average == "binary":
                        kw["pos_label"] = d["pos"]
                    c = case_base(d)
                    c.update(average=average, zeroDivision=zd)
                    if labels is not None:
                        c["labels"] = enc(labels)
                    if average == "binary":
                        c["posLabel"] = enc(d["pos"])
                    c["precision"], c["warnPrecision"] = call(M.precision_score, yt, yp, **kw)
                    c["recall"], c["warnRecall"] = call(M.recall_score, yt, yp, **kw)
                    c["f1"], c["warnF1"] = call(M.f1_score, yt, yp, **kw)
                    c["beta"] = [0.5, 2.0][len(cases) % 2]
                    c["fbeta"], c["warnFbeta"] = call(M.fbeta_score, yt, yp, beta=c["beta"], **kw)
                    prfs, _ = call(M.precision_recall_fscore_support, yt, yp, **kw)
                    if not isinstance(prfs, dict):
                        c["support"] = prfs[3]
                    cases.append(c)
        # a binary average on multi-class data, and a bad posLabel: errors
        if d["kind"] == "multi":
            c = case_base(d)
            c.update(average="binary", zeroDivision=0)
            c["precision"], _ = call(M.precision_score, yt, yp, average="binary", **data_args(d))
            c["recall"] = c["f1"] = c["fbeta"] = c["precision"]
            c["beta"] = 1.0
            cases.append(c)
    # fbeta with beta = inf is recall
    d = datasets[0]
    for average in ["macro", "binary"]:
        c = case_base(d)
        c.update(average=average, zeroDivision=0, beta="Infinity")
        c["fbeta"], c["warnFbeta"] = call(M.fbeta_score, d["yTrue"], d["yPred"], beta=np.inf, average=average, zero_division=0, **data_args(d))
        cases.append(c)
    write("prf", cases, datasets)


def gen_label_metrics(datasets):
    cases = []
    for d in datasets:
        classes = d["classes"]
        yt, yp = np.asarray(d["yTrue"]), np.asarray(d["yPred"])
        kw = data_args(d)
        extra = extra_label(classes)
        c = case_base(d)
        c["accuracy"], _ = call(M.accuracy_score, yt, yp, **kw)
        c["accuracyCount"], _ = call(M.accuracy_score, yt, yp, normalize=False, **kw)
        c["mcc"], _ = call(M.matthews_corrcoef, yt, yp, **kw)
        c["confusion"] = []
        for labels in [None, [extra] + list(classes), list(classes)[1:] or list(classes)]:
            for normalize in [None, "true", "pred", "all"]:
                kwc = dict(kw, normalize=normalize)
                if labels is not None:
                    kwc["labels"] = labels
                v, _ = call(M.confusion_matrix, yt, yp, **kwc)
                c["confusion"].append({"labels": enc(labels), "normalize": normalize, "value": v})
        c["kappa"] = []
        for labels in [None, list(classes) + [extra]]:
            for weights in [None, "linear", "quadratic"]:
                kwk = dict(kw, weights=weights)
                if labels is not None:
                    kwk["labels"] = labels
                v, _ = call(M.cohen_kappa_score, yt, yp, **kwk)
                c["kappa"].append({"labels": enc(labels), "weights": weights, "value": v})
        cases.append(c)
    write("label_metrics", cases, datasets)


def gen_report(datasets):
    cases = []
    for i, d in enumerate(datasets):
        classes = d["classes"]
        yt, yp = np.asarray(d["yTrue"]), np.asarray(d["yPred"])
        kw = data_args(d)
        variants = [dict(), dict(digits=3), dict(digits=4, zero_division=1)]
        variants.append(dict(labels=list(classes) + [extra_label(classes)], zero_division=0))
        if len(classes) > 2:
            variants.append(dict(labels=list(classes)[:-1], digits=3))
        variants.append(dict(target_names=[f"class {c}" for c in sorted(set(d["yTrue"]) | set(d["yPred"]), key=lambda x: x)], zero_division=0))
        for v in variants:
            c = case_base(d)
            c["options"] = enc({("targetNames" if k == "target_names" else "zeroDivision" if k == "zero_division" else k): x for k, x in v.items()})
            c["text"], _ = call(M.classification_report, yt, yp, **v, **kw)
            c["dict"], _ = call(M.classification_report, yt, yp, output_dict=True, **v, **kw)
            cases.append(c)
    write("classification_report", cases, datasets)


# --------------------------------------------------------------------------------------------
# Score data sets


def binary_score_sets():
    rng = np.random.default_rng(42)
    sets = []
    for i, (n, p1, tie) in enumerate([(20, 0.5, 10), (60, 0.3, 5), (100, 0.5, 0), (15, 0.2, 3), (200, 0.4, 20), (8, 0.5, 2)]):
        yt = (rng.random(n) < p1).astype(int)
        if yt.min() == yt.max():
            yt[0] = 1 - yt[0]
        raw = np.clip(0.5 + (yt - 0.5) * 0.6 + rng.normal(0, 0.35, n), 0, 1)
        ys = np.round(raw * tie) / tie if tie else raw
        sets.append(dict(name=f"bin-{i}", yTrue=yt, yScore=ys, pos=1))
    # {-1, 1} labels and decision-function scores (outside [0, 1])
    yt = rng.choice([-1, 1], size=40)
    sets.append(dict(name="bin-pm1", yTrue=yt, yScore=np.round(yt * 0.8 + rng.normal(0, 1.2, 40), 1), pos=1))
    # string labels (posLabel required)
    yt = rng.choice(["ham", "spam"], size=30)
    sets.append(dict(name="bin-str", yTrue=yt, yScore=np.round((yt == "spam") * 0.3 + rng.random(30) * 0.7, 1), pos="spam"))
    # all tied, perfect, inverted
    sets.append(dict(name="bin-alltied", yTrue=np.array([0, 1, 0, 1, 1]), yScore=np.full(5, 0.5), pos=1))
    sets.append(dict(name="bin-perfect", yTrue=np.array([0, 0, 1, 1, 1]), yScore=np.array([0.1, 0.2, 0.7, 0.8, 0.9]), pos=1))
    sets.append(dict(name="bin-inverted", yTrue=np.array([1, 1, 0, 0]), yScore=np.array([0.1, 0.2, 0.7, 0.8]), pos=1))
    out = []
    for s in sets:
        out.append(s)
        n = len(s["yTrue"])
        wr = np.random.default_rng(n * 31 + len(out))
        out.append(dict(s, name=s["name"] + "+w", sampleWeight=np.round(wr.uniform(0, 3, n), 2)))
        out.append(dict(s, name=s["name"] + "+intw", sampleWeight=wr.integers(0, 3, n)))
    for s in out:
        s["yTrue"] = tolist(s["yTrue"])
        s["yScore"] = tolist(s["yScore"])
        if "sampleWeight" in s:
            s["sampleWeight"] = tolist(s["sampleWeight"])
    return out


def multi_score_sets():
    rng = np.random.default_rng(7)
    sets = []
    for i, (n, k, tie) in enumerate([(30, 3, True), (80, 4, False), (50, 5, True), (200, 3, True), (25, 4, True)]):
        yt = rng.integers(0, k, n)
        for c in range(k):  # every class present
            yt[c] = c
        if tie:
            counts = rng.integers(0, 4, (n, k)).astype(float)
            counts[np.arange(n), yt] += rng.integers(0, 3, n)
            counts[counts.sum(axis=1) == 0, 0] = 1
            ys = counts / counts.sum(axis=1, keepdims=True)
        else:
            logits = rng.normal(0, 1, (n, k))
            logits[np.arange(n), yt] += 1.0
            ys = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        sets.append(dict(name=f"multi-{i}", yTrue=yt, yScore=ys, k=k))
    yt = rng.choice(["a", "b", "c"], size=30)
    yt[:3] = ["a", "b", "c"]
    counts = rng.integers(1, 5, (30, 3)).astype(float)
    sets.append(dict(name="multi-str", yTrue=yt, yScore=counts / counts.sum(axis=1, keepdims=True), k=3))
    out = []
    for s in sets:
        out.append(s)
        n = len(s["yTrue"])
        wr = np.random.default_rng(n * 17 + len(out))
        out.append(dict(s, name=s["name"] + "+w", sampleWeight=np.round(wr.uniform(0, 2, n), 2)))
    for s in out:
        s["yTrue"] = tolist(s["yTrue"])
        s["yScore"] = tolist(s["yScore"])
        if "sampleWeight" in s:
            s["sampleWeight"] = tolist(s["sampleWeight"])
    return out


def score_base(d):
    c = {"data": d["name"], "yTrue": d["yTrue"], "yScore": d["yScore"]}
    if "sampleWeight" in d:
        c["sampleWeight"] = d["sampleWeight"]
    return c


def gen_curves(bsets):
    cases = []
    for d in bsets:
        yt, ys = np.asarray(d["yTrue"]), np.asarray(d["yScore"])
        kw = data_args(d)
        c = score_base(d)
        c["posLabel"] = enc(d["pos"])
        roc, _ = call(M.roc_curve, yt, ys, pos_label=d["pos"], **kw)
        c["roc"] = roc if isinstance(roc, dict) else {"fpr": roc[0], "tpr": roc[1], "thresholds": roc[2]}
        roc, _ = call(M.roc_curve, yt, ys, pos_label=d["pos"], drop_intermediate=False, **kw)
        c["rocAll"] = roc if isinstance(roc, dict) else {"fpr": roc[0], "tpr": roc[1], "thresholds": roc[2]}
        pr, _ = call(M.precision_recall_curve, yt, ys, pos_label=d["pos"], **kw)
        c["pr"] = pr if isinstance(pr, dict) else {"precision": pr[0], "recall": pr[1], "thresholds": pr[2]}
        c["ap"], _ = call(M.average_precision_score, yt, ys, pos_label=d["pos"], **kw)
        # AUC: roc_auc_score takes the greater label as positive
        c["rocAuc"], _ = call(M.roc_auc_score, yt, ys, **kw)
        c["rocAucMaxFpr"] = []
        for mf in [0.1, 0.35, 0.5]:
            v, _ = call(M.roc_auc_score, yt, ys, max_fpr=mf, **kw)
            c["rocAucMaxFpr"].append({"maxFpr": mf, "value": v})
        if d["pos"] == 1:  # top-k on binary 1-D scores (labels {0, 1} or {-1, 1})
            c["topK1"], _ = call(M.top_k_accuracy_score, yt, ys, k=1, **kw)
        cases.append(c)
    # a class absent from yTrue: ROC undefined, AP with no positives
    c = {"data": "no-positives", "yTrue": [0, 0, 0], "yScore": [0.2, 0.5, 0.5], "posLabel": 1}
    roc, _ = call(M.roc_curve, c["yTrue"], c["yScore"])
    c["roc"] = {"fpr": enc(roc[0]), "tpr": enc(roc[1]), "thresholds": enc(roc[2])}
    roc, _ = call(M.roc_curve, c["yTrue"], c["yScore"], drop_intermediate=False)
    c["rocAll"] = {"fpr": enc(roc[0]), "tpr": enc(roc[1]), "thresholds": enc(roc[2])}
    pr, _ = call(M.precision_recall_curve, c["yTrue"], c["yScore"])
    c["pr"] = {"precision": enc(pr[0]), "recall": enc(pr[1]), "thresholds": enc(pr[2])}
    c["ap"], _ = call(M.average_precision_score, c["yTrue"], c["yScore"])
    c["rocAuc"], _ = call(M.roc_auc_score, c["yTrue"], c["yScore"])
    c["rocAucMaxFpr"] = []
    cases.append(c)
    write("curves", cases)


def gen_multiclass_scores(msets):
    cases = []
    for d in msets:
        yt, ys = np.asarray(d["yTrue"]), np.asarray(d["yScore"])
        kw = data_args(d)
        classes = sorted(set(d["yTrue"]))
        c = score_base(d)
        c["rocAuc"] = []
        for mc, avgs in [("ovr", ["macro", "weighted", "micro", None]), ("ovo", ["macro", "weighted"])]:
            for avg in avgs:
                kwa = dict(kw) if mc == "ovr" else {}
                v, _ = call(M.roc_auc_score, yt, ys, multi_class=mc, average=avg, **kwa)
                c["rocAuc"].append({"multiClass": mc, "average": avg, "weighted": mc == "ovr" and "sample_weight" in kw, "value": v})
        # labels that list a class absent from yTrue (one column more): ovr raises
        extra = "zzz" if isinstance(classes[0], str) else max(classes) + 1
        ys_extra = np.hstack([ys * 0.9, np.full((len(yt), 1), 0.1)])
        c["yScoreExtra"] = tolist(ys_extra)
        c["labelsExtra"] = enc(classes + [extra])
        v, _ = call(M.roc_auc_score, yt, ys_extra, multi_class="ovr", labels=classes + [extra])
        c["rocAucExtraOvr"] = v
        v, _ = call(M.roc_auc_score, yt, ys_extra, multi_class="ovo", labels=classes + [extra])
        c["rocAucExtraOvo"] = v
        # AP one-vs-rest (scikit-learn >= 1.3 behaviour, via label_binarize)
        ind = label_binarize(yt, classes=classes)
        c["ap"] = []
        for avg in ["macro", "weighted", "micro", "samples", None]:
            v, _ = call(M.average_precision_score, ind, ys, average=avg, **kw)
            c["ap"].append({"average": avg, "value": v})
        # top-k
        c["topK"] = []
        for k in range(1, d["k"] + 1):
            for normalize in [True, False]:
                v, _ = call(M.top_k_accuracy_score, yt, ys, k=k, normalize=normalize, **kw)
                c["topK"].append({"k": k, "normalize": normalize, "value": v})
        v, _ = call(M.top_k_accuracy_score, yt, ys_extra, k=2, labels=classes + [extra], **kw)
        c["topKExtra"] = v
        # log loss
        c["logLoss"] = []
        for normalize in [True, False]:
            v, _ = call(M.log_loss, yt, ys, normalize=normalize, **kw)
            c["logLoss"].append({"normalize": normalize, "value": v})
        v, _ = call(M.log_loss, yt, ys_extra, labels=classes + [extra], **kw)
        c["logLossExtra"] = v
        cases.append(c)
    # multi-label indicator yTrue
    rng = np.random.default_rng(99)
    for i, (n, k) in enumerate([(20, 3), (50, 4)]):
        yind = (rng.random((n, k)) < 0.4).astype(int)
        yind[0, :] = 1
        yind[1, :] = 0
        ys = np.round(rng.random((n, k)), 1)
        w = np.round(rng.uniform(0, 2, n), 2)
        for weighted in [False, True]:
            kw = {"sample_weight": w} if weighted else {}
            c = {"data": f"multilabel-{i}{'+w' if weighted else ''}", "yTrue": tolist(yind), "yScore": tolist(ys), "multilabel": True}
            if weighted:
                c["sampleWeight"] = tolist(w)
            c["ap"] = []
            c["rocAuc"] = []
            for avg in ["macro", "weighted", "micro", "samples", None]:
                v, _ = call(M.average_precision_score, yind, ys, average=avg, **kw)
                c["ap"].append({"average": avg, "value": v})
                if avg != "samples":
                    v, _ = call(M.roc_auc_score, yind, ys, average=avg, **kw)
                    c["rocAuc"].append({"multiClass": "ovr", "average": avg, "weighted": weighted, "value": v})
            cases.append(c)
    write("multiclass_scores", cases)


def gen_log_loss():
    rng = np.random.default_rng(5)
    cases = []
    for i, n in enumerate([10, 40, 3]):
        yt = rng.integers(0, 2, n)
        yt[0], yt[1] = 0, 1
        p = np.round(rng.random(n), 2)
        p[0] = 0.0  # clipped
        p[1] = 1.0
        for w in [None, np.round(rng.uniform(0, 2, n), 2)]:
            kw = {} if w is None else {"sample_weight": w}
            c = {"data": f"binary-{i}{'' if w is None else '+w'}", "yTrue": tolist(yt), "yPred": tolist(p)}
            if w is not None:
                c["sampleWeight"] = tolist(w)
            c["variants"] = []
            for eps in ["auto", 1e-15, 1e-3]:
                for normalize in [True, False]:
                    v, _ = call(M.log_loss, yt, p, eps=eps, normalize=normalize, **kw)
                    c["variants"].append({"eps": eps, "normalize": normalize, "value": v})
            cases.append(c)
    # unnormalized rows, exact zeros, string labels, explicit labels with an absent class
    yt = np.array(["b", "a", "c", "a", "b"])
    p = np.array([[0.2, 0.7, 0.3], [1.0, 0.0, 0.0], [0.1, 0.1, 0.5], [0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    c = {"data": "str-unnormalized", "yTrue": tolist(yt), "yPred": tolist(p), "variants": []}
    for eps in ["auto", 1e-7]:
        v, _ = call(M.log_loss, yt, p, eps=eps)
        c["variants"].append({"eps": eps, "normalize": True, "value": v})
    cases.append(c)
    yt = np.array([0, 2, 2, 0])
    p = np.array([[0.6, 0.1, 0.3], [0.2, 0.2, 0.6], [0.1, 0.0, 0.9], [0.9, 0.05, 0.05]])
    c = {"data": "labels-absent", "yTrue": tolist(yt), "yPred": tolist(p), "labels": [0, 1, 2], "variants": []}
    v, _ = call(M.log_loss, yt, p, labels=[0, 1, 2])
    c["variants"].append({"eps": "auto", "normalize": True, "value": v})
    cases.append(c)
    c = {"data": "labels-missing", "yTrue": tolist(yt), "yPred": tolist(p), "variants": []}
    v, _ = call(M.log_loss, yt, p)
    c["variants"].append({"eps": "auto", "normalize": True, "value": v})
    cases.append(c)
    write("log_loss", cases)


def gen_regression():
    rng = np.random.default_rng(2024)
    cases = []
    shapes = [(10, None), (100, None), (2, None), (30, 3), (50, 2), (1, None)]
    for i, (n, k) in enumerate(shapes):
        shape = (n,) if k is None else (n, k)
        yt = rng.normal(0, 3, shape)
        yp = yt + rng.normal(0, 1, shape)
        datasets = [("", yt, yp)]
        if i == 0:
            datasets.append(("-int", np.round(yt), np.round(yp)))
            datasets.append(("-const", np.full(shape, 2.0), yp))
            datasets.append(("-const-exact", np.full(shape, 2.0), np.full(shape, 2.0)))
        if k == 3:
            yt2 = yt.copy()
            yt2[:, 1] = 5.0
            datasets.append(("-constcol", yt2, yp))
        for suffix, a, b in datasets:
            for w in [None, np.round(rng.uniform(0, 2, n), 2)]:
                kw = {} if w is None else {"sample_weight": w}
                c = {"data": f"reg-{i}{suffix}{'' if w is None else '+w'}", "yTrue": tolist(a), "yPred": tolist(b)}
                if w is not None:
                    c["sampleWeight"] = tolist(w)
                mos = ["uniform_average", "raw_values"] + ([] if k is None else [list(np.round(rng.uniform(0.1, 1, k), 2))])
                c["mse"], c["mae"], c["rmse"], c["r2"] = [], [], [], []
                for mo in mos:
                    c["mse"].append({"multioutput": enc(mo), "value": call(M.mean_squared_error, a, b, multioutput=mo, **kw)[0]})
                    c["rmse"].append({"multioutput": enc(mo), "value": call(M.mean_squared_error, a, b, multioutput=mo, squared=False, **kw)[0]})
                    c["mae"].append({"multioutput": enc(mo), "value": call(M.mean_absolute_error, a, b, multioutput=mo, **kw)[0]})
                for mo in mos + ["variance_weighted"]:
                    for ff in [True, False]:
                        v, _ = call(M.r2_score, a, b, multioutput=mo, force_finite=ff, **kw)
                        c["r2"].append({"multioutput": enc(mo), "forceFinite": ff, "value": v})
                cases.append(c)
    write("regression", cases)


def main():
    assert sklearn.__version__.startswith("1.2"), sklearn.__version__
    lds = label_datasets()
    gen_prf(lds)
    gen_label_metrics(lds)
    gen_report(lds)
    gen_curves(binary_score_sets())
    gen_multiclass_scores(multi_score_sets())
    gen_log_loss()
    gen_regression()


if __name__ == "__main__":
    main()
