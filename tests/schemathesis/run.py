#!/usr/bin/env python3
"""Schema-driven API testing (issue 16): schemathesis against `sirr serve --demo`, once per role.

Starts the given `sirr` binary with the demo organisation on a free port in a temporary data
directory, signs in as every role (admin, QA, a region manager, a branch manager, a team manager
created here — the demo has none — and a shopper), and runs schemathesis over the whole OpenAPI
document with each token, with real demo ids in the paths (see `real_ids_config`). The checks
(`CHECKS`): no 5xx, every response inside the document (status, content type, headers, schema),
invalid requests refused, 405 for undeclared methods, no operation that ignores its token, and
more. Any failure or tool error fails the run (set ST_CHECKS to run other checks).

Usage: run.py --sirr PATH [--schemathesis PATH] [--max-examples N] [--seed N]
Runtime: about 10-20 s per role with the defaults.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "demo-password"
# Those who change the least first: the admin's run cancels, approves and deletes.
ROLES = [
    ("shopper", "shopper1@demo.sirr"),
    ("team-manager", "manager.team@demo.sirr"),
    ("branch-manager", "manager.ruh-001@demo.sirr"),
    ("region-manager", "manager.riyadh@demo.sirr"),
    ("qa", "qa@demo.sirr"),
    ("admin", "admin@demo.sirr"),
]
# Every check but `positive_data_acceptance`, which wants any schema-valid request answered 2xx:
# the server refuses schema-valid data by rules a JSON Schema does not carry (NUL in any text is
# 400 by the one input policy, a shopper's visit must match its checklist, a scope or a state
# decides) and answers 403/404/409/422 by design. Its opposite, `negative_data_rejection`, runs.
CHECKS = os.environ.get("ST_CHECKS") or ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
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


def closed_port():
    """A local port nothing listens on (bound, read and released)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def start(sirr, data_dir):
    log = open(os.path.join(data_dir, "serve.log"), "w+")
    proc = subprocess.Popen(
        [sirr, "serve", "--demo", "--bind", "127.0.0.1:0", "--data-dir", data_dir],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SIRR_")},
            # E-mail set up, towards a port nobody listens on: the password-reset and invitation
            # operations take their documented 202/201 path (without [smtp] they answer 503
            # not_configured by design, which `not_a_server_error` would count); their letters
            # fail after the answer and are only logged.
            "SIRR_SMTP__HOST": "127.0.0.1",
            "SIRR_SMTP__PORT": str(closed_port()),
            "SIRR_SMTP__FROM": "sirr <no-reply@demo.sirr>",
        },
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


def first(base, admin, path, key="id"):
    status, body = call(f"{base}{path}", token=admin)
    if status == 200 and isinstance(body, list) and body:
        return body[0][key]
    return None


def real_ids_config(base, admin, path):
    """A schemathesis.toml that sends real demo ids in the path (random ids only find 404s, so
    the success answers of those operations would go unchecked)."""
    status, me = call(f"{base}/api/v1/me", token=admin)
    status, shoppers = call(f"{base}/api/v1/users?role=shopper", token=admin)
    shopper = next((u for u in shoppers if u["email"] == "shopper1@demo.sirr"), None) if status == 200 else None
    status, managers = call(f"{base}/api/v1/users?role=manager", token=admin)
    spare = next((u["id"] for u in managers if u["email"] == "manager.ruh-002@demo.sirr"), None) if status == 200 else None
    branch = first(base, admin, "/api/v1/branches")
    ids = {
        "regions": first(base, admin, "/api/v1/regions"),
        "branches": branch,
        "teams": first(base, admin, "/api/v1/teams"),
        "users": spare,
        "campaigns": first(base, admin, "/api/v1/campaigns"),
        "disputes": first(base, admin, "/api/v1/disputes"),
        "visits": first(base, admin, "/api/v1/disputes", "visit_id"),
        "assignments": None,
        "shoppers": shopper and shopper["id"],
    }
    if shopper:
        ids["assignments"] = first(base, admin, f"/api/v1/assignments?shopper_id={shopper['id']}&status=offered") \
            or first(base, admin, f"/api/v1/assignments?shopper_id={shopper['id']}")
    sections = []
    for resource, value in ids.items():
        if value is None:
            print(f"note: no demo {resource} id found; its operations get random ids only")
            continue
        sections.append(
            f'[[operations]]\ninclude-path-regex = "^/api/v1/{resource}/\\\\{{id\\\\}}"\n'
            f'parameters = {{ "path.id" = "{value}" }}\n'
        )
    for prefix, value in (("scores/branches", ids["branches"]), ("scores/regions", ids["regions"]),
                          ("scores/teams", ids["teams"]), ("reports/branches", ids["branches"]),
                          ("reports/teams", ids["teams"])):
        if value:
            sections.append(
                f'[[operations]]\ninclude-path-regex = "^/api/v1/{prefix}/"\n'
                f'parameters = {{ "path.id" = "{value}", "query.period" = "2026-09" }}\n'
            )
    status, checklists = call(f"{base}/api/v1/checklists", token=admin)
    if status == 200 and checklists:
        c = checklists[0]
        key = c.get("key")
        version = c.get("version") or (c.get("versions") or [{}])[0].get("version")
        if key and version:
            sections.append(
                '[[operations]]\ninclude-path-regex = "^/api/v1/checklists/\\\\{key\\\\}"\n'
                f'parameters = {{ "path.key" = "{key}", "path.version" = {version} }}\n'
            )
    if branch and ids["shoppers"]:
        sections.append(
            '[[operations]]\ninclude-path-regex = "^/api/v1/shoppers/"\n'
            f'parameters = {{ "path.id" = "{ids["shoppers"]}", "path.branch_id" = "{branch}" }}\n'
        )
    with open(path, "w") as f:
        f.write("\n".join(sections))


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
        config = os.path.join(data_dir, "schemathesis.toml")
        real_ids_config(base, admin, config)
        for role, token in tokens:
            started = time.time()
            print(f"\n== schemathesis as {role} ==", flush=True)
            code = subprocess.call(
                [
                    args.schemathesis,
                    "--config-file",
                    config,
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
                    # One worker: with two, Python 3.11's ast module (which Hypothesis uses to describe
                    # its strategies) now and then fails with "AST constructor recursion depth
                    # mismatch", a runtime error in the tool, not a finding.
                    "--workers",
                    "1",
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
