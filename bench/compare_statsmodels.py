#!/usr/bin/env python3
"""Independent reference check of sirr's fairness model against statsmodels MixedLM.

For each data set (seeded `sirr demo-data`, no calibration visits):

1. `sirr score` writes the JSON report (timed as a whole command, median of --repeat runs:
   the time includes reading, parsing and checking the JSON Lines, scoring, the fit, the nested
   team and branch x period fits and writing the report).
2. Visit scores are computed here in Python (bench/pandas_raw.py, SPEC §4 rules) and checked to
   equal the report's `visits[].score`, matched by id.
3. statsmodels MixedLM is fitted to the same visit scores with crossed random effects: all
   observations in one group, no group intercept, one variance component per factor (branch,
   shopper, scenario, weekday = local ISO weekday, hour band = local hour <12 / 12-13 / 14-16 /
   >=17, checklist version = key@version, period = local YYYY-MM), REML. Factors with a single
   level are left out (sirr leaves them out too). Only `fit()` is timed. The optimiser is L-BFGS
   (statsmodels' default BFGS stops short on these flat likelihoods); Powell is tried when
   L-BFGS reports no convergence.
4. Fair branch scores (mu + u_branch) and shopper severities (u_shopper) of both are compared
   with each other and with the generator's truth file; variance components (SDs) are listed
   side by side.

Prints Markdown tables. Usage (from the workspace root, after `cargo build --release`):

  python3 bench/compare_statsmodels.py                      # the default set of runs
  python3 bench/compare_statsmodels.py --seeds 1 --no-bank  # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pandas_raw  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ADDITIVE = [ROOT / "bench/checklists/additive-visit-v1.json",
            ROOT / "bench/checklists/additive-visit-v2.json"]
BANK = [ROOT / "examples/checklists/bank-branch-visit.json"]
FACTORS = ["branch", "shopper", "scenario", "weekday", "hour_band", "version", "period"]
# sirr's names in report.model.components
SIRR_NAMES = {"branch": "branch", "shopper": "shopper", "scenario": "scenario",
              "weekday": "weekday", "hour_band": "hour band", "version": "checklist version",
              "period": "period"}


def run(cmd):
    subprocess.run([str(c) for c in cmd], check=True, stdout=subprocess.DEVNULL)


def factors_of(df: pd.DataFrame) -> pd.DataFrame:
    """The model's factor levels, from the local time written in visited_at (its own offset)."""
    va = df["visited_at"].astype(str)
    out = pd.DataFrame({"branch": df["branch"], "shopper": df["shopper"]})
    out["scenario"] = df["scenario"].fillna("") if "scenario" in df else ""
    out["weekday"] = pd.to_datetime(va.str[:10]).dt.isocalendar().day.astype(int).astype(str)
    hour = va.str[11:13].astype(int)
    out["hour_band"] = np.select([hour < 12, hour < 14, hour < 17],
                                 ["morning", "midday", "afternoon"], "evening")
    out["version"] = df["checklist"] + "@" + df["checklist_version"].astype(str)
    out["period"] = va.str[:7]
    return out


def fit_statsmodels(data: pd.DataFrame, factors):
    from statsmodels.regression.mixed_linear_model import MixedLM

    vc = {f: f"0 + C({f})" for f in factors}
    model = MixedLM.from_formula("y ~ 1", data=data, groups=np.ones(len(data)),
                                 re_formula="0", vc_formula=vc)
    attempts = []
    result = None
    for method in ("lbfgs", "powell"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            r = model.fit(reml=True, method=[method], maxiter=20000)
            dt = time.perf_counter() - t0
        attempts.append((method, dt, bool(r.converged), float(r.llf)))
        if result is None or r.llf > result.llf + 1e-9:
            result = r
        if r.converged:
            break
    mu = float(result.fe_params.iloc[0])
    re = next(iter(result.random_effects.values()))
    effects = {f: {} for f in factors}
    for name, value in re.items():
        # names look like "branch[C(branch)[JED-003]]"
        f, rest = name.split("[", 1)
        level = rest[len(f"C({f})["):-2]
        effects[f][level] = float(value)
    sds = {f: float(np.sqrt(max(v, 0.0))) for f, v in zip(model.exog_vc.names, result.vcomp)}
    return {"mu": mu, "effects": effects, "sds": sds, "sigma": float(np.sqrt(result.scale)),
            "converged": bool(result.converged), "attempts": attempts,
            "fit_s": sum(a[1] for a in attempts), "llf": float(result.llf)}


def compare(a: dict, b: dict):
    keys = sorted(set(a) & set(b))
    x, y = np.array([a[k] for k in keys]), np.array([b[k] for k in keys])
    d = x - y
    return {"n": len(keys), "corr": float(np.corrcoef(x, y)[0, 1]),
            "max": float(np.max(np.abs(d))), "rms": float(np.sqrt(np.mean(d * d)))}


def rmse(est: dict, truth: dict):
    keys = [k for k in est if k in truth]
    return float(np.sqrt(np.mean([(est[k] - truth[k]) ** 2 for k in keys])))


def one(name, checklists, seed, args, work: Path):
    visits, truth_path, report_path = (work / f"{name}-{seed}.jsonl", work / f"{name}-{seed}-truth.json",
                                       work / f"{name}-{seed}-report.json")
    demo = [args.sirr, "demo-data", "--branches", args.branches, "--shoppers", args.shoppers,
            "--regions", args.regions, "--max-visits", args.max_visits, "--calibration-share", 0,
            "--seed", seed, "--out", visits, "--truth", truth_path]
    for c in checklists:
        demo += ["--checklist", c]
    run(demo)
    score = [args.sirr, "score", "--visits", visits, "--out", report_path]
    for c in checklists:
        score += ["--checklist", c]
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        run(score)
        times.append(time.perf_counter() - t0)
    report = json.loads(report_path.read_text())
    truth = json.loads(truth_path.read_text())

    # Visit scores, computed here and checked against the report.
    df = pd.read_json(visits, lines=True, dtype=False)
    scored = pandas_raw.score_chunk(df, pandas_raw.load_checklists(checklists))
    theirs = pd.Series({v["id"]: np.nan if v["score"] is None else v["score"]
                        for v in report["visits"]}, dtype=float)
    mine = scored.set_index("id")["score"].reindex(theirs.index)
    worst = float(np.nanmax(np.abs(mine - theirs)))
    assert (mine.isna() == theirs.isna()).all() and worst <= 1e-12, f"visit scores differ: {worst}"

    data = factors_of(df)
    data["y"] = scored["score"].to_numpy()
    data = data.dropna(subset=["y"]).reset_index(drop=True)
    levels = {f: data[f].nunique() for f in FACTORS}
    used = [f for f in FACTORS if levels[f] >= 2]
    sm = fit_statsmodels(data, used)

    sirr_fair = {b["key"]: b["fair_score"] for b in report["branches"] if b["fair_score"] is not None}
    sirr_raw = {b["key"]: b["raw_score"] for b in report["branches"] if b["raw_score"] is not None}
    sirr_sev = {s["key"]: s["severity"] for s in report["shoppers"] if s["severity"] is not None}
    sm_fair = {k: sm["mu"] + sm["effects"]["branch"].get(k, 0.0) for k in data["branch"].unique()}
    sm_sev = {k: sm["effects"]["shopper"].get(k, 0.0) for k in data["shopper"].unique()}
    model = report["model"]
    return {
        "name": f"{name} seed {seed}", "visits": len(data), "branches": len(sirr_fair),
        "shoppers": len(sm_sev), "levels": levels,
        "fair": compare(sirr_fair, sm_fair), "sev": compare(sirr_sev, sm_sev),
        "rmse_fair_sirr": rmse(sirr_fair, truth["branches"]),
        "rmse_fair_sm": rmse(sm_fair, truth["branches"]),
        "rmse_raw": rmse(sirr_raw, truth["branches"]),
        "rmse_sev_sirr": rmse(sirr_sev, truth["shoppers"]),
        "rmse_sev_sm": rmse(sm_sev, truth["shoppers"]),
        "mu": (model["mean"], sm["mu"]),
        "sds": {f: (model["components"][SIRR_NAMES[f]], sm["sds"].get(f)) for f in FACTORS},
        "sigma": (model["sigma"], sm["sigma"]),
        "sirr_converged": model["converged"], "sm": sm,
        "sirr_s": statistics.median(times), "sirr_times": times,
    }


def markdown(results):
    out = []
    out.append("| data set | visits | branches / shoppers | fair: corr | max abs diff | RMS diff "
               "| severity: corr | max abs diff | RMS diff |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        f, s = r["fair"], r["sev"]
        out.append(f"| {r['name']} | {r['visits']} | {r['branches']} / {r['shoppers']} "
                   f"| {f['corr']:.5f} | {f['max']:.4f} | {f['rms']:.4f} "
                   f"| {s['corr']:.5f} | {s['max']:.4f} | {s['rms']:.4f} |")
    out.append("")
    out.append("| data set | RMSE vs truth: raw mean | fair, sirr | fair, statsmodels "
               "| severity, sirr | severity, statsmodels | sirr score (whole command) "
               "| statsmodels fit() | converged sirr / sm |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        sm = r["sm"]
        how = ", ".join(f"{m} {'ok' if c else 'no'}" for m, _, c, _ in sm["attempts"])
        out.append(f"| {r['name']} | {r['rmse_raw']:.4f} | {r['rmse_fair_sirr']:.4f} "
                   f"| {r['rmse_fair_sm']:.4f} | {r['rmse_sev_sirr']:.4f} | {r['rmse_sev_sm']:.4f} "
                   f"| {r['sirr_s'] * 1000:.0f} ms | {sm['fit_s']:.2f} s "
                   f"| {'yes' if r['sirr_converged'] else 'no'} / {how} |")
    out.append("")
    head = "| SD (score scale) | " + " | ".join(f"{r['name']}: sirr / sm" for r in results) + " |"
    out.append(head)
    out.append("|---|" + "---|" * len(results))
    rows = [("mean mu", lambda r: r["mu"])] + [
        (f, (lambda f: lambda r: r["sds"][f])(f)) for f in FACTORS] + [("residual sigma", lambda r: r["sigma"])]
    for label, get in rows:
        cells = []
        for r in results:
            a, b = get(r)
            cells.append(f"{a:.4f} / {'—' if b is None else f'{b:.4f}'}")
        out.append(f"| {label.replace('_', ' ')} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sirr", default=str(ROOT / "target/release/sirr"))
    ap.add_argument("--work", default="/tmp/sirr-bench/statsmodels")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--branches", type=int, default=80)
    ap.add_argument("--shoppers", type=int, default=25)
    ap.add_argument("--regions", type=int, default=6)
    ap.add_argument("--max-visits", type=int, default=24)
    ap.add_argument("--repeat", type=int, default=3, help="sirr score runs to take the median of")
    ap.add_argument("--no-bank", action="store_true", help="skip the bank example checklist run")
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for seed in args.seeds:
        results.append(one("additive", ADDITIVE, seed, args, work))
        print(f"done additive seed {seed}", file=sys.stderr)
    if not args.no_bank:
        results.append(one("bank", BANK, args.seeds[0], args, work))
        print(f"done bank seed {args.seeds[0]}", file=sys.stderr)
    print(f"demo-data --branches {args.branches} --shoppers {args.shoppers} --regions {args.regions} "
          f"--max-visits {args.max_visits} --calibration-share 0; factor levels of the first set: "
          f"{results[0]['levels']}\n")
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
