#!/usr/bin/env python3
"""Synthetic cross-section for the PSM benchmark (numpy only): bench_gen_psm.py N SEED OUT.csv

Columns: id, x1..x5 ~ N(0,1), treat ~ Bernoulli(logistic(-1 + .5x1 - .3x2 + .2x3 + .1x4 - .4x5))
(about 30% treated, overlapping scores), y = 1 + x1 + .5x2 + 2 treat + N(0,1) (true ATT 2).
Floats are written with 17 significant digits so both sides parse the same doubles.
"""
import sys

import numpy as np

GAMMA = np.array([0.5, -0.3, 0.2, 0.1, -0.4])
CHUNK = 500_000


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rs = np.random.RandomState(seed)
    X = rs.standard_normal((n, 5))
    p = 1.0 / (1.0 + np.exp(-(-1.0 + X @ GAMMA)))
    treat = (rs.uniform(size=n) < p).astype(np.int64)
    y = 1.0 + X[:, 0] + 0.5 * X[:, 1] + 2.0 * treat + rs.standard_normal(n)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("id,treat,x1,x2,x3,x4,x5,y\n")
        for s in range(0, n, CHUNK):
            e = min(n, s + CHUNK)
            block = np.column_stack([np.arange(s + 1, e + 1), treat[s:e], X[s:e], y[s:e]])
            np.savetxt(fh, block, fmt="%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g")


if __name__ == "__main__":
    main()
