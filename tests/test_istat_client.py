"""The Istat web-service client against the project's own fake service (tests/fake_istat.py), with faults.

Istat's rules the client must keep: at most 5 requests in any 60 s across every process; no request
after a 429, and the office told until when; every period of annual, quarterly and monthly flows
despite the endPeriod quirk; a revision fetched as a new release, the old file untouched. Tests use
a short window (2 s) or an injected clock so nothing sleeps for minutes; production stays 5 / 60 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipelines.formats import parse_sdmx_csv
from pipelines.istat import (IstatBloccato, IstatClient, IstatError, RegistroRichieste, load_config,
                             period_params)

HERE = Path(__file__).resolve().parent
FAKE = HERE / "fake_istat.py"
HEADER = "DATAFLOW,FREQ,REF_AREA,DATA_TYPE,TIME_PERIOD,OBS_VALUE,UNIT_MEAS,UNIT_MULT,OBS_STATUS\n"


def periods(freq: str, first: int, last: int) -> list[str]:
    out = []
    for y in range(first, last + 1):
        out += [str(y)] if freq == "A" else [f"{y}-Q{q}" for q in range(1, 5)] if freq == "Q" \
            else [f"{y}-{m:02d}" for m in range(1, 13)]
    return out


def flow_csv(flow: str, freq: str, first: int = 2015, last: int = 2025, shift: float = 0.0) -> str:
    rows = [f"IT1:{flow}(1.0),{freq},ITE12,EXP,{p},{1000 + i + shift},n,0,\n"
            for i, p in enumerate(periods(freq, first, last))]
    return HEADER + "".join(rows)


class Fake:
    """The fake service in its own process; `log()` is every request it received."""

    def __init__(self, tmp: Path, *options: str, flows: dict[str, str] | None = None):
        self.data = tmp / "servizio"
        self.data.mkdir(exist_ok=True)
        for flow, freq in (flows or {"22_289": "A", "139_176": "Q", "flusso_mensile": "M"}).items():
            (self.data / f"{flow}.csv").write_text(flow_csv(flow, freq), encoding="utf-8")
            os.utime(self.data / f"{flow}.csv", (time.time() - 86400,) * 2)   # published yesterday
        self.log_path = tmp / "richieste.jsonl"
        self.proc = subprocess.Popen([sys.executable, str(FAKE), "--data", str(self.data), "--log", str(self.log_path),
                                      *options], stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()

    def log(self) -> list[dict]:
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


@pytest.fixture
def fake(tmp_path):
    servers = []

    def start(*options, flows=None):
        servers.append(Fake(tmp_path, *options, flows=flows))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


def most_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max((sum(1 for u in times[i:] if u - t < window) for i, t in enumerate(times)), default=0)


def client(url: str, cache: Path, **kw) -> IstatClient:
    kw = {"limite": 5, "finestra": 2.0, "margine": 0.3, "backoff": 0.05, "retries": 3, "timeout": 10, **kw}
    return IstatClient(base_url=url, cache_dir=cache, **kw)


# --- configuration ---------------------------------------------------------------------------------

def test_dataflow_ids_are_always_strings(tmp_path):
    config = tmp_path / "flussi.yaml"
    config.write_text(textwrap.dedent("""\
        servizio: {url: x, agenzia: IT1, richieste_per_finestra: 5, finestra_secondi: 60, timeout_secondi: 1,
                   tentativi: 1, attesa_tra_tentativi_secondi: 1, rivalida_dopo_giorni: 6, blocco_senza_retry_after_ore: 24}
        dataflow:
          commercio_estero: {id: 139_176, frequenza: Q, inizio: 2023, fine: 2024}
        """), encoding="utf-8")
    flow = load_config(config)["dataflow"]["commercio_estero"]
    assert flow["id"] == "139_176" and flow["inizio"] == "2023"   # plain YAML would give 139176 and 2023
    shipped = load_config()
    assert all(isinstance(f["id"], str) for f in shipped["dataflow"].values())
    assert shipped["dataflow"]["commercio_estero"]["id"] == "139_176"
    assert shipped["servizio"]["richieste_per_finestra"] <= 5 and shipped["servizio"]["finestra_secondi"] >= 60


def test_base_url_and_cache_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OSSERVATORIO_ISTAT_URL", "http://127.0.0.1:9/rest")
    monkeypatch.setenv("OSSERVATORIO_ISTAT_CACHE", str(tmp_path / "cache"))
    c = IstatClient.from_config()
    assert c.base_url == "http://127.0.0.1:9/rest" and c.cache_dir == tmp_path / "cache"
    assert (c.limite, c.finestra) == (5, 60.0)   # the production budget


def test_end_period_moves_back_one_period_of_the_flow_frequency():
    assert period_params("A", "2023", "2024") == {"startPeriod": "2023", "endPeriod": "2023"}
    assert period_params("Q", "2023", "2024") == {"startPeriod": "2023-Q1", "endPeriod": "2024-Q3"}
    assert period_params("M", "2023", "2024") == {"startPeriod": "2023-01", "endPeriod": "2024-11"}
    assert period_params("Q", "2023-Q2", "2024-Q1") == {"startPeriod": "2023-Q2", "endPeriod": "2023-Q4"}
    assert period_params("M", "2024-01", "2024-01") == {"startPeriod": "2024-01"}   # never before the start


# --- periods against the fake service -----------------------------------------------------------------

@pytest.mark.parametrize("flow,freq,start,end,expected", [
    ("22_289", "A", "2023", "2024", periods("A", 2023, 2024)),
    ("139_176", "Q", "2023", "2024", periods("Q", 2023, 2024)),
    ("flusso_mensile", "M", "2023", "2024", periods("M", 2023, 2024)),
    ("139_176", "Q", "2023-Q2", "2024-Q1", ["2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1"]),
    ("flusso_mensile", "M", "2024-11", "2025-02", ["2024-11", "2024-12", "2025-01", "2025-02"]),
])
def test_every_period_of_the_requested_range(fake, tmp_path, flow, freq, start, end, expected):
    server = fake()
    path, new = client(server.url, tmp_path / "cache").fetch(flow, "", start, end, freq=freq)
    assert new
    got = parse_sdmx_csv(path)["periodo"].tolist()
    from pipelines.formats import istat_period
    assert got == [istat_period(p) for p in expected]
    assert [r["status"] for r in server.log()] == [200]


# --- the budget of requests ------------------------------------------------------------------------

def test_ledger_never_books_more_than_five_in_a_window_with_an_injected_clock(tmp_path):
    now = [1_000_000.0]

    def sleep(s):
        now[0] += s

    def tick():
        now[0] += 0.5   # every request takes half a second
        return now[0]

    path = tmp_path / "registro.json"
    booked = []
    two_processes = [RegistroRichieste(path, 5, 60.0, 1.0, clock=tick, sleep=sleep) for _ in range(2)]
    for i in range(17):
        two_processes[i % 2].prenota()
        booked.append(now[0])
    assert most_in_window(booked, 60.0) == 5
    assert booked[-1] - booked[0] > 3 * 60   # 17 requests need more than three windows


CHILD = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from pipelines.istat import IstatClient
    url, cache, tag = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    c = IstatClient(base_url=url, cache_dir=cache, limite=5, finestra=2.0, margine=0.3, backoff=0.05, retries=2)
    for i in range(6):
        c.fetch("22_289", f"A.{tag}{i}", "2023", "2024")
    print(c.calls)
    """)


def test_two_refreshes_at_once_share_five_requests_per_window(fake, tmp_path):
    """Two processes, one cache folder: Istat (here: ban over 5 in 2 s) never sees more than 5 in a window."""
    server = fake("--ban-over", "5", "--window", "2", "--ban-seconds", "600")
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, server.url, str(cache), tag], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in ("X", "Y")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-1500:] for o in outs]
    log = server.log()
    assert len(log) == 12 and {r["status"] for r in log} == {200}
    assert most_in_window([r["t"] for r in log], 2.0) <= 5


# --- faults ---------------------------------------------------------------------------------------

def test_a_ban_stops_the_refresh_at_once_and_says_until_when(fake, tmp_path):
    server = fake("--ban-after", "2", "--ban-seconds", "7200")
    flows = load_config()["dataflow"]
    flows = {n: {**f, "id": i} for (n, f), i in zip(flows.items(), ["22_289", "139_176", "flusso_mensile", "22_289"])}
    c = client(server.url, tmp_path / "cache")
    with pytest.raises(IstatBloccato) as err:
        c.aggiorna(flows, log=lambda s: None)
    log = server.log()
    assert [r["status"] for r in log] == [200, 429]   # nothing after the 429, no retry
    assert abs(err.value.fino - (log[1]["t"] + 7200)) < 5   # Retry-After honoured
    assert "bloccato" in str(err.value) and "fino al" in str(err.value) and " alle " in str(err.value)
    # another process of the project, later: refuses before calling Istat
    with pytest.raises(IstatBloccato, match="nessuna richiesta è stata inviata"):
        client(server.url, tmp_path / "cache").aggiorna(flows, log=lambda s: None)
    assert len(server.log()) == 2
    assert len(list((tmp_path / "cache").glob("22_289__*.csv"))) == 1   # what was downloaded stays


def test_server_errors_are_retried_through_the_ledger(fake, tmp_path):
    server = fake("--fail-every", "2")
    c = client(server.url, tmp_path / "cache")
    for flow, freq in (("22_289", "A"), ("139_176", "Q"), ("flusso_mensile", "M")):
        path, _ = c.fetch(flow, "", "2023", "2024", freq=freq)
        assert len(parse_sdmx_csv(path)) == {"A": 2, "Q": 8, "M": 24}[freq]
    statuses = [r["status"] for r in server.log()]
    assert statuses.count(500) == 2 and statuses.count(200) == 3 and c.calls == 5
    ledger = json.loads((tmp_path / "cache" / ".richieste_istat.json").read_text())
    assert len(ledger["richieste"]) <= 5


def test_a_slow_service_times_out_into_an_italian_error_and_caches_nothing(fake, tmp_path):
    server = fake("--slow", "1.5")
    c = client(server.url, tmp_path / "cache", timeout=0.3, retries=2)
    with pytest.raises(IstatError, match=r"non ha risposto dopo 2 tentativi \(errore di rete"):
        c.fetch("22_289", "", "2023", "2024")
    assert not [p for p in (tmp_path / "cache").glob("*") if p.suffix in (".csv", ".xml")]
    with pytest.raises(IstatError, match="controllare id del dataflow"):
        client(server.url, tmp_path / "cache2", timeout=10).fetch("99_999")


# --- cache and revisions ------------------------------------------------------------------------------

def test_rerun_reads_the_cache_and_a_revision_arrives_as_a_new_release(fake, tmp_path):
    server = fake()
    now = [time.time()]

    def sleep(s):
        now[0] += s

    cache = tmp_path / "cache"
    c = client(server.url, cache, clock=lambda: now[0], sleep=sleep, rivalida_dopo=6 * 86400)
    first, new = c.fetch("139_176", "", "2023", "2024", freq="Q")
    assert new and len(server.log()) == 1
    assert c.fetch("139_176", "", "2023", "2024", freq="Q") == (first, False)
    assert len(server.log()) == 1   # a rerun within six days never calls Istat
    original = first.read_bytes()

    now[0] += 7 * 86400   # a week later, nothing changed at Istat: one updatedAfter request, answered 404
    assert c.fetch("139_176", "", "2023", "2024", freq="Q") == (first, False)
    assert "updatedAfter=" in server.log()[-1]["path"] and server.log()[-1]["status"] == 404

    now[0] += 7 * 86400   # another week: Istat revised the flow
    revised = server.data / "139_176.csv"
    revised.write_text(flow_csv("139_176", "Q", shift=0.5), encoding="utf-8")
    os.utime(revised, (now[0] - 3600, now[0] - 3600))
    second, new = c.fetch("139_176", "", "2023", "2024", freq="Q")
    assert new and second != first and first.read_bytes() == original   # the old release is untouched
    assert parse_sdmx_csv(second)["valore"].tolist() == [v + 0.5 for v in parse_sdmx_csv(first)["valore"]]
    releases = (cache / "_rilasci.csv").read_text().splitlines()
    assert releases[0] == "file,rilascio,provvisorio" and len(releases) == 3
    assert releases[1].split(",")[0] == first.name and releases[2].split(",")[0] == second.name
    assert releases[1].split(",")[1] < releases[2].split(",")[1]   # two releases, two dates
    assert [r["status"] for r in server.log()] == [200, 404, 200, 200]


# --- the refresh as the office runs it -----------------------------------------------------------------

def registry_flows() -> dict[str, str]:
    """The shipped registry's dataflows, served by the fake with data in their own frequency."""
    return {f["id"]: f["frequenza"] for f in load_config()["dataflow"].values()}


def run_cli(home: Path, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OSSERVATORIO_HOME": str(home), "OSSERVATORIO_ISTAT_URL": url,
           "DAGSTER_HOME": str(home / "dagster")}
    env.pop("OSSERVATORIO_ISTAT_CACHE", None)
    env.pop("OSSERVATORIO_LANDING", None)
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "istat"], cwd=HERE.parent, env=env,
                          capture_output=True, text=True, timeout=600)


def test_osservatorio_istat_downloads_the_registry_into_landing(fake, tmp_path):
    server = fake(flows=registry_flows())
    home = tmp_path / "home"
    out = run_cli(home, server.url)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "4 richieste" in out.stdout and "riuscita" in out.stdout
    cache = home / "landing" / "istat_sdmx"
    quarters = parse_sdmx_csv(next(cache.glob("139_176__*.csv")))["periodo"]
    assert len(quarters) == 7 * 4   # 2018-2024, every quarter
    again = run_cli(home, server.url)
    assert again.returncode == 0 and "0 richieste" in again.stdout and len(server.log()) == 4   # the cache


def test_a_ban_fails_the_job_with_the_italian_message(fake, tmp_path):
    server = fake("--ban-after", "3", "--ban-seconds", "86400", flows=registry_flows())
    out = run_cli(tmp_path / "home", server.url)
    assert out.returncode == 1
    assert "Istat ha bloccato questo client" in out.stderr and "fino al" in out.stderr
    assert [r["status"] for r in server.log()] == [200, 200, 429]   # no Dagster retry after a 429


def test_download_is_an_asset_upstream_of_raw_istat_sdmx():
    import dagster as dg

    from assets.istat import RISPOSTE_ISTAT
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    assert RISPOSTE_ISTAT in graph.get(dg.AssetKey(["raw", "istat_sdmx"])).parent_keys
    node = graph.get(RISPOSTE_ISTAT)
    assert node.pools == {"istat_web"}
    assert defs.resolve_assets_def(RISPOSTE_ISTAT).op.retry_policy.max_retries >= 1
    selected = defs.resolve_job_def("aggiorna_istat").asset_layer.selected_asset_keys
    assert selected == {RISPOSTE_ISTAT}
    for job in ("osservatorio_completo", "contesto_economico", "salute_ente"):   # a rebuild never calls Istat
        assert RISPOSTE_ISTAT not in defs.resolve_job_def(job).asset_layer.selected_asset_keys
