#!/usr/bin/env python3
"""Raw compliance per branch with pandas: the baseline that `sirr score` is compared with.

A straightforward, vectorised pandas implementation of the SPEC §4 scoring rules:

* item scores: yes_no (yes = 1, no = 0), scale ((v - min) / (max - min)), choice (the option's
  score; an unscored option is N/A), multi_choice (mean of the selected options that have a
  score; none -> N/A), number / duration (first band in ascending `max` with value <= max, a
  last band without `max` catches the rest); "na", absent answers and unscored types are N/A.
  Answers to hidden items are never present in valid files, so `show_if` need not be evaluated.
* section score: weighted mean over its non-N/A items, summed in checklist order;
* visit score: weighted mean over non-N/A sections; a critical item scoring 0 zeroes the visit
  (`"critical_rule": "zero"`) or caps it (`{"cap": c}`);
* branch raw score: mean visit score, where visits sharing a `calibration` value count once, as
  the mean of their scores (SPEC §9.13).

The input is read with `pandas.read_json(lines=True, chunksize=...)`; only (id, branch,
calibration, score) is kept per visit, so memory stays bounded.

Usage:
  python3 bench/pandas_raw.py --checklist examples/checklists/*.json --visits visits.jsonl \
      [--out branches.json] [--check report.json] [--chunksize 100000]

`--check` compares the branch raw scores with a `sirr score` JSON report (branches[].raw_score)
and exits 1 unless every branch agrees within 1e-9.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd


def load_checklists(paths):
    """{(key, version): compiled checklist} from checklist JSON files."""
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        rule = doc.get("critical_rule", "zero")
        cap = None if rule == "zero" else float(rule["cap"])
        sections = []
        for s in doc["sections"]:
            items = []
            for it in s["items"]:
                kind = it["type"]
                spec = {
                    "key": it["key"],
                    "type": kind,
                    "weight": float(it.get("weight", 1)),
                    "critical": bool(it.get("critical", False)),
                }
                if kind == "scale":
                    spec["min"], spec["max"] = it["min"], it["max"]
                elif kind in ("choice", "multi_choice"):
                    spec["scores"] = {
                        o["key"]: float(o["score"]) for o in it["options"] if o.get("score") is not None
                    }
                elif kind in ("number", "duration"):
                    if not it.get("bands"):
                        continue  # unscored
                    spec["bands"] = [(b.get("max"), float(b["score"])) for b in it["bands"]]
                elif kind != "yes_no":
                    continue  # text, photo, note, timestamp: always N/A
                items.append(spec)
            sections.append((float(s.get("weight", 1)), items))
        out[(doc["key"], int(doc["version"]))] = {"sections": sections, "cap": cap}
    return out


def item_scores(col: pd.Series, spec) -> np.ndarray:
    """Item scores of one answer column (NaN = N/A)."""
    kind = spec["type"]
    if kind == "yes_no":
        return col.map({"yes": 1.0, "no": 0.0}).to_numpy(dtype=float, na_value=np.nan)
    if kind == "choice":
        return col.map(spec["scores"]).to_numpy(dtype=float, na_value=np.nan)
    if kind == "multi_choice":
        scores = spec["scores"]

        def mean(keys):
            if not isinstance(keys, list):
                return np.nan
            total, n = 0.0, 0
            for k in keys:
                s = scores.get(k)
                if s is not None:
                    total += s
                    n += 1
            return total / n if n else np.nan

        return col.map(mean).to_numpy(dtype=float, na_value=np.nan)
    v = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if kind == "scale":
        return (v - spec["min"]) / float(spec["max"] - spec["min"])
    # number / duration with bands
    bands = spec["bands"]
    conds = [v <= m for m, _ in bands if m is not None]
    choices = [s for m, s in bands if m is not None]
    default = bands[-1][1] if bands[-1][0] is None else np.nan
    out = np.select(conds, choices, default=default)
    out[np.isnan(v)] = np.nan
    return out


def score_visits(answers: pd.DataFrame, checklist) -> np.ndarray:
    """Visit scores (NaN = N/A) for the rows of `answers` (one column per item key)."""
    n = len(answers)
    v_num, v_den = np.zeros(n), np.zeros(n)
    critical = np.zeros(n, dtype=bool)
    for s_weight, items in checklist["sections"]:
        num, den = np.zeros(n), np.zeros(n)
        for spec in items:
            if spec["key"] not in answers.columns:
                continue
            s = item_scores(answers[spec["key"]], spec)
            ok = ~np.isnan(s)
            num = num + np.where(ok, spec["weight"] * s, 0.0)
            den = den + np.where(ok, spec["weight"], 0.0)
            if spec["critical"]:
                critical |= s == 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            sec = np.where(den > 0, num / den, np.nan)
        ok = ~np.isnan(sec)
        v_num = v_num + np.where(ok, s_weight * sec, 0.0)
        v_den = v_den + np.where(ok, s_weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(v_den > 0, v_num / v_den, np.nan)
    fail = critical & ~np.isnan(score)
    if checklist["cap"] is None:
        score[fail] = 0.0
    else:
        score[fail] = np.minimum(score[fail], checklist["cap"])
    return score


def score_chunk(chunk: pd.DataFrame, checklists) -> pd.DataFrame:
    """(id, branch, calibration, score) for one chunk of visits."""
    scores = np.full(len(chunk), np.nan)
    versions = chunk["checklist_version"].astype(int)
    for (key, version), idx in chunk.groupby([chunk["checklist"], versions]).indices.items():
        answers = pd.DataFrame.from_records(chunk["answers"].iloc[idx].tolist())
        scores[idx] = score_visits(answers, checklists[(key, int(version))])
    cal = chunk["calibration"] if "calibration" in chunk.columns else pd.Series(None, index=chunk.index)
    return pd.DataFrame(
        {"id": chunk["id"].to_numpy(), "branch": chunk["branch"].to_numpy(),
         "calibration": cal.to_numpy(dtype=object), "score": scores}
    )


def read_scores(visits_path, checklists, chunksize=100_000) -> pd.DataFrame:
    parts = []
    reader = pd.read_json(visits_path, lines=True, chunksize=chunksize, dtype=False)
    with reader:
        for chunk in reader:
            parts.append(score_chunk(chunk, checklists))
    return pd.concat(parts, ignore_index=True)


def branch_raw(scores: pd.DataFrame) -> pd.Series:
    """Mean unit score per branch; a calibration group is one unit (mean of its scores)."""
    scored = scores.dropna(subset=["score"])
    plain = scored[scored["calibration"].isna()][["branch", "score"]]
    cal = scored[scored["calibration"].notna()]
    groups = cal.groupby("calibration", sort=False).agg(branch=("branch", "first"),
                                                       score=("score", "mean"))
    units = pd.concat([plain, groups.reset_index(drop=True)], ignore_index=True)
    return units.groupby("branch")["score"].mean()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checklist", nargs="+", required=True)
    ap.add_argument("--visits", required=True)
    ap.add_argument("--chunksize", type=int, default=100_000)
    ap.add_argument("--out", help="write {branch: raw_score} JSON here")
    ap.add_argument("--check", help="sirr score JSON report to compare raw scores with")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    checklists = load_checklists(args.checklist)
    scores = read_scores(args.visits, checklists, args.chunksize)
    raw = branch_raw(scores)
    t1 = time.perf_counter()
    print(f"pandas_raw: {len(scores)} visits, {raw.size} branches, {t1 - t0:.2f} s", file=sys.stderr)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({k: float(v) for k, v in raw.items()}, f, indent=1)
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            report = json.load(f)
        sirr = {b["key"]: b["raw_score"] for b in report["branches"] if b["raw_score"] is not None}
        if set(sirr) != set(raw.index):
            print(f"branch sets differ: sirr {len(sirr)}, pandas {raw.size}", file=sys.stderr)
            return 1
        diff = max(abs(sirr[k] - raw[k]) for k in sirr)
        ok = diff <= 1e-9
        print(f"check against {args.check}: {len(sirr)} branches, max |pandas - sirr| = {diff:.3g}"
              f" -> {'EQUAL within 1e-9' if ok else 'MISMATCH'}", file=sys.stderr)
        # Visit scores too, matched by id (N/A = null on both sides).
        theirs = pd.Series({v["id"]: (np.nan if v["score"] is None else v["score"])
                            for v in report["visits"]}, dtype=float)
        mine = scores.set_index("id")["score"].reindex(theirs.index)
        same_na = (mine.isna() == theirs.isna()).all()
        vdiff = float(np.nanmax(np.abs(mine - theirs))) if theirs.notna().any() else 0.0
        exact = int(((mine == theirs) | (mine.isna() & theirs.isna())).sum())
        print(f"  visits: {len(theirs)}, bit-identical {exact}, max |diff| {vdiff:.3g}, "
              f"N/A pattern {'same' if same_na else 'DIFFERENT'}", file=sys.stderr)
        ok = ok and same_na and vdiff <= 1e-12
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
