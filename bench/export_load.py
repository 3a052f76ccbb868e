#!/usr/bin/env python3
"""Exports and OData at 100,000 visits (issue 18): time to first byte, total time, size and the
server's memory growth for each export, and the time of one OData page of 1,000 visits.

    python3 bench/export_load.py --sirr target/release/sirr [--visits 100000]

1. `sirr serve --demo` builds the demo organisation on a fresh SQLite file and stops.
2. Its approved visits (with their assignments) are copied under new ids until the file holds
   `--visits` approved visits: the same branches, shoppers, checklists and answers, so every
   row is a real, scorable visit (the benchmark measures exports, not the API that makes visits).
3. A server starts on that file; as the demo admin, each export is downloaded once while a
   thread samples the server's resident memory every 20 ms; then OData's first page of
   `Visits` and the page its `@odata.nextLink` names are timed (5 times each, median).
Prints one JSON object per measurement.
"""
import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ADMIN, PASSWORD = "admin@demo.sirr", "demo-password"


def serve(sirr, data, demo):
    env = dict(os.environ)
    env.pop("SIRR_CONFIG", None)
    args = [sirr, "serve", "--bind", "127.0.0.1:0", "--data-dir", data] + (["--demo"] if demo else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    for line in proc.stdout:
        if line.startswith("listening on "):
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, line.split()[-1]
    sys.exit("sirr serve did not start")


def rss_kib(pid, field="RssAnon"):
    """The server's resident memory of one kind: `RssAnon` is its heap and stacks; `RssFile`
    counts the SQLite file's pages mapped in (`mmap_size`), which the kernel can drop at will."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def login(url):
    req = urllib.request.Request(url + "/api/v1/auth/login",
                                 data=json.dumps({"email": ADMIN, "password": PASSWORD}).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())["access_token"]


def grow(db_path, target, seed):
    """Copies approved visits and their assignments under new ids until `target` are approved."""
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    visits = [dict(r) for r in db.execute("SELECT * FROM visits WHERE status = 'approved'")]
    have = len(visits)
    if not visits:
        sys.exit("the demo has no approved visits")
    assignments = {r["id"]: dict(r) for r in db.execute(
        "SELECT * FROM assignments WHERE id IN (SELECT assignment_id FROM visits WHERE status = 'approved')")}
    vcols, acols = list(visits[0].keys()), list(next(iter(assignments.values())).keys())
    vsql = f"INSERT INTO visits ({', '.join(vcols)}) VALUES ({', '.join('?' * len(vcols))})"
    asql = f"INSERT INTO assignments ({', '.join(acols)}) VALUES ({', '.join('?' * len(acols))})"
    rng = random.Random(seed)
    batch_v, batch_a = [], []
    for i in range(target - have):
        v = dict(rng.choice(visits))
        a = dict(assignments[v["assignment_id"]])
        a["id"] = f"bench-a-{i:07d}"
        v["id"], v["assignment_id"] = f"bench-v-{i:07d}", a["id"]
        batch_a.append([a[c] for c in acols])
        batch_v.append([v[c] for c in vcols])
        if len(batch_v) == 5000:
            db.executemany(asql, batch_a)
            db.executemany(vsql, batch_v)
            batch_v, batch_a = [], []
    db.executemany(asql, batch_a)
    db.executemany(vsql, batch_v)
    db.commit()
    total = db.execute("SELECT COUNT(*) FROM visits WHERE status = 'approved'").fetchone()[0]
    db.close()
    return have, total


def download(url, path, headers, pid):
    """GET `path`: (seconds to first byte, seconds in all, bytes, newline count, growth of the
    anonymous and of the file-backed resident memory in KiB)."""
    base, base_file = rss_kib(pid), rss_kib(pid, "RssFile")
    peak, peak_file = [base], [base_file]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            peak_file[0] = max(peak_file[0], rss_kib(pid, "RssFile"))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.monotonic()
    req = urllib.request.Request(url + path, headers=headers)
    size = lines = 0
    first = None
    with urllib.request.urlopen(req) as r:
        while True:
            chunk = r.read(65536)
            if first is None:
                first = time.monotonic() - start
            if not chunk:
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
    total = time.monotonic() - start
    done.set()
    sampler.join()
    return first, total, size, lines, peak[0] - base, peak_file[0] - base_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sirr", required=True)
    ap.add_argument("--visits", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as data:
        proc, _ = serve(args.sirr, data, demo=True)
        proc.terminate()
        proc.wait()
        t = time.monotonic()
        have, total = grow(os.path.join(data, "sirr.db"), args.visits, args.seed)
        print(json.dumps({"setup": "copied demo visits", "demo_approved": have,
                          "approved": total, "seconds": round(time.monotonic() - t, 1)}), flush=True)
        proc, url = serve(args.sirr, data, demo=False)
        try:
            token = login(url)
            bearer = {"authorization": f"Bearer {token}"}
            for path in ["/api/v1/exports/visits.csv", "/api/v1/exports/visits.xlsx",
                         "/api/v1/exports/visits.jsonl", "/api/v1/exports/answers.csv"]:
                first, secs, size, lines, grown, mapped = download(url, path, bearer, proc.pid)
                print(json.dumps({"export": path, "first_byte_s": round(first, 3),
                                  "seconds": round(secs, 2), "mb": round(size / 1e6, 1),
                                  "lines": lines, "heap_growth_mb": round(grown / 1024, 1),
                                  "mapped_file_growth_mb": round(mapped / 1024, 1)}), flush=True)
            # Excel and Power BI send a personal access token as Basic; a bearer token is the
            # same check (crates/server/src/auth), so the page's time is the same.
            times, next_times = [], []
            for _ in range(5):
                t = time.monotonic()
                with urllib.request.urlopen(urllib.request.Request(url + "/odata/v4/Visits", headers=bearer)) as r:
                    page = json.loads(r.read())
                times.append(time.monotonic() - t)
                t = time.monotonic()
                with urllib.request.urlopen(urllib.request.Request(page["@odata.nextLink"], headers=bearer)) as r:
                    second = json.loads(r.read())
                next_times.append(time.monotonic() - t)
            print(json.dumps({"odata": "Visits, first page", "rows": len(page["value"]),
                              "median_ms": round(statistics.median(times) * 1000),
                              "runs_ms": [round(x * 1000) for x in times]}), flush=True)
            print(json.dumps({"odata": "Visits, next page", "rows": len(second["value"]),
                              "median_ms": round(statistics.median(next_times) * 1000),
                              "runs_ms": [round(x * 1000) for x in next_times]}), flush=True)
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
