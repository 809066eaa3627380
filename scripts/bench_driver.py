#!/usr/bin/env python3
"""Benchmark driver behind scripts/bench: did against polars/pandas/pyfixest/statsmodels.

usage: bench_driver.py [--quick] [--reps N] [--only csv,reghdfe,manage,psm]

Runs every measurement as its own process under /usr/bin/time -v (peak RSS per process), REPS
times, and reports medians and did/other ratios from the same run. Everything written goes under
.build-bench/ (data/, work/); the did binary is .build-bench/swift/release/did.

did is timed two ways:
  * wall clock of the whole process minus the median wall of an empty script (start-up), and
  * markers: the did scripts print `@@T name` lines (stdout is line-buffered), and the driver
    stamps each line as it arrives, so one process gives the time of each step after the load.
Python tasks (bench_py.py) time their own work with perf_counter, without interpreter start-up.
A did step that fails with r(199) "command ... is unrecognized" is reported as
"n/a (command missing)", so the benchmark runs before every command exists.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".build-bench"
DATA = BENCH / "data"
WORK = BENCH / "work"
DID = BENCH / "swift" / "release" / "did"
PANEL_GEN = ROOT.parent / "shared" / "reference" / "bench" / "gen_panel.py"
PSM_GEN = ROOT / "scripts" / "bench_gen_psm.py"
PYTASK = ROOT / "scripts" / "bench_py.py"
XVARS = ["x1", "x2", "x3", "x4", "x5"]
MISSING = "n/a (command missing)"

LOAD_CPU = {}  # rows -> did's CPU seconds for import delimited of panel_N.csv (section 1)
ROWS = []  # final table: (section, task, size, did, did_rss, other_name, other, other_rss, ratio)


# ---------------------------------------------------------------- processes

class Run:
    """One finished process: wall and CPU (user+sys) seconds, peak RSS (MB), exit code, output,
    marker times."""

    def __init__(self, wall, cpu, rss, rc, out, err, marks):
        self.wall, self.cpu, self.rss, self.rc = wall, cpu, rss, rc
        self.out, self.err, self.marks = out, err, marks


def run(cmd, tag):
    """Run cmd under /usr/bin/time -v; stamp `@@T name` stdout lines as they arrive."""
    tfile = WORK / f"{tag}.time"
    efile = WORK / f"{tag}.stderr"
    marks, out = {}, []
    with open(efile, "wb") as ef:
        start = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(tfile)] + [str(c) for c in cmd],
                             stdout=subprocess.PIPE, stderr=ef, cwd=WORK)
        for raw in p.stdout:
            now = time.perf_counter() - start
            line = raw.decode("utf-8", "replace").rstrip("\n")
            out.append(line)
            m = re.match(r"@@T (\S+)", line)
            if m:
                marks[m.group(1)] = now
        rc = p.wait()
        wall = time.perf_counter() - start
    err = efile.read_text(errors="replace")
    rss = float("nan")
    tinfo = tfile.read_text(errors="replace") if tfile.exists() else ""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tinfo)
    if m:
        rss = int(m.group(1)) / 1024.0
    u = re.search(r"User time \(seconds\): ([\d.]+)", tinfo)
    k = re.search(r"System time \(seconds\): ([\d.]+)", tinfo)
    cpu = float(u.group(1)) + float(k.group(1)) if u and k else None
    return Run(wall, cpu, rss, rc, out, err, marks)


def did_script(tag, lines):
    """Write a did script into work/ and return its path."""
    path = WORK / f"{tag}.did"
    path.write_text("\n".join(lines) + "\n")
    return path


def did_failure(r):
    """None when the run succeeded, else MISSING or a one-line error description."""
    if r.rc == 0:
        return None
    text = r.err + "\n" + "\n".join(r.out)
    if re.search(r"is unrecognized", text) and "r(199)" in text:
        return MISSING
    first = next((ln for ln in r.err.splitlines() if ln.strip()), "no message")
    return f"error rc={r.rc}: {first.strip()[:70]}"


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def py_task(args, tag, reps):
    """Run a bench_py.py task reps times; return (median times dict, median RSS, last result)."""
    times, rss, res = {}, [], None
    for i in range(reps):
        r = run([sys.executable, PYTASK] + args, f"{tag}.{i}")
        if r.rc != 0:
            raise SystemExit(f"python task {args[0]} failed (rc {r.rc}):\n{r.err[-2000:]}")
        res = json.loads(r.out[-1])
        for k, v in res["t"].items():
            times.setdefault(k, []).append(v)
        rss.append(r.rss)
    return {k: median(v) for k, v in times.items()}, median(rss), res


def did_task(lines, tag, reps, startup):
    """Run a did script reps times. Returns dict: failure, wall-startup, CPU-startup CPU, step
    times, rss, last run. `startup` is (wall, cpu) of an empty script."""
    path = did_script(tag, lines)
    walls, cpus, steps, rss, runs = [], [], {}, [], []
    failure = None
    for i in range(reps):
        r = run([DID, path], f"{tag}.{i}")
        runs.append(r)
        failure = did_failure(r)
        if failure:
            break
        walls.append(r.wall - startup[0])
        if r.cpu is not None:
            cpus.append(r.cpu - startup[1])
        names = list(r.marks)
        for a, b in zip(names, names[1:]):
            steps.setdefault(b, []).append(r.marks[b] - r.marks[a])
        rss.append(r.rss)
    last = runs[-1]
    partial = {}
    if failure:  # which steps did finish before the failure (for "logit ran, psmatch2 missing")
        names = list(last.marks)
        partial = {b: last.marks[b] - last.marks[a] for a, b in zip(names, names[1:])}
    return {"failure": failure, "net": median(walls), "cpu": median(cpus), "steps": {k: median(v) for k, v in steps.items()},
            "partial": partial, "rss": median(rss) if rss else last.rss, "last": last}


# ---------------------------------------------------------------- output

def fmt_s(x):
    return "—" if x is None else f"{x:8.3f}"


def fmt_mb(x):
    return "—" if x is None or x != x else f"{x:7.0f}"


def ratio_of(a, b):
    if isinstance(a, str) or a is None or not b:
        return "—"
    return f"{a / b:.2f}x"


def record(section, task, size, did_s, did_rss, other, other_s, other_rss, did_cpu=None,
           other_cpu=None):
    """One result row; did_s may be a string (n/a, error). CPU = user+sys of all threads."""
    ratio = ratio_of(did_s, other_s)
    cratio = ratio_of(did_cpu, other_cpu) if did_cpu is not None else "—"
    ROWS.append((section, task, size, did_s, did_rss, other, other_s, other_rss, ratio,
                 did_cpu, other_cpu, cratio))
    d = did_s if isinstance(did_s, str) else fmt_s(did_s)
    cpu = f"   CPU {fmt_s(did_cpu)} vs {fmt_s(other_cpu)} ({cratio})" if did_cpu is not None else ""
    print(f"  {task:<28} {size:>5}  did {d} s ({fmt_mb(did_rss)} MB)   {other} {fmt_s(other_s)} s "
          f"({fmt_mb(other_rss)} MB)   did/{other} {ratio}{cpu}", flush=True)


def print_table():
    w = 140
    print("\n" + "=" * w)
    print(f"{'section':<8} {'task':<28} {'size':>4} {'did s':>21} {'did MB':>7}  "
          f"{'vs':<8} {'other s':>8} {'other MB':>8}  {'did/other':>9}  {'CPU did/other':>24}")
    print("-" * w)
    for sec, task, size, d, drss, other, o, orss, ratio, dc, oc, cr in ROWS:
        ds = d if isinstance(d, str) else fmt_s(d)
        cpu = f"{fmt_s(dc)}/{fmt_s(oc)} {cr:>6}" if dc is not None else "—"
        print(f"{sec:<8} {task:<28} {size:>4} {ds:>21} {fmt_mb(drss):>7}  {other:<8} {fmt_s(o):>8} "
              f"{fmt_mb(orss):>8}  {ratio:>9}  {cpu:>24}")
    print("=" * w)
    print("seconds: median of the repetitions (wall; CPU = user+sys over all threads); MB: peak "
          "RSS of the process (median). did: whole-process time minus the empty-script start-up, "
          "or one step's time between output markers (task names say which). did CPU for a "
          "manage row or 'fit only' = process CPU minus start-up minus section 1's import CPU "
          "(a subtraction: noisy by about +-10% of the import CPU; — when below noise).")


def label(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


# ---------------------------------------------------------------- data

def ensure(path, gen_cmd):
    if path.exists():
        return
    print(f"generating {path.relative_to(ROOT)} ...", flush=True)
    tmp = path.with_suffix(".csv.tmp")
    subprocess.run([sys.executable] + [str(c) for c in gen_cmd] + [str(tmp)], check=True)
    tmp.rename(path)


def panel(n):
    path = DATA / f"panel_{n}.csv"
    ensure(path, [PANEL_GEN, n, 1])
    return path


def psm_data(n):
    path = DATA / f"psm_{n}.csv"
    ensure(path, [PSM_GEN, n, 7])
    return path


def unit_file(n):
    """units_N.csv (unit, uval) for the m:1 merge, and its .dta written by did itself."""
    csv = DATA / f"units_{n}.csv"
    dta = DATA / f"units_{n}.dta"
    if not csv.exists():
        with open(csv, "w") as fh:
            fh.write("unit,uval\n")
            for u in range(1, n // 20 + 1):
                fh.write(f"{u},{(u * 7919) % 1000 / 10}\n")
    if not dta.exists():
        r = run([DID, did_script("mkunits", [f'import delimited using "{csv}", clear',
                                             f'save "{dta}", replace'])], "mkunits")
        if r.rc != 0:
            print(f"  (could not write {dta.name}: {r.err.strip()[:200]})")
    return csv, dta


# ---------------------------------------------------------------- sections

def startup_time(reps):
    """(wall, cpu) medians of an empty did script, and its peak RSS."""
    walls, cpus, rss = [], [], []
    path = did_script("empty", [""])
    for i in range(max(reps, 5)):
        r = run([DID, path], f"empty.{i}")
        if r.rc != 0:
            raise SystemExit(f"did fails on an empty script (rc {r.rc}): {r.err[:500]}")
        walls.append(r.wall)
        cpus.append(r.cpu or 0.0)
        rss.append(r.rss)
    s, c = median(walls), median(cpus)
    print(f"did start-up (empty script): {s * 1000:.1f} ms wall, {c * 1000:.0f} ms CPU, "
          f"{median(rss):.0f} MB peak RSS (median of {len(walls)}; subtracted from did times)",
          flush=True)
    return (s, c), median(rss)


def bench_csv(sizes, reps, startup):
    print("\n[1] CSV load", flush=True)
    for n in sizes:
        f = panel(n)
        subprocess.run(["cat", str(f)], stdout=subprocess.DEVNULL)  # page cache warm for all
        d = did_task([f'import delimited using "{f}", clear', 'display "@@T load"'],
                     f"csv{n}", reps, startup)
        pl_t, pl_rss, _ = py_task(["polars_csv", f], f"polars{n}", reps)
        pd_t, pd_rss, _ = py_task(["pandas_csv", f], f"pandas{n}", reps)
        dv = d["failure"] or d["net"]
        if not d["failure"]:
            LOAD_CPU[n] = d["cpu"]
        record("csv", "import delimited", label(n), dv, d["rss"], "polars", pl_t["load"], pl_rss,
               d["cpu"], pl_t["load_cpu"])
        record("csv", "import delimited", label(n), dv, d["rss"], "pandas", pd_t["load"], pd_rss,
               d["cpu"], pd_t["load_cpu"])


def coef_lines():
    return [f'display "@@C {v} " %21.0g _b[{v}] " " %21.0g _se[{v}]' for v in XVARS]


def parse_coefs(out):
    coefs = {}
    for ln in out:
        m = re.match(r"@@C (\S+)\s+(\S+)\s+(\S+)", ln)
        if m:
            coefs[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return coefs


def bench_reghdfe(sizes, reps, startup):
    print("\n[2] reghdfe y x1-x5, absorb(unit year fe3) vce(cluster unit)", flush=True)
    for n in sizes:
        f = panel(n)
        d = did_task([f'import delimited using "{f}", clear', 'display "@@T load"',
                      "reghdfe y x1 x2 x3 x4 x5, absorb(unit year fe3) vce(cluster unit)",
                      'display "@@T fit"'] + coef_lines(), f"reghdfe{n}", reps, startup)
        py_t, py_rss, res = py_task(["pyfixest", f], f"pyfixest{n}", reps)
        if d["failure"]:
            record("reghdfe", "load+fit", label(n), d["failure"], d["rss"], "pyfixest",
                   py_t["load"] + py_t["fit"], py_rss)
            continue
        record("reghdfe", "load+fit", label(n), d["net"], d["rss"], "pyfixest",
               py_t["load"] + py_t["fit"], py_rss, d["cpu"], py_t["load_cpu"] + py_t["fit_cpu"])
        fit_cpu = d["cpu"] - LOAD_CPU[n] if n in LOAD_CPU and d["cpu"] is not None else None
        record("reghdfe", "fit only (markers)", label(n), d["steps"].get("fit"), None, "pyfixest",
               py_t["fit"], None, fit_cpu, py_t["fit_cpu"])
        coefs = parse_coefs(d["last"].out)
        if len(coefs) == len(XVARS):
            rb = max(abs(coefs[v][0] - res["coef"][v]) / abs(res["coef"][v]) for v in XVARS
                     if res["coef"][v] != 0)
            ab = max(abs(coefs[v][0] - res["coef"][v]) for v in XVARS)
            rs = max(abs(coefs[v][1] - res["se"][v]) / abs(res["se"][v]) for v in XVARS)
            verdict = "agree" if rb < 1e-6 else "DIFFER beyond 1e-6"
            print(f"  coefficients vs pyfixest: max rel diff {rb:.2e} (max abs {ab:.2e}), "
                  f"SE max rel diff {rs:.2e} -> {verdict}; did x1 = {coefs['x1'][0]:.11f}, "
                  f"pyfixest x1 = {res['coef']['x1']:.11f}", flush=True)
        else:
            print("  (could not read did's coefficients from its output)", flush=True)


MANAGE = [
    ("gen", "gen double z = x1 * 2 + x2"),
    ("egen", "bysort unit: egen m = mean(x1)"),
    ("collapse", "collapse (mean) x1 x2, by(unit)"),
    ("merge", 'merge m:1 unit using "{dta}"'),
]


def bench_manage(n, reps, startup):
    print(f"\n[3] data management, {label(n)} rows (one process per command; step = marker time)",
          flush=True)
    f = panel(n)
    ucsv, udta = unit_file(n)
    for op, cmd in MANAGE:
        d = did_task([f'import delimited using "{f}", clear', 'display "@@T load"',
                      cmd.format(dta=udta), f'display "@@T {op}"'], f"manage_{op}{n}", reps, startup)
        p_t, p_rss, _ = py_task(["pandas_manage", f, ucsv, op], f"pmanage_{op}{n}", reps)
        dv = d["failure"] or d["steps"].get(op)
        op_cpu = None
        if not d["failure"] and n in LOAD_CPU and d["cpu"] is not None:
            op_cpu = d["cpu"] - LOAD_CPU[n]  # the op's CPU, net of start-up and the load
            if op_cpu < 0.02:
                op_cpu = None  # below the noise of the subtraction
        record("manage", cmd.split(",")[0].replace(' using "{dta}"', " using units")[:28],
               label(n), dv, d["rss"], "pandas", p_t[op], p_rss, op_cpu, p_t[op + "_cpu"])


def bench_psm(n, reps, startup):
    print(f"\n[4] PSM: logit treat x1-x5 + psmatch2 1-NN, {label(n)} rows", flush=True)
    f = psm_data(n)
    d = did_task([f'import delimited using "{f}", clear', 'display "@@T load"',
                  "logit treat x1 x2 x3 x4 x5", 'display "@@T logit"',
                  "predict double ps, pr",
                  "psmatch2 treat, outcome(y) pscore(ps) neighbor(1)", 'display "@@T match"',
                  'display "@@A " %21.0g r(att)'], f"psm{n}", reps, startup)
    p_t, p_rss, res = py_task(["psm", f], f"psm_py{n}", reps)
    steps = d["steps"] if not d["failure"] else d["partial"]
    logit = steps.get("logit", d["failure"] or None)
    match = steps.get("match", d["failure"] or None)
    record("psm", "logit", label(n), logit, d["rss"], "statsm.", p_t["logit"], p_rss)
    record("psm", "predict+psmatch2 1-NN", label(n), match, None, "sklearn", p_t["match"], None)
    if not isinstance(logit, str) and not isinstance(match, str):
        record("psm", "load+logit+psmatch2", label(n), d["net"], d["rss"], "py",
               p_t["load"] + p_t["logit"] + p_t["match"], p_rss, d["cpu"],
               p_t["load_cpu"] + p_t["logit_cpu"] + p_t["match_cpu"])
    att = [ln for ln in d["last"].out if ln.startswith("@@A ")]
    if att:
        a = float(att[-1].split()[1])
        print(f"  ATT did {a:.6f} vs python {res['att']:.6f} (rel diff "
              f"{abs(a - res['att']) / abs(res['att']):.2e})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1M / 100k sizes only")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="csv,reghdfe,manage,psm")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if not DID.exists():
        raise SystemExit(f"missing {DID} (scripts/bench builds it)")
    DATA.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    big = [1_000_000] if a.quick else [1_000_000, 10_000_000]
    psm_sizes = [100_000] if a.quick else [100_000, 1_000_000]
    t0 = time.time()
    load = os.getloadavg()[0]
    print(f"bench: {'quick' if a.quick else 'full'}, {a.reps} repetitions, load average "
          f"{load:.1f} on {os.cpu_count()} cores (noisy when high)", flush=True)
    startup, _ = startup_time(a.reps)
    if "csv" in only:
        bench_csv(big, a.reps, startup)
    if "reghdfe" in only:
        bench_reghdfe(big, a.reps, startup)
    if "manage" in only:
        bench_manage(big[-1], a.reps, startup)
    if "psm" in only:
        for n in psm_sizes:
            bench_psm(n, a.reps, startup)
    print_table()
    print(f"did start-up {startup[0] * 1000:.1f} ms; load average now {os.getloadavg()[0]:.1f}; "
          f"total {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
