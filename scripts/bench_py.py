#!/usr/bin/env python3
"""Python side of scripts/bench: one task per process, timed inside the process.

usage: bench_py.py TASK ARGS...     (run by bench_driver.py under /usr/bin/time -v)

Each task prints one JSON line on stdout: {"t": {step: seconds}, ...results}. Times cover only
the work itself (perf_counter around the call), not interpreter start-up or imports (a warm-up
call on 2000 rows loads pyfixest's/statsmodels' lazily imported code first), so they compare with
did's times after its start-up is subtracted. Peak RSS is taken by the driver.

Tasks:
  polars_csv F            polars.read_csv
  pandas_csv F            pandas.read_csv
  pyfixest F              pandas.read_csv + feols(y ~ x1+..+x5 | unit + year + fe3, CRV1 unit)
  pandas_manage F U OP    pandas.read_csv, then one of gen/egen/collapse/merge (U: unit file)
  psm F                   pandas.read_csv, statsmodels Logit, sklearn 1-NN on the score
"""
import json
import sys
import time


def timed(t, name, fn):
    """Run fn, store its wall seconds in t[name] and its CPU seconds (all threads) in
    t[name + "_cpu"], return its value."""
    s, c = time.perf_counter(), time.process_time()
    v = fn()
    t[name] = time.perf_counter() - s
    t[name + "_cpu"] = time.process_time() - c
    return v


def polars_csv(path):
    import polars as pl
    t = {}
    df = timed(t, "load", lambda: pl.read_csv(path))
    return {"t": t, "rows": df.height}


def pandas_csv(path):
    import pandas as pd
    t = {}
    df = timed(t, "load", lambda: pd.read_csv(path))
    return {"t": t, "rows": len(df)}


def pyfixest_fit(path):
    import pandas as pd
    import pyfixest as pf
    t = {}
    df = timed(t, "load", lambda: pd.read_csv(path))
    # Untimed warm-up on a few rows: pyfixest imports much of its machinery lazily on the first
    # call (seconds of CPU), a one-time cost a session pays once, not per fit.
    pf.feols("y ~ x1+x2+x3+x4+x5 | unit + year + fe3", data=df.head(2000), vcov={"CRV1": "unit"})
    fit = timed(t, "fit", lambda: pf.feols("y ~ x1+x2+x3+x4+x5 | unit + year + fe3", data=df,
                                            vcov={"CRV1": "unit"}))
    coef = {k: float(v) for k, v in fit.coef().items()}
    se = {k: float(v) for k, v in fit.se().items()}
    return {"t": t, "coef": coef, "se": se}


def pandas_manage(path, unitfile, op):
    import pandas as pd
    t = {}
    df = timed(t, "load", lambda: pd.read_csv(path))
    out = {}
    if op == "gen":
        def gen():
            df["z"] = df["x1"] * 2 + df["x2"]
        timed(t, op, gen)
    elif op == "egen":
        def egen():
            df["m"] = df.groupby("unit")["x1"].transform("mean")
        timed(t, op, egen)
        out["check"] = float(df["m"].iloc[-1])
    elif op == "collapse":
        res = timed(t, op, lambda: df.groupby("unit", as_index=False)[["x1", "x2"]].mean())
        out["rows"] = len(res)
    elif op == "merge":
        units = pd.read_csv(unitfile)
        res = timed(t, op, lambda: df.merge(units, on="unit", how="left", validate="m:1"))
        out["rows"] = len(res)
    else:
        raise SystemExit(f"unknown op {op}")
    out["t"] = t
    return out


def psm(path):
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm
    from sklearn.neighbors import NearestNeighbors
    t = {}
    df = timed(t, "load", lambda: pd.read_csv(path))
    head = df.head(2000)  # untimed warm-up of the code paths (lazy imports), as for pyfixest
    sm.Logit(head["treat"].to_numpy(), sm.add_constant(head[["x1", "x2", "x3", "x4", "x5"]].to_numpy())).fit(disp=0)
    NearestNeighbors(n_neighbors=1).fit(head[["x1"]].to_numpy()).kneighbors(head[["x1"]].to_numpy())

    def logit():
        X = sm.add_constant(df[["x1", "x2", "x3", "x4", "x5"]].to_numpy())
        res = sm.Logit(df["treat"].to_numpy(), X).fit(disp=0)
        return res, res.predict(X)
    res, ps = timed(t, "logit", logit)

    def match():
        treat = df["treat"].to_numpy() == 1
        y = df["y"].to_numpy()
        nn = NearestNeighbors(n_neighbors=1).fit(ps[~treat].reshape(-1, 1))
        _, idx = nn.kneighbors(ps[treat].reshape(-1, 1))
        return float(np.mean(y[treat] - y[~treat][idx[:, 0]]))
    att = timed(t, "match", match)
    return {"t": t, "coef": [float(b) for b in res.params], "att": att}


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    task, args = sys.argv[1], sys.argv[2:]
    fn = {"polars_csv": polars_csv, "pandas_csv": pandas_csv, "pyfixest": pyfixest_fit,
          "pandas_manage": pandas_manage, "psm": psm}.get(task)
    if fn is None:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(fn(*args)), flush=True)


if __name__ == "__main__":
    main()
