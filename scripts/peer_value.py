#!/usr/bin/env python3
"""The peer of `clientscope-cli value`: what an analyst runs instead, in pandas + lifetimes.

Reads the same order CSV (customer_id,date,amount,...), computes ABC (cumulative share
before the customer, 80/95), RFM quintile scores, the lifetimes summary (frequency,
recency, T in days or weeks), fits BG/NBD and Gamma-Gamma, and computes P(alive), expected
purchases and CLV per customer, then writes the per-customer table as JSON: the same work
and output as the CLI. Prints the wall time of the whole process to stderr.

Usage: peer_value.py ORDERS.csv AS_OF {day|week} OUT.json
Needs: pip install pandas lifetimes (scripts/bench.sh installs them in target/peer-venv).
"""
import json
import sys
import time
import warnings

start = time.perf_counter()
warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

path, as_of, unit, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
tx = pd.read_csv(path, dtype={"customer_id": str, "order_no": str}, parse_dates=["date"])
as_of_ts = pd.Timestamp(as_of)
tx = tx[tx["date"] <= as_of_ts]

# ABC on revenue.
rev = tx.groupby("customer_id")["amount"].sum().sort_values(ascending=False, kind="mergesort")
pos = rev.clip(lower=0)
before = (pos.cumsum() - pos) / pos.sum()
abc = np.where(rev <= 0, "C", np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C")))

# RFM: recency days, frequency = distinct order numbers, monetary = revenue; quintiles on ranks.
g = tx.groupby("customer_id")
rfm = pd.DataFrame({
    "recency_days": (as_of_ts - g["date"].max()).dt.days,
    "rfm_frequency": g["order_no"].nunique(),
    "monetary": g["amount"].sum(),
})
rfm["r_score"] = pd.qcut((-rfm["recency_days"]).rank(method="first"), 5, labels=False) + 1
rfm["f_score"] = pd.qcut(rfm["rfm_frequency"].rank(method="first"), 5, labels=False) + 1
rfm["m_score"] = pd.qcut(rfm["monetary"].rank(method="first"), 5, labels=False) + 1

freq = "D" if unit == "day" else "W"
summary = summary_data_from_transaction_data(
    tx, "customer_id", "date", monetary_value_col="amount", observation_period_end=as_of, freq=freq
)
bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(summary["frequency"], summary["recency"], summary["T"])
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(repeat["frequency"], repeat["monetary_value"])
horizon = 12 * 30 / (1 if unit == "day" else 7)
summary["p_alive"] = bgf.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
summary["expected_purchases"] = bgf.conditional_expected_number_of_purchases_up_to_time(
    horizon, summary["frequency"], summary["recency"], summary["T"]
)
summary["clv"] = ggf.customer_lifetime_value(
    bgf, summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"],
    time=12, discount_rate=0.01, freq=freq,
)
table = rfm.join(summary).join(pd.DataFrame({"revenue": rev, "abc": abc}))
p = bgf.params_
result = {
    "as_of": as_of,
    "unit": unit,
    "bgnbd": {"r": p["r"], "alpha": p["alpha"], "a": p["a"], "b": p["b"]},
    "gamma_gamma": {k: float(v) for k, v in ggf.params_.items()},
    "customers": json.loads(table.reset_index().to_json(orient="records")),
}
with open(out, "w") as f:
    json.dump(result, f)
print(f"PEER pandas+lifetimes {time.perf_counter() - start:.2f} s, {len(table)} customers, "
      f"BG/NBD r={p['r']:.4f} alpha={p['alpha']:.4f} a={p['a']:.4f} b={p['b']:.4f}", file=sys.stderr)
