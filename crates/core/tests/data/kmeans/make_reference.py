#!/usr/bin/env python3
"""Reference results for clientscope-core's k-means (crates/core/src/segment/kmeans.rs).

Run once in this folder:  python3 make_reference.py
Needs numpy and scikit-learn (pip install scikit-learn numpy). Writes, per case,
<case>.csv (the data; header = column names) and <case>.json (the expected results).

Every case is run by scikit-learn's KMeans from *given* initial centroids (n_init=1,
algorithm="lloyd", tol=1e-4, max_iter=300), so the Rust code, started from the same
centroids, must reach the same partition; inertia is KMeans.inertia_ and the silhouette is
sklearn.metrics.silhouette_score(X, labels) (Euclidean, exact, all rows). For standardized
cases X is StandardScaler().fit_transform(raw) (population standard deviation; a constant
column becomes 0) and the centroids and inertia are in z-space.
"""
import json
import platform

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def run(name, columns, raw, k, init_rows, standardize, true_labels=None, note=""):
    raw = np.asarray(raw, dtype=float)
    X = StandardScaler().fit_transform(raw) if standardize else raw.copy()
    init = X[init_rows].copy()
    km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=1e-4, max_iter=300)
    km.fit(X)
    labels = km.labels_
    sil = float(silhouette_score(X, labels))
    with open(f"{name}.csv", "w", encoding="utf-8") as f:
        f.write(",".join(columns) + "\n")
        for row in raw:
            f.write(",".join(repr(float(v)) for v in row) + "\n")
    out = {
        "case": name,
        "note": note,
        "columns": columns,
        "k": k,
        "standardize": standardize,
        "init_rows": [int(i) for i in init_rows],
        "init": init.tolist(),
        "labels": [int(v) for v in labels],
        "centroids": km.cluster_centers_.tolist(),
        "inertia": float(km.inertia_),
        "silhouette": sil,
        "n_iter": int(km.n_iter_),
        "true_labels": None if true_labels is None else [int(v) for v in true_labels],
        "generated_by": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python {platform.python_version()}",
    }
    with open(f"{name}.json", "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(name, "inertia", out["inertia"], "silhouette", sil, "iterations", out["n_iter"])


def first_of_each(y, k):
    return [int(np.flatnonzero(y == c)[0]) for c in range(k)]


# 1. Three well-separated blobs in 2-D, raw values: must be recovered exactly.
X, y = make_blobs(n_samples=90, centers=[[0, 0], [20, 20], [-20, 20]], cluster_std=1.0, random_state=7)
run("blobs", ["x", "y"], X, 3, first_of_each(y, 3), False, y, "3 well-separated blobs, raw")

# 2. Blobs plus a constant column (value 5), clustered raw and standardized: the constant
#    column adds nothing to a distance and standardizes to 0, not NaN.
X, y = make_blobs(n_samples=120, centers=[[0, 0], [6, 6], [0, 8], [8, 0]], cluster_std=1.5, random_state=11)
Xc = np.column_stack([X[:, 0], np.full(len(X), 5.0), X[:, 1]])
run("constant_raw", ["a", "const", "b"], Xc, 4, [0, 1, 2, 3], False, None, "4 overlapping blobs with a constant middle column, raw")
run("constant_std", ["a", "const", "b"], Xc, 4, [0, 1, 2, 3], True, None, "the same data standardized")

# 3. Columns on very different scales (revenue in yuan, order count, CSI), standardized:
#    unscaled, revenue alone would decide the clusters.
rng = np.random.default_rng(3)
n = 150
grp = rng.integers(0, 3, n)
revenue = np.array([2e5, 1e6, 5e6])[grp] * rng.lognormal(0, 0.4, n)
orders = np.array([5, 20, 12])[grp] + rng.normal(0, 3, n)
csi = np.array([60, 75, 88])[grp] + rng.normal(0, 6, n)
run("scales_std", ["revenue", "orders", "csi"], np.column_stack([revenue, orders, csi]), 3, [0, 1, 2], True, None, "3 groups on very different scales, standardized")
