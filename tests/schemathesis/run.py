#!/usr/bin/env python3
"""Schema-driven API testing (issue 16): schemathesis against `sirr serve --demo`, once per role.

Starts the given `sirr` binary with the demo organisation on a free port in a temporary data
directory, signs in as every role (admin, QA, a region manager, a branch manager, a team manager
created here — the demo has none — and a shopper), and runs schemathesis over the whole OpenAPI
document with each token. The checks: no 5xx (`not_a_server_error`), and every response inside
the document (`status_code_conformance`, `content_type_conformance`,
`response_schema_conformance`). Any failure fails the run.

Usage: run.py --sirr PATH [--schemathesis PATH] [--max-examples N] [--seed N]
Runtime: about 10-20 s per role with the defaults.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "demo-password"
ROLES = [
    ("admin", "admin@demo.sirr"),
    ("qa", "qa@demo.sirr"),
    ("region-manager", "manager.riyadh@demo.sirr"),
    ("branch-manager", "manager.ruh-001@demo.sirr"),
    ("team-manager", "manager.team@demo.sirr"),
    ("shopper", "shopper1@demo.sirr"),
]
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def call(url, method="GET", body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def login(base, email):
    status, body = call(f"{base}/api/v1/auth/login", "POST", {"email": email, "password": PASSWORD})
    if status != 200:
        sys.exit(f"error: cannot sign in as {email}: {status} {body}")
    return body["access_token"]


def start(sirr, data_dir):
    log = open(os.path.join(data_dir, "serve.log"), "w+")
    proc = subprocess.Popen(
        [sirr, "serve", "--demo", "--bind", "127.0.0.1:0", "--data-dir", data_dir],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if not k.startswith("SIRR_")},
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        log.seek(0)
        for line in log:
            if line.startswith("listening on "):
                return proc, line.split("listening on ", 1)[1].strip()
        if proc.poll() is not None:
            log.seek(0)
            sys.exit(f"error: sirr serve --demo exited:\n{log.read()}")
        time.sleep(0.2)
    proc.kill()
    sys.exit("error: sirr serve --demo did not start within 120 s")


def team_manager(base, admin):
    """A manager scoped to one team (the demo has region and branch managers only)."""
    status, teams = call(f"{base}/api/v1/teams", token=admin)
    if status != 200 or not teams:
        sys.exit(f"error: no demo team to scope a manager to: {status} {teams}")
    status, body = call(
        f"{base}/api/v1/users",
        "POST",
        {
            "email": "manager.team@demo.sirr",
            "name": "Team manager",
            "role": "manager",
            "password": PASSWORD,
            "scopes": [{"kind": "team", "id": teams[0]["id"]}],
        },
        admin,
    )
    if status != 201:
        sys.exit(f"error: cannot create the team manager: {status} {body}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sirr", required=True)
    parser.add_argument("--schemathesis", default=shutil.which("schemathesis") or "schemathesis")
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="sirr-schemathesis-")
    proc, base = start(args.sirr, data_dir)
    failed = []
    try:
        schema = os.path.join(data_dir, "openapi.json")
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=30) as r:
            open(schema, "wb").write(r.read())
        admin = login(base, "admin@demo.sirr")
        team_manager(base, admin)
        # Every token first: the login operation is tested too, and its wrong guesses end in
        # the per-address throttle.
        tokens = [(role, login(base, email)) for role, email in ROLES]
        for role, token in tokens:
            started = time.time()
            print(f"\n== schemathesis as {role} ==", flush=True)
            code = subprocess.call(
                [
                    args.schemathesis,
                    "run",
                    schema,
                    "--url",
                    base,
                    "-H",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    CHECKS,
                    "--phases",
                    "examples,coverage,fuzzing",
                    "--max-examples",
                    str(args.max_examples),
                    "--seed",
                    str(args.seed),
                    "--workers",
                    "2",
                    "--no-shrink",
                    "--output-truncate",
                    "false",
                ]
            )
            print(f"== {role}: exit {code} in {time.time() - started:.0f} s ==", flush=True)
            if code != 0:
                failed.append(role)
            if proc.poll() is not None:
                failed.append("the server exited")
                break
    finally:
        proc.kill()
        proc.wait()
    if failed:
        with open(os.path.join(data_dir, "serve.log")) as log:
            tail = log.read()[-4000:]
        print(f"\nserver log (tail):\n{tail}", file=sys.stderr)
        sys.exit(f"error: schemathesis found problems as: {', '.join(failed)}")
    shutil.rmtree(data_dir, ignore_errors=True)
    print("\nschemathesis: no failures for any role")


if __name__ == "__main__":
    main()
