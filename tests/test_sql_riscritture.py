"""The context models rewritten for speed (issue #13) give exactly the rows of their earlier versions
(`benchmarks/sql_prima/`), on the bundled Lucca data and on a generated national sample: EXCEPT ALL
both ways, duplicates counted. No timing here: speed is measured in benchmarks/bench_sql.py."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from conftest import build_in_home

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks import bench_sql  # noqa: E402


@pytest.fixture(scope="module")
def national_warehouse(tmp_path_factory) -> Path:
    """The context half of the warehouse built on a small national sample (every province, two years)."""
    from benchmarks import nazionale
    from pipelines.jobs import CONTESTO_JOB

    home = tmp_path_factory.mktemp("nazionale")
    nazionale.genera(home / "landing", scala=0.002)
    return build_in_home(home, job=CONTESTO_JOB)


def _same_rows(path: Path, modello: str) -> dict:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return bench_sql.differenze(conn, modello)
    finally:
        conn.close()


@pytest.mark.parametrize("modello", bench_sql.MODELLI)
def test_same_rows_as_before_on_lucca(lucca_warehouse, modello):
    diff = _same_rows(lucca_warehouse, modello)
    assert diff["solo_prima"] == 0 and diff["solo_dopo"] == 0, diff
    assert diff["righe_prima"] == diff["righe_dopo"]


@pytest.mark.parametrize("modello", bench_sql.MODELLI)
def test_same_rows_as_before_on_a_national_sample(national_warehouse, modello):
    diff = _same_rows(national_warehouse, modello)
    assert diff["solo_prima"] == 0 and diff["solo_dopo"] == 0, diff
    assert diff["righe_dopo"] > 0, "the sample must exercise the model"


def test_comparison_sees_a_changed_row(lucca_warehouse, monkeypatch):
    """The comparison itself can fail: a composition computed against a different parent differs."""
    real = bench_sql.sql

    def broken(modello, prima):
        text = real(modello, prima)
        return text if prima else text.replace("100.0 * c.valore / t.valore", "100.0 * c.valore / (t.valore + 1)")

    monkeypatch.setattr(bench_sql, "sql", broken)
    diff = _same_rows(lucca_warehouse, "marts/contesto_composizione")
    assert diff["solo_prima"] > 0 and diff["solo_dopo"] > 0


def test_provinces_ahead_in_order(national_warehouse):
    """precedenti_regione lists exactly the provinces of the region with a higher value, highest first
    (the comparison with the earlier version takes these lists as sets, since both list ties in no fixed order)."""
    conn = duckdb.connect(str(national_warehouse), read_only=True)
    try:
        rows = conn.execute("SELECT fonte, rilascio, periodo, dimensione, valore_dimensione, misura, regione_id, "
                            "territorio, valore, precedenti_regione FROM marts.contesto_ranghi").fetchall()
    finally:
        conn.close()
    series: dict[tuple, dict[str, float]] = {}
    for *key, name, value, _ in rows:
        series.setdefault(tuple(key), {})[name] = value
    checked = 0
    for *key, name, value, ahead in rows:
        values = series[tuple(key)]
        assert sorted(ahead) == sorted(n for n, v in values.items() if v > value), (key, name)
        assert [values[n] for n in ahead] == sorted((values[n] for n in ahead), reverse=True), (key, name)
        checked += len(ahead) > 1
    assert checked > 0, "the sample must have provinces with more than one ahead"
