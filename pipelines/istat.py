"""Client of the Istat SDMX web service for scheduled refreshes (esploradati.istat.it, agency IT1).

Istat's rules, as its service enforces them (tech notes of the project):
- about five requests a minute per client, faster clients are blocked (HTTP 429) for a day or more:
  every request of every process of the project is booked first in one ledger file under a file
  lock (`RegistroRichieste`), which holds at most `limite` requests in any `finestra` seconds; a
  429 is written in the same ledger with the end of the ban (Retry-After), so no process calls
  again before then, and the refresh stops at once with an Italian message saying until when;
- `endPeriod` returns one period too many: the client asks for one period (of the flow's own
  frequency: year, quarter or month) less and drops anything outside the requested range;
- revised releases: a cached response is revalidated with `updatedAfter` once it is older than
  `rivalida_dopo_giorni`; when Istat reports changes, the whole query is fetched again into a
  new file with its own release date (`_rilasci.csv`), and the old file stays where it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import io
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import yaml
from filelock import FileLock

from pipelines.settings import DATA_DIR, landing_dir

SDMX_CSV = "application/vnd.sdmx.data+csv;version=1.0.0"
SDMX_ML = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
CONFIG = DATA_DIR / "registry" / "istat_dataflows.yaml"
RELEASES_FILE = "_rilasci.csv"   # the loader's sidecar: file,rilascio,provvisorio
LEDGER_FILE = ".richieste_istat.json"
STATE_FILE = ".verifiche_istat.json"
ROME = ZoneInfo("Europe/Rome")


class IstatError(RuntimeError):
    """The web service refused or failed after every retry (Italian message for the office)."""


class IstatBloccato(IstatError):
    """Istat answered 429 (or a ban is still running): no request may be sent before `fino` (epoch seconds)."""

    def __init__(self, message: str, fino: float):
        super().__init__(message)
        self.fino = fino


def load_config(path: Path = CONFIG) -> dict:
    """The service settings and the dataflows of `data/registry/istat_dataflows.yaml`.

    Read with YAML's base loader, so every scalar stays the string written in the file: a dataflow
    id such as 139_176 is never turned into the integer 139176. Numbers of the `servizio` block are
    converted here; raises IstatError (Italian) when a dataflow lacks its id or has an unknown frequency.
    """
    with open(path, encoding="utf-8") as fh:
        cfg = yaml.load(fh, Loader=yaml.BaseLoader)
    svc = cfg["servizio"]
    for key in ("richieste_per_finestra", "tentativi"):
        svc[key] = int(svc[key])
    for key in ("finestra_secondi", "timeout_secondi", "attesa_tra_tentativi_secondi", "rivalida_dopo_giorni",
                "blocco_senza_retry_after_ore"):
        svc[key] = float(svc[key])
    for name, flow in cfg["dataflow"].items():
        if not flow.get("id"):
            raise IstatError(f"{path.name}: il dataflow «{name}» non ha l'id")
        flow.setdefault("frequenza", "A")
        if flow["frequenza"] not in PERIODS_PER_YEAR:
            raise IstatError(f"{path.name}: il dataflow «{name}» ha frequenza «{flow['frequenza']}», "
                             f"attese {', '.join(PERIODS_PER_YEAR)}")
    return cfg


# --- periods ------------------------------------------------------------------------------------

PERIODS_PER_YEAR = {"A": 1, "Q": 4, "M": 12}
_PERIOD = re.compile(r"^(\d{4})(?:-?(Q|M|-)?(\d{1,2}))?$")


def period_index(text: str, freq: str, end: bool = False) -> int:
    """Ordinal of a period in the flow's frequency: '2024' -> 2024 (A), 2024*4+2 for '2024-Q3' (Q),
    2024*12+6 for '2024-07' (M). A bare year in a sub-annual flow is its first period, or its last
    when `end`, which is how Istat reads startPeriod/endPeriod. Raises ValueError on other text."""
    m = _PERIOD.match(str(text).strip())
    if not m:
        raise ValueError(f"periodo «{text}» non riconosciuto (attesi AAAA, AAAA-Qn, AAAA-MM)")
    year, sub = int(m[1]), m[3]
    n = PERIODS_PER_YEAR[freq]
    if sub is None:
        return year * n + (n - 1 if end else 0)
    sub = int(sub)
    if n == 1 or not 1 <= sub <= n or (m[2] == "Q") != (freq == "Q"):
        raise ValueError(f"periodo «{text}» non valido per la frequenza {freq}")
    return year * n + sub - 1


def period_text(index: int, freq: str) -> str:
    """Inverse of `period_index`, in the SDMX forms Istat uses: 2024, 2024-Q3, 2024-07."""
    n = PERIODS_PER_YEAR[freq]
    year, sub = divmod(index, n)
    return str(year) if n == 1 else f"{year}-Q{sub + 1}" if freq == "Q" else f"{year}-{sub + 1:02d}"


def period_params(freq: str, start: str | None, end: str | None) -> dict[str, str]:
    """startPeriod/endPeriod for a request: endPeriod one period (of `freq`) before the wanted end,
    because the service returns one period beyond it; left out when that would precede the start."""
    params = {}
    if start:
        params["startPeriod"] = period_text(period_index(start, freq), freq)
    if end:
        last = period_index(end, freq, end=True) - 1
        if not start or last >= period_index(start, freq):
            params["endPeriod"] = period_text(last, freq)
    return params


def keep_periods(body: bytes, freq: str, start: str | None, end: str | None) -> bytes:
    """SDMX-CSV rows whose TIME_PERIOD is within [start, end] (the extra period of the quirk dropped).

    Rows whose period cannot be read in the flow's frequency are kept: the loader reports them."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if not rows or "TIME_PERIOD" not in rows[0]:
        return body
    col = rows[0].index("TIME_PERIOD")
    lo = period_index(start, freq) if start else None
    hi = period_index(end, freq, end=True) if end else None

    def inside(rec: list[str]) -> bool:
        try:
            i = period_index(rec[col], freq)
        except (ValueError, IndexError):
            return True
        return (lo is None or i >= lo) and (hi is None or i <= hi)

    kept = [rows[0]] + [r for r in rows[1:] if r and inside(r)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    return out.getvalue().encode("utf-8")


# --- the shared ledger of requests ----------------------------------------------------------------

def quando(epoch: float) -> str:
    """Epoch seconds as Italian local time: '30 novembre 2026 alle 14:05'."""
    from pipelines import italiano

    moment = dt.datetime.fromtimestamp(epoch, ROME)
    return f"{italiano.data(moment.date())} alle {moment:%H:%M}"


@dataclass
class RegistroRichieste:
    """At most `limite` requests in any `finestra` seconds, across every process sharing `path`.

    The ledger is a small JSON file (timestamps of the recent requests, end of a running ban)
    read and rewritten under an exclusive file lock (filelock), so two refreshes started at once
    share one budget. `margine` seconds are added to each wait to absorb network jitter. `clock`
    and `sleep` are injectable for tests; production uses wall-clock time, shared by processes.
    """

    path: Path
    limite: int = 5
    finestra: float = 60.0
    margine: float = 1.0
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {"richieste": [], "bloccato_fino": 0.0}

    def _write(self, state: dict) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self.path)

    def _locked(self) -> FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock")

    def controlla_blocco(self) -> None:
        """Raise IstatBloccato if a ban recorded by any process is still running."""
        with self._locked():
            until = self._read().get("bloccato_fino", 0.0)
        if until > self.clock():
            raise IstatBloccato(messaggio_blocco(until, registrato=True), until)

    def prenota(self) -> None:
        """Wait until one more request fits in the window, then book it (or raise IstatBloccato)."""
        while True:
            with self._locked():
                state = self._read()
                now = self.clock()
                if state.get("bloccato_fino", 0.0) > now:
                    raise IstatBloccato(messaggio_blocco(state["bloccato_fino"], registrato=True), state["bloccato_fino"])
                recent = sorted(t for t in state.get("richieste", []) if now - t < self.finestra + self.margine)
                if len(recent) < self.limite:
                    state["richieste"] = recent + [now]
                    self._write(state)
                    return
                wait = recent[-self.limite] + self.finestra + self.margine - now
            self.sleep(max(wait, 0.01))

    def blocca(self, fino: float) -> None:
        with self._locked():
            state = self._read()
            state["bloccato_fino"] = max(fino, state.get("bloccato_fino", 0.0))
            self._write(state)


def messaggio_blocco(fino: float, registrato: bool = False) -> str:
    when = quando(fino)
    if registrato:
        return (f"Istat ha bloccato questo client fino al {when} (risposta HTTP 429 registrata): "
                "nessuna richiesta è stata inviata. Riprovare dopo quell'ora.")
    return (f"Istat ha bloccato questo client (HTTP 429, troppe richieste) fino al {when}: aggiornamento "
            "interrotto, nessun'altra richiesta inviata. Riprovare dopo quell'ora; i file già scaricati restano.")


def retry_after(value: str | None, now: float) -> float | None:
    """Epoch seconds at which a Retry-After header (seconds or HTTP date) expires; None if absent/unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + int(value)
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


# --- the client ---------------------------------------------------------------------------------------

@dataclass
class Scaricato:
    """One dataflow after a refresh: its current file and whether this refresh wrote it."""

    nome: str
    file: Path
    nuovo: bool
    richieste: int


@dataclass
class IstatClient:
    """SDMX REST client that keeps Istat's rules (see the module docstring).

    `cache_dir` receives one file per release of each query and the `_rilasci.csv` sidecar the
    loader reads; the ledger and the state of revalidations live there too (dot files, never loaded).
    """

    base_url: str
    cache_dir: Path
    agency: str = "IT1"
    limite: int = 5
    finestra: float = 60.0
    margine: float = 1.0
    timeout: float = 120
    retries: int = 4
    backoff: float = 15.0
    rivalida_dopo: float = 6 * 86400.0
    blocco_predefinito: float = 24 * 3600.0
    session: requests.Session = field(default_factory=requests.Session)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    registro: RegistroRichieste | None = None
    calls: int = 0

    def __post_init__(self):
        self.cache_dir = Path(self.cache_dir)
        self.registro = self.registro or RegistroRichieste(
            self.cache_dir / LEDGER_FILE, self.limite, self.finestra, self.margine, self.clock, self.sleep)

    @classmethod
    def from_config(cls, cache_dir: Path | None = None, config: dict | None = None, **overrides) -> IstatClient:
        """The client as configured: base URL from OSSERVATORIO_ISTAT_URL or the registry, cache folder from
        OSSERVATORIO_ISTAT_CACHE or landing/istat_sdmx, limits and retries from the registry's `servizio`."""
        svc = (config or load_config())["servizio"]
        cache = cache_dir or os.environ.get("OSSERVATORIO_ISTAT_CACHE") or landing_dir() / "istat_sdmx"
        kwargs = dict(base_url=os.environ.get("OSSERVATORIO_ISTAT_URL") or svc["url"], cache_dir=Path(cache),
                      agency=svc["agenzia"], limite=svc["richieste_per_finestra"], finestra=svc["finestra_secondi"],
                      timeout=svc["timeout_secondi"], retries=svc["tentativi"],
                      backoff=svc["attesa_tra_tentativi_secondi"], rivalida_dopo=svc["rivalida_dopo_giorni"] * 86400,
                      blocco_predefinito=svc["blocco_senza_retry_after_ore"] * 3600)
        return cls(**{**kwargs, **overrides})

    # -- public --

    def aggiorna(self, flows: dict[str, dict], log: Callable[[str], None] = print) -> list[Scaricato]:
        """Refresh every dataflow of the registry (name -> {id, chiave, frequenza, inizio, fine}).

        Returns one Scaricato per flow. Raises IstatBloccato at once on a 429 or a running ban (the
        files already written stay), IstatError when a flow fails after every retry."""
        self.registro.controlla_blocco()
        done = []
        for name, flow in flows.items():
            before = self.calls
            path, new = self.fetch(flow["id"], flow.get("chiave", ""), flow.get("inizio") or None,
                                   flow.get("fine") or None, freq=flow.get("frequenza", "A"),
                                   fmt=flow.get("formato", "csv"))
            done.append(Scaricato(name, path, new, self.calls - before))
            log(f"{name} ({flow['id']}): {'nuovo rilascio ' if new else 'invariato, '}{path.name}")
        return done

    def data_url(self, dataflow: str, key: str, start: str | None, end: str | None,
                 freq: str = "A") -> tuple[str, dict]:
        """URL and query parameters of a data request, endPeriod moved back by one period (quirk)."""
        url = f"{self.base_url.rstrip('/')}/data/{self.agency},{dataflow},1.0/{key or 'all'}"
        return url, period_params(freq, start, end)

    def fetch(self, dataflow: str, key: str = "", start: str | int | None = None, end: str | int | None = None,
              freq: str = "A", fmt: str = "csv") -> tuple[Path, bool]:
        """The current cached response of a query, and whether it was written now.

        No call while the latest file is younger than `rivalida_dopo`; after that one `updatedAfter`
        request asks Istat whether anything changed since that file was fetched, and only then the
        whole query is fetched again, into a new file with a new release: never over the old one."""
        dataflow = str(dataflow)
        start, end = (str(start) if start is not None else None), (str(end) if end is not None else None)
        url, params = self.data_url(dataflow, key, start, end, freq)
        accept = SDMX_CSV if fmt == "csv" else SDMX_ML
        digest = hashlib.sha256(f"{url}?{sorted(params.items())}|{accept}".encode()).hexdigest()[:12]
        stem = f"{dataflow}__{digest}"
        latest = self._latest(stem)
        if latest is not None:
            checked = self._state().get(stem, latest[1])
            if self.clock() - checked < self.rivalida_dopo:
                return latest[0], False
            since = dt.datetime.fromtimestamp(latest[1], dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            changed = self._get(url, {**params, "updatedAfter": since}, accept, missing_ok=True)
            if changed is None or not _has_observations(changed, fmt):
                self._save_state(stem)
                return latest[0], False
        body = self._get(url, params, accept)
        if fmt == "csv":
            body = keep_periods(body, freq, start, end)
        if not _has_observations(body, fmt):
            raise IstatError(f"Istat ha risposto senza osservazioni per {dataflow} nel periodo richiesto "
                             f"({start or 'inizio'}-{end or 'fine'}): controllare chiave e periodi in {CONFIG.name}")
        return self._store(stem, body, "csv" if fmt == "csv" else "xml"), True

    # -- cache --

    def _latest(self, stem: str) -> tuple[Path, float] | None:
        files = sorted(self.cache_dir.glob(f"{stem}__*.*"))
        files = [f for f in files if f.suffix in (".csv", ".xml")]
        if not files:
            return None
        stamp = files[-1].stem.rsplit("__", 1)[1]
        return files[-1], dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC).timestamp()

    def _store(self, stem: str, body: bytes, ext: str) -> Path:
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        target = self.cache_dir / f"{stem}__{now:%Y%m%dT%H%M%S}.{ext}"
        if target.exists():
            raise IstatError(f"{target.name} esiste già: un rilascio non si sovrascrive")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(body)
        sidecar = self.cache_dir / RELEASES_FILE
        with FileLock(str(sidecar) + ".lock"):
            fresh = not sidecar.exists()
            with open(sidecar, "a", encoding="utf-8", newline="") as fh:
                if fresh:
                    fh.write("file,rilascio,provvisorio\n")
                fh.write(f"{target.name},{now.astimezone(ROME):%Y-%m-%d},no\n")
        tmp.replace(target)  # a cache entry is complete or absent
        self._save_state(stem)
        return target

    def _state(self) -> dict:
        try:
            return json.loads((self.cache_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _save_state(self, stem: str) -> None:
        path = self.cache_dir / STATE_FILE
        with FileLock(str(path) + ".lock"):
            state = self._state()
            state[stem] = self.clock()
            path.write_text(json.dumps(state), encoding="utf-8")

    # -- HTTP --

    def _get(self, url: str, params: dict, accept: str, missing_ok: bool = False) -> bytes | None:
        """GET through the ledger; 5xx and network errors retried with exponential backoff (each
        retry booked like any request), 429 records the ban and raises IstatBloccato at once."""
        last = None
        for attempt in range(self.retries):
            self.registro.prenota()
            self.calls += 1
            wait = self.backoff * 2 ** attempt
            try:
                resp = self.session.get(url, params=params, headers={"Accept": accept}, timeout=self.timeout)
            except requests.RequestException as exc:
                last = f"errore di rete ({type(exc).__name__})"
            else:
                if resp.status_code == 200:
                    return resp.content
                if resp.status_code == 429:
                    now = self.clock()
                    until = retry_after(resp.headers.get("Retry-After"), now) or now + self.blocco_predefinito
                    self.registro.blocca(until)
                    raise IstatBloccato(messaggio_blocco(until), until)
                if resp.status_code == 404:
                    if missing_ok:
                        return None
                    raise IstatError(f"Istat non ha dati per {url} (404): controllare id del dataflow e chiave "
                                     f"in data/registry/{CONFIG.name}")
                last = f"risposta HTTP {resp.status_code}"
                now = self.clock()
                wait = max(wait, (retry_after(resp.headers.get("Retry-After"), now) or now) - now)
            if attempt < self.retries - 1:
                self.sleep(wait)
        raise IstatError(f"Il servizio Istat non ha risposto dopo {self.retries} tentativi ({last}): {url}")


def _has_observations(body: bytes, fmt: str) -> bool:
    if fmt != "csv":
        return b"Obs" in body or b"<Observation" in body
    lines = [ln for ln in body.decode("utf-8-sig", errors="replace").splitlines() if ln.strip()]
    return len(lines) > 1
