#!/usr/bin/env python3
"""Webhook delivery throughput (issue 18): N events (default 10,000) waiting in the outbox of a
SQLite `sirr serve`, delivered to a local receiver; prints the time from the dispatching server's
start to the last distinct event received, and how many requests that took.

    python3 bench/events_delivery.py --sirr target/release/sirr [--events 10000] [--outage 60]

1. A server with `events.dispatch = false` migrates, registers a webhook for `assignment.offered`
   and stops; N `assignment.offered` events are then written straight into its outbox (the
   benchmark measures delivery, not the API that creates events: tests/api/events.rs covers that).
2. A dispatching server starts on the same data; the clock runs from its start to the moment the
   receiver (Python's ThreadingHTTPServer, every request checked for a valid signature) has
   seen all N event ids.
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SECRET = "whsec_" + base64.b64encode(b"benchmark-secret-32-bytes-long!!").decode()
ADMIN, PASSWORD = "admin@bench.sirr", "bench-password-1"


class Receiver(http.server.BaseHTTPRequestHandler):
    # Keep-alive, as a production receiver behind any web server does.
    protocol_version = "HTTP/1.1"
    seen = set()
    requests = 0
    bad = 0
    lock = threading.Lock()
    last = 0.0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        wid, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        key = base64.b64decode(SECRET[len("whsec_"):])
        want = "v1," + base64.b64encode(
            hmac.new(key, f"{wid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        with Receiver.lock:
            Receiver.requests += 1
            if want not in self.headers["webhook-signature"].split(" "):
                Receiver.bad += 1
            elif wid not in Receiver.seen:
                Receiver.seen.add(wid)
                Receiver.last = time.monotonic()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(sirr, data, env_extra):
    env = dict(os.environ, SIRR_ADMIN_EMAIL=ADMIN, SIRR_ADMIN_PASSWORD=PASSWORD, **env_extra)
    env.pop("SIRR_CONFIG", None)
    proc = subprocess.Popen([sirr, "serve", "--bind", "127.0.0.1:0", "--data-dir", data],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    for line in proc.stdout:
        if line.startswith("listening on "):
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, line.split()[-1]
    sys.exit("sirr serve did not start")


def call(url, path, body=None, token=None):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode() if body else None,
                                 headers={"content-type": "application/json"})
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sirr", required=True)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--outage", type=float, default=0,
                    help="the receiver is down (connections refused) for the first S seconds")
    args = ap.parse_args()

    # A listen backlog of 5 (the default) resets connections under 16 parallel senders, which
    # then wait for their retry: measure delivery, not the backlog.
    http.server.ThreadingHTTPServer.request_queue_size = 256
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    port = httpd.server_address[1]
    if args.outage:
        httpd.server_close()  # down: the port refuses connections until it comes back
    else:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{port}/hook"

    with tempfile.TemporaryDirectory() as data:
        proc, url = serve(args.sirr, data, {"SIRR_EVENTS__DISPATCH": "false"})
        token = call(url, "/api/v1/auth/login", {"email": ADMIN, "password": PASSWORD})["access_token"]
        call(url, "/api/v1/webhooks",
             {"url": hook_url, "events": ["assignment.offered"], "secret": SECRET}, token)
        proc.terminate()
        proc.wait()

        db = sqlite3.connect(os.path.join(data, "sirr.db"))
        now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        db.executemany(
            "INSERT INTO events (id, type, occurred_at, data, fanned_out) VALUES (?, ?, ?, ?, 0)",
            [(f"evt_bench_{i:06d}", "assignment.offered", now,
              json.dumps({"assignment_id": f"a{i}", "shopper_id": "s", "branch_id": "b"}))
             for i in range(args.events)])
        db.commit()
        db.close()

        start = time.monotonic()
        proc, url = serve(args.sirr, data, {"SIRR_EVENTS__POLL_INTERVAL_MS": "100"})
        if args.outage:
            time.sleep(args.outage)
            httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver)
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
        while len(Receiver.seen) < args.events:
            if time.monotonic() - start > 300 + args.outage:
                sys.exit(f"only {len(Receiver.seen)} of {args.events} events within 300 s")
            time.sleep(0.05)
        elapsed = Receiver.last - start
        proc.terminate()
        proc.wait()
        db = sqlite3.connect(os.path.join(data, "sirr.db"))
        attempts, failed = db.execute(
            "SELECT COUNT(*), COUNT(error) FROM delivery_attempts").fetchone()
        db.close()
    print(json.dumps({"events": args.events, "outage_s": args.outage, "seconds": round(elapsed, 2),
                      "events_per_second": round(args.events / elapsed),
                      "requests": Receiver.requests, "attempts": attempts,
                      "failed_attempts": failed, "bad_signatures": Receiver.bad}))
    if Receiver.bad:
        sys.exit("bad signatures")


if __name__ == "__main__":
    main()
