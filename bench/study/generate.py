#!/usr/bin/env python3
"""Synthetic mystery-shopping programmes with known truth, for the fairness study.

Independent of sirr: its own behaviour model, its own SPEC §4 scorer (for bench/study/checklist.json
only) and its own truth by Monte Carlo. Nothing here calls or imports sirr.

Behaviour model (logit scale). A visit of branch b, team t, by shopper s, in scenario c, on weekday
d, in hour band h and month m has a latent compliance

    eta = ALPHA + region[r(b)] + branch[b] + team[t] + severity[s] + scenario[c] + weekday[d]
          + hour[h] + month[m] + encounter noise N(0, 0.5²)

and every item is answered from eta (pass probabilities sigmoid(eta + item offset), see answer()):
yes/no items, a banded wait time, a critical ID check ("critical_rule": "zero"), a choice that is
N/A 15% of the time, a 1-5 scale shown only when the card was offered, an N/A-able sign check.
Shopper severity acts on the latent scale, so its effect on the score depends on the branch and
the conditions, and the critical rule makes the score non-additive: the fairness model's additive
assumption is only approximately true, as in real data.

Truth (SPEC §5, §10.40): a branch's true score is its expected visit score under the SPEC §4 rules,
averaged over the shoppers with each shopper counted once, over its teams equally, and over the
data set's mix of conditions (scenario, weekday, hour band, month drawn jointly from the data set's
own visits). A team's is the same with the team fixed. A shopper's true severity is the shopper's
expected visit score over all branches (equally) and the data set's mix of conditions, minus the
mean of that over shoppers. Computed by Monte Carlo (independent draws per branch and team, common
random numbers across shoppers).

Usage: generate.py DESIGN SEED OUTDIR   (writes visits.jsonl and truth.json)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ALPHA = 0.9
SCENARIOS = ["card-enquiry", "complaint", "account-opening"]
SCENARIO_EFFECT = np.array([0.0, -0.45, 0.3])
HOUR_BANDS = [(8, 11), (12, 13), (14, 16), (17, 20)]  # inclusive local hours
HOUR_EFFECT = np.array([0.1, -0.3, 0.05, -0.3])
MONTHS = 6  # 2026-01 .. 2026-06
TEAMS = ["tellers", "service"]

DESIGNS = ["balanced", "confounded", "sparse", "degenerate", "prolific", "large"]
SMALL = ["balanced", "confounded", "sparse", "degenerate", "prolific"]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# ---------------------------------------------------------------- answers and SPEC §4 scoring

def answer(eta, rng):
    """Draws every item's answer code for latent compliance eta (1-d array)."""
    n = len(eta)
    u = lambda: rng.random(n)  # noqa: E731
    a = {}
    a["greeted"] = u() < sigmoid(eta + 0.5)
    p = sigmoid(eta)
    r = u()
    a["wait_minutes"] = np.where(r < p, 3, np.where(r < p + (1 - p) * 0.5, 8, 14))
    a["id_checked"] = u() < sigmoid(eta + 2.5)
    na = u() < 0.15
    r, p = u(), sigmoid(eta)
    offered = np.where(r < p, 0, np.where(r < p + (1 - p) * 0.5, 1, 2))  # proactive/asked/no
    a["offered_card"] = np.where(na, -1, offered)  # -1 = "na"
    a["card_benefits"] = 1 + rng.binomial(4, sigmoid(eta + 0.3))
    a["explained_fees"] = u() < sigmoid(eta - 0.5)
    a["thanked"] = u() < sigmoid(eta + 1.0)
    a["clean"] = u() < sigmoid(eta + 0.8)
    a["signage_na"] = u() < 0.1
    a["signage"] = u() < sigmoid(eta)
    return a


def score(a):
    """Visit scores by the SPEC §4 rules for bench/study/checklist.json (weighted means in
    checklist order over non-N/A items and sections; critical rule "zero")."""
    g = a["greeted"].astype(float)
    wm = np.where(a["wait_minutes"] <= 5, 1.0, np.where(a["wait_minutes"] <= 10, 0.5, 0.0))
    welcome = (2.0 * g + 1.0 * wm) / (2.0 + 1.0)
    oc = a["offered_card"]
    oc_na = oc < 0
    oc_score = np.where(oc == 0, 1.0, np.where(oc == 1, 0.5, 0.0))
    shown = (oc == 0) | (oc == 1)  # show_if offered_card != 'no' (false when N/A)
    cb = (a["card_benefits"] - 1) / 4.0
    # service: id_checked, offered_card, card_benefits, explained_fees, thanked (weights 1)
    num = a["id_checked"].astype(float)
    den = np.ones_like(num)
    num = num + np.where(oc_na, 0.0, oc_score)
    den = den + np.where(oc_na, 0.0, 1.0)
    num = num + np.where(shown, cb, 0.0)
    den = den + np.where(shown, 1.0, 0.0)
    num = num + a["explained_fees"] + a["thanked"]
    den = den + 2.0
    service = num / den
    premises = np.where(a["signage_na"], a["clean"].astype(float),
                        (a["clean"].astype(float) + a["signage"]) / 2.0)
    visit = (2.0 * welcome + 1.0 * service + 1.0 * premises) / (2.0 + 1.0 + 1.0)
    return np.where(a["id_checked"], visit, 0.0)


# ---------------------------------------------------------------- designs

class Programme:
    """Parameters and visit assignment of one design."""

    def __init__(self, design, seed):
        self.design = design
        rng = self.rng = np.random.default_rng([seed, DESIGNS.index(design)])
        big = design == "large"
        nb = {"balanced": 200, "confounded": 200, "sparse": 400, "degenerate": 200,
              "prolific": 200, "large": 5000}[design]
        nr = 10 if big else 8
        ns = {"balanced": 40, "confounded": 48, "sparse": 60, "prolific": 50, "large": 800}.get(design)
        self.nb, self.nr = nb, nr
        self.region_effect = rng.normal(0, 0.3, nr)
        self.branch_region = np.arange(nb) % nr
        self.branch_effect = rng.normal(0, 0.45, nb)
        self.team_effect = rng.normal(0, 0.25, (nb, len(TEAMS)))
        self.weekday_effect = rng.normal(0, 0.1, 7)
        self.month_effect = rng.normal(0, 0.1, MONTHS)
        # visits per branch
        if design == "sparse":
            kind = rng.random(nb)
            visits = np.where(kind < 0.7, rng.integers(1, 4, nb),
                              np.where(kind < 0.9, rng.integers(4, 9, nb), rng.integers(10, 21, nb)))
        elif big:
            visits = rng.integers(120, 281, nb)
        elif design == "degenerate":
            visits = rng.integers(6, 11, nb)
        else:
            visits = rng.integers(6, 13, nb)
        branch = np.repeat(np.arange(nb), visits)
        n = len(branch)
        region = self.branch_region[branch]
        # shoppers, severity and who visits what
        scen_p = np.tile([0.5, 0.2, 0.3], (n, 1))
        peak_share = np.full(n, 0.35)
        if design == "degenerate":
            # Every branch is rated by exactly one shopper. 150 branches have a shopper of their
            # own; the other 50 share 15 shoppers who rate 3-4 branches each.
            owner = np.empty(nb, dtype=int)
            perm = rng.permutation(nb)
            owner[perm[:150]] = np.arange(150)
            owner[perm[150:]] = 150 + np.arange(50) % 15
            ns = 165
            self.severity = rng.normal(0, 0.35, ns)
            shopper = owner[branch]
        elif design == "prolific":
            # A fifth of the shoppers make three quarters of the visits, and they are harsh.
            npro = ns // 5
            self.severity = np.concatenate([rng.normal(-0.45, 0.2, npro),
                                            rng.normal(0.1, 0.3, ns - npro)])
            pro = rng.random(n) < 0.75
            shopper = np.where(pro, rng.integers(0, npro, n), rng.integers(npro, ns, n))
        elif design in ("confounded", "large"):
            # Shoppers live in a region and visit it 85% of the time. Confounded: the best
            # regions have the harsh shoppers, more complaint scenarios and more peak hours.
            home = np.arange(ns) % nr
            rank = np.argsort(np.argsort(self.region_effect)) / (nr - 1)  # 0 worst .. 1 best
            strength = 1.0 if design == "confounded" else 0.4
            self.severity = rng.normal(0, 0.3, ns) - strength * 0.8 * (rank[home] - 0.5)
            local = rng.random(n) < 0.85
            by_home = [np.flatnonzero(home == r) for r in range(nr)]
            pick_local = np.array([by_home[r][rng.integers(0, len(by_home[r]))] for r in region]) \
                if not big else self._pick_local(by_home, region)
            shopper = np.where(local, pick_local, rng.integers(0, ns, n))
            if design == "confounded":
                rk = rank[region]
                scen_p = np.stack([0.55 - 0.3 * rk, 0.1 + 0.4 * rk, 0.35 - 0.1 * rk], axis=1)
                peak_share = 0.2 + 0.5 * rk
        else:  # balanced, sparse: shoppers drawn at random
            self.severity = rng.normal(0, 0.35, ns)
            shopper = rng.integers(0, ns, n)
        self.ns = ns
        scenario = (rng.random(n)[:, None] > np.cumsum(scen_p, axis=1)).sum(axis=1).clip(0, 2)
        peak = rng.random(n) < peak_share
        band = np.where(peak, np.where(rng.random(n) < 0.5, 1, 3),
                        np.where(rng.random(n) < 0.5, 0, 2))
        lo = np.array([b[0] for b in HOUR_BANDS])[band]
        hi = np.array([b[1] for b in HOUR_BANDS])[band]
        hour = lo + (rng.random(n) * (hi - lo + 1)).astype(int)
        day = rng.integers(0, 181, n)  # 2026-01-01 .. 2026-06-30
        dates = np.datetime64("2026-01-01") + day.astype("timedelta64[D]")
        weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
        month = (dates.astype("datetime64[M]").view("int64") - np.datetime64("2026-01", "M").view("int64"))
        team = rng.integers(0, len(TEAMS), n)
        self.visits = dict(branch=branch, team=team, shopper=shopper, scenario=scenario,
                           band=band, hour=hour, minute=rng.integers(0, 60, n), dates=dates,
                           weekday=weekday, month=month)

    def _pick_local(self, by_home, region):
        rng = self.rng
        out = np.empty(len(region), dtype=int)
        for r, members in enumerate(by_home):
            idx = np.flatnonzero(region == r)
            out[idx] = members[rng.integers(0, len(members), len(idx))]
        return out

    def eta(self, branch, team, shopper, scenario, band, weekday, month, rng):
        return (ALPHA + self.region_effect[self.branch_region[branch]] + self.branch_effect[branch]
                + self.team_effect[branch, team] + self.severity[shopper]
                + SCENARIO_EFFECT[scenario] + HOUR_EFFECT[band] + self.weekday_effect[weekday]
                + self.month_effect[month] + rng.normal(0, 0.5, len(branch)))

    # ------------------------------------------------------------ truth by Monte Carlo

    def _expected(self, branch, team, shopper, rng):
        """Mean visit score of draws with the given branch/team/shopper arrays and conditions
        drawn from the data set's own visits (jointly)."""
        v = self.visits
        pick = rng.integers(0, len(v["branch"]), len(branch))
        eta = self.eta(branch, team, shopper, v["scenario"][pick], v["band"][pick],
                       v["weekday"][pick], v["month"][pick], rng)
        return score(answer(eta, rng))

    def truth(self, draws):
        rng = np.random.default_rng([self.rng.integers(1 << 62), 99])
        nb, ns, nt = self.nb, self.ns, len(TEAMS)
        chunk = max(1, 2_000_000 // draws)
        branches = np.empty(nb)
        teams = np.empty((nb, nt))
        for start in range(0, nb, chunk):
            ids = np.arange(start, min(nb, start + chunk))
            b = np.repeat(ids, draws)
            s = rng.integers(0, ns, len(b))
            t = rng.integers(0, nt, len(b))
            branches[ids] = self._expected(b, t, s, rng).reshape(len(ids), draws).mean(axis=1)
            for k in range(nt):
                s = rng.integers(0, ns, len(b))
                teams[ids, k] = self._expected(b, np.full(len(b), k), s, rng) \
                    .reshape(len(ids), draws).mean(axis=1)
        # shoppers: common random numbers (the same branches, teams, conditions, noise and
        # uniforms for every shopper)
        sdraws = max(draws, 4000)
        base = np.random.default_rng([self.rng.integers(1 << 62), 7]).integers(1 << 62)
        means = np.empty(ns)
        for s in range(ns):
            r = np.random.default_rng(base)
            b = r.integers(0, nb, sdraws)
            t = r.integers(0, nt, sdraws)
            means[s] = self._expected(b, t, np.full(sdraws, s), r).mean()
        severity = means - means.mean()
        return branches, teams, severity

    # ------------------------------------------------------------ output

    def write(self, out: Path, draws):
        rng = self.rng
        v = self.visits
        n = len(v["branch"])
        eta = self.eta(v["branch"], v["team"], v["shopper"], v["scenario"], v["band"],
                       v["weekday"], v["month"], rng)
        a = answer(eta, rng)
        y = score(a)
        bkey = [f"B{b:04d}" for b in range(self.nb)]
        rkey = [f"R{r:02d}" for r in range(self.nr)]
        skey = [f"S{s:04d}" for s in range(self.ns)]
        dates = np.datetime_as_string(v["dates"], unit="D")
        yes = lambda x: "yes" if x else "no"  # noqa: E731
        offered = ["proactive", "asked", "no"]
        lines = []
        for i in range(n):
            b = v["branch"][i]
            ans = {"greeted": yes(a["greeted"][i]), "wait_minutes": int(a["wait_minutes"][i]),
                   "id_checked": yes(a["id_checked"][i])}
            oc = a["offered_card"][i]
            ans["offered_card"] = "na" if oc < 0 else offered[oc]
            if oc in (0, 1):
                ans["card_benefits"] = int(a["card_benefits"][i])
            ans["explained_fees"] = yes(a["explained_fees"][i])
            ans["thanked"] = yes(a["thanked"][i])
            ans["clean"] = yes(a["clean"][i])
            ans["signage"] = "na" if a["signage_na"][i] else yes(a["signage"][i])
            lines.append(json.dumps({
                "id": f"v{i:07d}", "checklist": "study-visit", "checklist_version": 1,
                "branch": bkey[b], "region": rkey[self.branch_region[b]],
                "team": TEAMS[v["team"][i]], "shopper": skey[v["shopper"][i]],
                "scenario": SCENARIOS[v["scenario"][i]],
                "visited_at": f"{dates[i]}T{v['hour'][i]:02d}:{v['minute'][i]:02d}:00+03:00",
                "answers": ans}, separators=(",", ":")))
        out.mkdir(parents=True, exist_ok=True)
        (out / "visits.jsonl").write_text("\n".join(lines) + "\n")
        branches, teams, severity = self.truth(draws)
        truth = {
            "design": self.design, "visits": n, "draws": draws,
            "branches": {bkey[b]: float(branches[b]) for b in range(self.nb)},
            "teams": {f"{bkey[b]}/{TEAMS[k]}": float(teams[b, k])
                      for b in range(self.nb) for k in range(len(TEAMS))},
            "shoppers": {skey[s]: float(severity[s]) for s in range(self.ns)},
            "visit_scores": {f"v{i:07d}": float(y[i]) for i in range(n)} if n <= 200_000 else None,
        }
        (out / "truth.json").write_text(json.dumps(truth))
        return n


def main():
    design, seed, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    draws = int(sys.argv[4]) if len(sys.argv) > 4 else (1500 if design == "large" else 8000)
    n = Programme(design, seed).write(out, draws)
    print(f"{design} seed {seed}: {n} visits -> {out}")


if __name__ == "__main__":
    main()
