"""Shared fixtures: an isolated Osservatorio home per test, and one full build of the bundled Lucca data."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

PROJECT = Path(__file__).resolve().parents[1]
REFERENCE = PROJECT / "data" / "reference" / "lucca"
SAMPLE = PROJECT / "data" / "sample" / "lucca"


def run_main_job(raise_on_error: bool = False, job: str | None = None, camera: str | None = None,
                 tutte: bool = False) -> dg.ExecuteInProcessResult:
    """The main job (or `job`) for one Camera's partition (default: the default Camera), or every partition."""
    from pipelines.jobs import MAIN_JOB
    from pipelines.runs import esegui_lavoro

    return esegui_lavoro(dg.DagsterInstance.ephemeral(), job or MAIN_JOB, camera, tutte=tutte,
                         raise_on_error=raise_on_error,
                         run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})


def run_publication(camera: str | None = None, edizioni: list[str] | None = None) -> list[dg.ExecuteInProcessResult]:
    """Publish a Camera's editions (its partition of the publishing job) from the warehouse as it is."""
    from pipelines.runs import esegui
    from pipelines.settings import camera_predefinita

    return esegui(dg.DagsterInstance.ephemeral(), [camera or camera_predefinita()], edizioni=edizioni,
                  aggiorna=False, log_level="ERROR")


def step_failures(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    from pipelines.runs import failure_messages

    return failure_messages(result)


def run_ente_job(raise_on_error: bool = False, camera: str | None = None) -> dg.ExecuteInProcessResult:
    """Only the Camera's health (balance sheet, targets, published values, panel): quicker."""
    from pipelines.jobs import ENTE_JOB

    return run_main_job(raise_on_error, job=ENTE_JOB, camera=camera)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty Osservatorio home (warehouse, landing, output) for one test."""
    monkeypatch.setenv("OSSERVATORIO_HOME", str(tmp_path))
    monkeypatch.delenv("OSSERVATORIO_WAREHOUSE", raising=False)
    monkeypatch.delenv("OSSERVATORIO_LANDING", raising=False)
    return tmp_path


@pytest.fixture
def landing(home) -> Path:
    """landing/ of the test home; files put here replace the bundled sample of their source."""
    return home / "landing"


def drop(landing: Path, fonte: str, source: Path, name: str | None = None) -> Path:
    target = landing / fonte / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


@pytest.fixture(scope="session")
def lucca_warehouse(tmp_path_factory) -> Path:
    """The warehouse built once by the main job on the bundled Lucca sample (read it, never write)."""
    return build_in_home(tmp_path_factory.mktemp("lucca"))


def build_in_home(home: Path, job: str | None = None) -> Path:
    """Run a job (the main one by default, then the publication of the default Camera) with
    OSSERVATORIO_HOME = home; return its warehouse file."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OSSERVATORIO_HOME", str(home))
        result = run_main_job(job=job)
        assert result.success, step_failures(result)
        if job is None:  # a half of the warehouse (context or health only) has nothing to publish
            published = run_publication()
            assert all(r.success for r in published), [step_failures(r) for r in published]
    return home / "warehouse" / "osservatorio.duckdb"


@pytest.fixture
def lucca(lucca_warehouse):
    conn = duckdb.connect(str(lucca_warehouse), read_only=True)
    yield conn
    conn.close()


def table_snapshot(path: Path) -> dict[str, list]:
    """Every row of every table, to prove a failed run changed nothing."""
    conn = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        snapshot = {}
        for n in names:
            cols = {r[0] for r in conn.execute(f"DESCRIBE {n}").fetchall()}
            query = f"SELECT * EXCLUDE (caricato_il) FROM {n}" if "caricato_il" in cols else f"SELECT * FROM {n}"
            snapshot[n] = sorted(map(repr, conn.execute(query).fetchall()))
        return snapshot
    finally:
        conn.close()
