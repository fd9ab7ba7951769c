"""The Istat web-service client against a local fake server: rate limit, retries, cache, endPeriod quirk."""

from __future__ import annotations

import http.server
import threading

import pytest

from pipelines.formats import parse_sdmx_csv
from pipelines.istat import IstatClient, IstatError, RateLimiter

BODY = ("DATAFLOW,FREQ,REF_AREA,DATA_TYPE,TIME_PERIOD,OBS_VALUE,UNIT_MULT,OBS_STATUS\n"
        "IT1:22_289(1.0),A,ITE12,JAN,2021,383957,0,\n"
        "IT1:22_289(1.0),A,ITE12,JAN,2022,382543,0,\n"
        "IT1:22_289(1.0),A,ITE12,JAN,2023,381497,0,p\n")


class FakeIstat(http.server.BaseHTTPRequestHandler):
    requests: list = []
    failures_left = 0

    def do_GET(self):  # noqa: N802 - http.server's name
        FakeIstat.requests.append((self.path, self.headers.get("Accept")))
        if FakeIstat.failures_left > 0:
            FakeIstat.failures_left -= 1
            self.send_response(503)
            self.end_headers()
            return
        if "/data/IT1,22_289,1.0/" not in self.path:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.sdmx.data+csv")
        self.end_headers()
        self.wfile.write(BODY.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    FakeIstat.requests = []
    FakeIstat.failures_left = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeIstat)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/rest"
    httpd.shutdown()


def client(url, tmp_path, sleeps):
    return IstatClient(base_url=url, cache_dir=tmp_path, per_minute=5, backoff=15.0, sleep=sleeps.append,
                       limiter=RateLimiter(5, sleep=sleeps.append))


def test_end_period_quirk_and_cache(server, tmp_path):
    sleeps: list = []
    c = client(server, tmp_path, sleeps)
    path = c.fetch("22_289", "A.ITE12.JAN", start=2021, end=2022)
    path_again = c.fetch("22_289", "A.ITE12.JAN", start=2021, end=2022)
    assert path == path_again and c.calls == 1 and len(FakeIstat.requests) == 1  # the rerun reads the cache
    url, accept = FakeIstat.requests[0]
    assert "startPeriod=2021" in url and "endPeriod=2021" in url  # asks for end - 1
    assert accept == "application/vnd.sdmx.data+csv;version=1.0.0"
    frame = parse_sdmx_csv(path)
    assert sorted(frame["periodo"]) == ["2021", "2022"]  # the extra period returned is dropped
    assert set(frame["territorio"]) == {"ITE12"} and frame["valore"].tolist() == [383957.0, 382543.0]


def test_rate_limit_spaces_calls():
    now = [0.0]
    sleeps: list = []

    def sleep(s):
        sleeps.append(s)
        now[0] += s

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait()
        now[0] += 1.0  # each request takes a second
    assert sleeps == [11.0, 11.0, 11.0]  # 12 s between starts: 5 a minute


def test_retries_with_backoff_then_succeeds(server, tmp_path):
    FakeIstat.failures_left = 2
    sleeps: list = []
    c = client(server, tmp_path, sleeps)
    c.fetch("22_289", "", start=2021, end=2022)
    assert c.calls == 3
    assert [s for s in sleeps if s >= 15] == [15.0, 30.0]


def test_gives_up_with_an_italian_error(server, tmp_path):
    FakeIstat.failures_left = 10
    c = client(server, tmp_path, [])
    with pytest.raises(IstatError, match="non ha risposto dopo 4 tentativi"):
        c.fetch("22_289", "", start=2021, end=2022)
    assert not list(tmp_path.glob("*.csv"))  # nothing half-written in the cache
    FakeIstat.failures_left = 0
    with pytest.raises(IstatError, match="controllare id del dataflow"):
        IstatClient(base_url=server, cache_dir=tmp_path, sleep=lambda s: None,
                    limiter=RateLimiter(5, sleep=lambda s: None)).fetch("99_999")


def test_dataflow_ids_live_in_a_data_file():
    from pipelines.istat import load_config

    flows = load_config()["dataflow"]
    assert flows["popolazione_1_gennaio"]["id"] == "22_289_DF_DCIS_POPRES1_1"
    assert load_config()["servizio"]["richieste_al_minuto"] <= 5
