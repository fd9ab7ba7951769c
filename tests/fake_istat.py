#!/usr/bin/env python3
"""A fake Istat SDMX REST service on loopback, for testing the client's manners.

Origin: the project's reference tool `tools/fake_istat.py` (shared reference material of the
Osservatorio brief), copied here so the tests stand alone, and extended to behave more like Istat:
- startPeriod/endPeriod are honoured per frequency, with Istat's quirk: the answer includes one
  period beyond endPeriod (annual, quarterly 2024-Q1, monthly 2024-01 periods alike);
- updatedAfter: 404 NoRecordsFound when the flow's file did not change since then, else the data;
- a ban (HTTP 429 with Retry-After) once more than --ban-over requests arrive in any --window
  seconds (Istat: 5 a minute), or from the --ban-after-th request on; every request while banned
  extends nothing but is answered 429 (and logged, so a test sees a client that keeps calling).

Serves files from --data DIR: /rest/data/<agency>,<flow>,<version>/<key> answers with DIR/<flow>.csv
(SDMX-CSV) or DIR/<flow>.xml (SDMX-ML) by the Accept header; unknown flows get 404.
Faults: --fail-every N (HTTP 500 on every Nth request), --slow S (sleep S seconds before answering).
Every request is appended to --log as one JSON line (time, path, accept, status).
"""
import argparse
import csv
import datetime as dt
import io
import json
import math
import os
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

_P = re.compile(r"^(\d{4})(?:-(Q)?(\d{1,2}))?$")


def _index(text: str, per_year: int, end: bool = False) -> int:
    m = _P.match(text)
    year, sub = int(m[1]), m[3]
    if sub is None:
        return year * per_year + (per_year - 1 if end else 0)
    return year * per_year + int(sub) - 1


def _per_year(period: str) -> int:
    return 4 if "-Q" in period else 12 if "-" in period else 1


def select_periods(body: bytes, start: str | None, end: str | None) -> bytes:
    """Rows from startPeriod to one period beyond endPeriod, in each row's own frequency (Istat's quirk)."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    col = rows[0].index("TIME_PERIOD")
    kept = [rows[0]]
    for r in rows[1:]:
        n = _per_year(r[col])
        i = _index(r[col], n)
        if start and i < _index(start, n):
            continue
        if end and i > _index(end, n, end=True) + 1:
            continue
        kept.append(r)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    return out.getvalue().encode()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--data", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail-every", type=int, default=0)
    ap.add_argument("--slow", type=float, default=0.0)
    ap.add_argument("--ban-over", type=int, default=0)
    ap.add_argument("--ban-after", type=int, default=0)
    ap.add_argument("--ban-seconds", type=float, default=120.0)
    ap.add_argument("--window", type=float, default=60.0)
    args = ap.parse_args(argv)

    lock = threading.Lock()
    recent = deque()
    state = {"n": 0, "banned_until": 0.0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _answer(self, status, body=b"", ctype="text/plain", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - http.server's name
            now = time.time()
            accept = self.headers.get("Accept", "")
            with lock:
                state["n"] += 1
                n = state["n"]
                recent.append(now)
                while recent and now - recent[0] > args.window:
                    recent.popleft()
                if (args.ban_over and len(recent) > args.ban_over) or (args.ban_after and n >= args.ban_after):
                    if now >= state["banned_until"]:
                        state["banned_until"] = now + args.ban_seconds
                banned_until = state["banned_until"]
            status, body, ctype, headers = 200, b"", "text/plain", []
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if now < banned_until:
                status, body = 429, b"Too many requests"
                headers = [("Retry-After", str(math.ceil(banned_until - now)))]
            elif args.fail_every and n % args.fail_every == 0:
                status, body = 500, b"Internal Server Error"
            else:
                parts = [p for p in url.path.split("/") if p]
                flow = parts[parts.index("data") + 1] if "data" in parts and len(parts) > parts.index("data") + 1 else None
                if flow and "," in flow:
                    flow = flow.split(",")[1]
                want_csv = "csv" in accept
                path = os.path.join(args.data, f"{flow}.{'csv' if want_csv else 'xml'}") if flow else None
                if not path or not os.path.exists(path):
                    status, body = 404, b"NoResultsFound"
                elif "updatedAfter" in query and os.path.getmtime(path) <= dt.datetime.fromisoformat(
                        query["updatedAfter"].replace("Z", "+00:00")).timestamp():
                    status, body = 404, b"NoRecordsFound"
                else:
                    body = open(path, "rb").read()
                    if want_csv:
                        body = select_periods(body, query.get("startPeriod"), query.get("endPeriod"))
                    ctype = "application/vnd.sdmx.data+csv;version=1.0.0" if want_csv else "application/xml"
            if args.slow:
                time.sleep(args.slow)
            with lock, open(args.log, "a") as fh:
                fh.write(json.dumps({"t": now, "path": self.path, "accept": accept, "status": status}) + "\n")
            self._answer(status, body, ctype, headers)

    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{srv.server_address[1]}/SDMXWS/rest", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
