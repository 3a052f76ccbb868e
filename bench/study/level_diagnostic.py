#!/usr/bin/env python3
"""Where a design's level shift (mean fair score minus mean truth over branches) comes from.

Written for the confounded design of the fairness study (issue 15, docs/scoring.md §7.1). Uses
the generator's own parameters (bench/study/generate.py), so these are properties of the data,
not of sirr. All means are over branches.

  truth      the SPEC §5 / §10.40 truth: expected visit score, shoppers each counted once, the
             data set's joint mix of conditions (Monte Carlo, as generate.py's truth)
  exp. raw   the expected raw mean: each branch's own visits (its shoppers, its conditions),
             expected over the encounter and answer noise - the level the data carry
  systematic exp. raw - truth: what the confounding of branch quality with shoppers and
             conditions does to the level when scores are a non-linear (logit-scale) function
             of behaviour; split into the shoppers' part (own shoppers, data-set conditions)
             and the conditions' part (all shoppers, own conditions)
  noise      realised raw mean - exp. raw: the sampling error of this data set's level
  unweighted truth with conditions at the unweighted mean of their levels - truth: what the
             study's REML column's reading of "average conditions" shifts the target by
  visit-w.   truth with shoppers weighted by their visits - truth: the "average visit's shopper"
  REML       with --reml: statsmodels MixedLM (REML) as in fairness_study.py, its bias read as
             the study does (mu + region + branch: conditions at the unweighted mean of their
             levels) and at the SPEC reference (plus the data set's mix of conditions and the
             mean over shoppers each counted once)

Usage: level_diagnostic.py [--reml] [--work /tmp/sirr-study] DESIGN SEED [SEED ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402


def levels(design, seed, reps=400, draws=4000):
    p = g.Programme(design, seed)
    v = p.visits
    rng = np.random.default_rng([seed, 4242])
    n, nb, ns = len(v["branch"]), p.nb, p.ns

    def per_branch(score):
        return float(np.mean(np.bincount(v["branch"], score, nb) / np.bincount(v["branch"], None, nb)))

    def expected_visits(shopper, cond):
        acc = np.zeros(n)
        batch = 50
        for _ in range(reps // batch):
            idx = np.tile(np.arange(n), batch)
            sc, bd, wd, mo = cond(idx)
            eta = p.eta(v["branch"][idx], v["team"][idx], shopper(idx), sc, bd, wd, mo, rng)
            acc += g.score(g.answer(eta, rng)).reshape(batch, n).sum(axis=0)
        return per_branch(acc / (reps // batch * batch))

    own_cond = lambda idx: (v["scenario"][idx], v["band"][idx], v["weekday"][idx], v["month"][idx])  # noqa: E731

    def data_mix(m):
        pick = rng.integers(0, n, len(m) if not np.isscalar(m) else m)
        return v["scenario"][pick], v["band"][pick], v["weekday"][pick], v["month"][pick]

    def unweighted(m):
        return (rng.integers(0, 3, m), rng.integers(0, 4, m), rng.integers(0, 7, m),
                rng.integers(0, 6, m))

    own_shopper = lambda idx: v["shopper"][idx]  # noqa: E731
    any_shopper = lambda idx: rng.integers(0, ns, len(idx))  # noqa: E731

    def truth(shopper, cond):
        b = np.repeat(np.arange(nb), draws)
        t = rng.integers(0, 2, len(b))
        sc, bd, wd, mo = cond(len(b))
        eta = p.eta(b, t, shopper(len(b)), sc, bd, wd, mo, rng)
        return float(g.score(g.answer(eta, rng)).mean())

    each_once = lambda m: rng.integers(0, ns, m)  # noqa: E731
    by_visits = lambda m: v["shopper"][rng.integers(0, n, m)]  # noqa: E731
    t = truth(each_once, data_mix)
    return {
        "truth": t,
        "expected_raw": expected_visits(own_shopper, own_cond),
        "shoppers_only": expected_visits(own_shopper, lambda idx: data_mix(idx)),
        "conditions_only": expected_visits(any_shopper, own_cond),
        "unweighted": truth(each_once, unweighted) - t,
        "visit_weighted": truth(by_visits, data_mix) - t,
    }


def reml(design, seed, work):
    import pandas as pd
    from statsmodels.regression.mixed_linear_model import MixedLM

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from fairness_study import hour_band

    rows = [json.loads(line) for line in (work / "visits.jsonl").read_text().splitlines()]
    truth = json.loads((work / "truth.json").read_text())
    df = pd.DataFrame({
        "branch": [r["branch"] for r in rows], "region": [r["region"] for r in rows],
        "shopper": [r["shopper"] for r in rows], "scenario": [r["scenario"] for r in rows],
        "weekday": pd.to_datetime([r["visited_at"][:10] for r in rows]).day_of_week.astype(str),
        "hour_band": hour_band(np.array([int(r["visited_at"][11:13]) for r in rows])),
        "month": [r["visited_at"][:7] for r in rows]})
    df["y"] = [truth["visit_scores"][r["id"]] for r in rows]
    factors = ["branch", "shopper", "region", "scenario", "weekday", "hour_band", "month"]
    model = MixedLM.from_formula("y ~ 1", data=df, groups=np.ones(len(df)), re_formula="0",
                                 vc_formula={f: f"0 + C({f})" for f in factors})
    best = None
    for method in ("lbfgs", "powell"):  # as fairness_study.fit_reml
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = model.fit(reml=True, method=[method], maxiter=5000)
        if best is None or r.llf > best.llf + 1e-9:
            best = r
        if r.converged:
            break
    mu = float(best.fe_params.iloc[0])
    eff = {f: {} for f in factors}
    for name, value in next(iter(best.random_effects.values())).items():
        f, rest = name.split("[", 1)
        eff[f][rest[len(f"C({f})["):-2]] = float(value)
    conditions = ["scenario", "weekday", "hour_band", "month"]
    mix = sum(float(np.mean([eff[f].get(str(k), 0.0) for k in df[f]])) for f in conditions)
    shoppers = float(np.mean(list(eff["shopper"].values())))
    tb = truth["branches"]
    plain = {b: mu + eff["region"].get(rg, 0.0) + eff["branch"].get(b, 0.0)
             for b, rg in df.groupby("branch")["region"].first().items()}
    raw = df.groupby("branch")["y"].mean()
    return {
        "realised_raw": float(np.mean([raw[b] - tb[b] for b in raw.index])),
        "reml_study": float(np.mean([plain[b] - tb[b] for b in plain])),
        "reml_spec": float(np.mean([plain[b] + mix + shoppers - tb[b] for b in plain])),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("design", choices=g.SMALL)
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--reml", action="store_true")
    ap.add_argument("--work", default="/tmp/sirr-study")
    args = ap.parse_args()
    rows = []
    for seed in args.seeds:
        t0 = time.perf_counter()
        lv = levels(args.design, seed)
        work = Path(args.work) / f"{args.design}-{seed}"
        if not (work / "truth.json").exists():
            g.Programme(args.design, seed).write(work, 8000)
        row = {"seed": seed, "systematic": lv["expected_raw"] - lv["truth"],
               "shoppers_part": lv["shoppers_only"] - lv["truth"],
               "conditions_part": lv["conditions_only"] - lv["truth"],
               "unweighted": lv["unweighted"], "visit_weighted": lv["visit_weighted"]}
        truth = json.loads((work / "truth.json").read_text())
        if args.reml:
            row.update(reml(args.design, seed, work))
        else:
            rs = [json.loads(line) for line in (work / "visits.jsonl").read_text().splitlines()]
            by = {}
            for r in rs:
                by.setdefault(r["branch"], []).append(truth["visit_scores"][r["id"]])
            row["realised_raw"] = float(np.mean([np.mean(by[b]) - truth["branches"][b] for b in by]))
        row["noise"] = row["realised_raw"] - row["systematic"]
        rows.append(row)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()})
              + f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    keys = [k for k in rows[0] if k != "seed"]
    print("mean over seeds:", json.dumps({k: round(float(np.mean([r[k] for r in rows])), 4)
                                          for k in keys}))


if __name__ == "__main__":
    main()
