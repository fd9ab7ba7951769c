"""Client of the Istat SDMX web service for scheduled refreshes (esploradati.istat.it, agency IT1).

Istat blocks clients that make more than about 5 requests a minute for a day or more, so the
client spaces its calls (rate limit shared by every call of the process), retries errors with
exponential backoff, and caches every raw response on disk: a rerun or a backfill reads the
cache and never calls Istat again. Known quirk: `endPeriod` returns one period too many, so
the client asks for end - 1 and drops anything after the requested end.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from pipelines.settings import DATA_DIR

SDMX_CSV = "application/vnd.sdmx.data+csv;version=1.0.0"
SDMX_ML = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"


def load_config() -> dict:
    with open(DATA_DIR / "registry" / "istat_dataflows.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class IstatError(RuntimeError):
    """The web service refused or failed after every retry (Italian message for the office)."""


@dataclass
class RateLimiter:
    """At most `per_minute` calls a minute: each call waits until 60/per_minute s after the previous one."""

    per_minute: float
    clock: callable = time.monotonic
    sleep: callable = time.sleep
    _last: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        with self._lock:
            gap = 60.0 / self.per_minute
            now = self.clock()
            if self._last is not None and now - self._last < gap:
                self.sleep(gap - (now - self._last))
                now = self.clock()
            self._last = now


@dataclass
class IstatClient:
    base_url: str
    cache_dir: Path
    agency: str = "IT1"
    per_minute: float = 5
    timeout: float = 120
    retries: int = 4
    backoff: float = 15.0
    session: requests.Session = field(default_factory=requests.Session)
    sleep: callable = time.sleep
    limiter: RateLimiter | None = None
    calls: int = 0

    def __post_init__(self):
        self.cache_dir = Path(self.cache_dir)
        self.limiter = self.limiter or RateLimiter(self.per_minute, sleep=self.sleep)

    @classmethod
    def from_config(cls, cache_dir: Path, **overrides) -> IstatClient:
        svc = load_config()["servizio"]
        return cls(base_url=svc["url"], cache_dir=cache_dir, agency=svc["agenzia"],
                   per_minute=svc["richieste_al_minuto"], timeout=svc["timeout_secondi"],
                   retries=svc["tentativi"], **overrides)

    def data_url(self, dataflow: str, key: str, start: int | None, end: int | None) -> tuple[str, dict]:
        params = {}
        if start is not None:
            params["startPeriod"] = str(start)
        if end is not None:
            params["endPeriod"] = str(end - 1)  # the service returns one period beyond endPeriod
        return f"{self.base_url.rstrip('/')}/data/{self.agency},{dataflow},1.0/{key or 'all'}", params

    def fetch(self, dataflow: str, key: str = "", start: int | None = None, end: int | None = None,
              fmt: str = "csv") -> Path:
        """Return the path of the cached response, calling the service only on a cache miss."""
        url, params = self.data_url(dataflow, key, start, end)
        accept = SDMX_CSV if fmt == "csv" else SDMX_ML
        digest = hashlib.sha256(f"{url}?{sorted(params.items())}|{accept}".encode()).hexdigest()[:16]
        target = self.cache_dir / f"{dataflow}__{digest}.{'csv' if fmt == 'csv' else 'xml'}"
        if target.exists():
            return target
        body = self._get(url, params, accept)
        if fmt == "csv" and end is not None:
            body = _drop_after(body, end)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(body)
        tmp.replace(target)  # a cache entry is complete or absent
        return target

    def _get(self, url: str, params: dict, accept: str) -> bytes:
        last = None
        for attempt in range(self.retries):
            self.limiter.wait()
            self.calls += 1
            try:
                resp = self.session.get(url, params=params, headers={"Accept": accept}, timeout=self.timeout)
            except requests.RequestException as exc:
                last = f"errore di rete ({type(exc).__name__})"
            else:
                if resp.status_code == 200:
                    return resp.content
                if resp.status_code == 404:
                    raise IstatError(f"Istat non ha dati per {url} (404): controllare id del dataflow e chiave "
                                     "in data/registry/istat_dataflows.yaml")
                last = f"risposta HTTP {resp.status_code}"
            if attempt < self.retries - 1:
                self.sleep(self.backoff * 2 ** attempt)
        raise IstatError(f"Il servizio Istat non ha risposto dopo {self.retries} tentativi ({last}): {url}")


def _drop_after(body: bytes, end: int) -> bytes:
    """Drop SDMX-CSV rows whose TIME_PERIOD is after the requested end year."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if not rows or "TIME_PERIOD" not in rows[0]:
        return body
    col = rows[0].index("TIME_PERIOD")
    kept = [rows[0]] + [r for r in rows[1:] if r and int(r[col][:4]) <= end]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    return out.getvalue().encode("utf-8")
