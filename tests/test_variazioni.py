"""marts.contesto_variazioni on a tiny warehouse: years that arrive in separate releases still get their change."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.settings import SQL_DIR
from pipelines.warehouse import build_model

COLUMNS = ("fonte VARCHAR, territorio_id VARCHAR, territorio VARCHAR, livello VARCHAR, periodo VARCHAR, "
           "periodo_prec VARCHAR, dimensione VARCHAR, valore_dimensione VARCHAR, misura VARCHAR, valore DOUBLE, "
           "unita VARCHAR, risoluzione DOUBLE, rilascio DATE, provvisorio BOOLEAN, natura VARCHAR, anno INTEGER")


def _variazioni(rows: list[tuple]) -> list[tuple]:
    conn = duckdb.connect()
    conn.execute("CREATE SCHEMA marts")
    conn.execute(f"CREATE TABLE marts.contesto_osservazioni ({COLUMNS})")
    # the classification versions the model reads (none for this source: no break)
    conn.execute("CREATE SCHEMA meta; CREATE SCHEMA staging")
    conn.execute("CREATE TABLE meta.classificazioni (fonte VARCHAR, versione VARCHAR, valida_dal VARCHAR, valida_al VARCHAR)")
    conn.execute("CREATE TABLE staging.stg_ateco_confrontabili (versione VARCHAR, sezione VARCHAR, raggruppamento VARCHAR)")
    for periodo, valore, rilascio in rows:
        conn.execute("INSERT INTO marts.contesto_osservazioni VALUES ('mef_irpef', 'P046', 'Lucca', 'provincia', ?, ?, "
                     "'totale', 'Totale', 'contribuenti', ?, 'n', 1, ?, false, 'ufficiale', ?)",
                     [periodo, str(int(periodo) - 1), valore, dt.date.fromisoformat(rilascio), int(periodo)])
    build_model(conn, SQL_DIR / "marts" / "contesto_variazioni.sql")
    return conn.execute(
        "SELECT periodo, rilascio::VARCHAR, rilascio_corrente::VARCHAR, rilascio_prec::VARCHAR, valore, valore_prec, "
        "variazione_pct, ultimo_rilascio FROM marts.contesto_variazioni ORDER BY periodo, rilascio").fetchall()


def test_years_in_separate_releases_are_compared():
    # one file a year, as MEF publishes: 2016 out in 2018, 2017 out in 2019
    rows = _variazioni([("2016", 200.0, "2018-03-01"), ("2017", 210.0, "2019-03-01")])
    assert rows == [("2017", "2019-03-01", "2019-03-01", "2018-03-01", 210.0, 200.0, pytest.approx(5.0), True)]


def test_a_revision_of_either_year_gives_a_new_comparison_with_its_releases():
    rows = _variazioni([("2016", 200.0, "2018-03-01"), ("2017", 210.0, "2019-03-01"),
                        ("2016", 205.0, "2019-06-01"),   # the earlier year revised after the later one came out
                        ("2017", 220.0, "2020-03-01")])  # then the later year revised
    assert [r[:6] for r in rows] == [
        ("2017", "2019-03-01", "2019-03-01", "2018-03-01", 210.0, 200.0),
        ("2017", "2019-06-01", "2019-03-01", "2019-06-01", 210.0, 205.0),
        ("2017", "2020-03-01", "2020-03-01", "2019-06-01", 220.0, 205.0),
    ]
    assert [r[7] for r in rows] == [False, False, True]


def test_no_change_before_the_current_period_is_out():
    # a release of the previous year alone, dated before the current year exists, pairs nothing
    rows = _variazioni([("2017", 210.0, "2019-03-01"), ("2016", 200.0, "2019-01-01"), ("2015", 190.0, "2017-01-01")])
    assert [(r[0], r[1], r[3]) for r in rows] == [("2016", "2019-01-01", "2017-01-01"), ("2017", "2019-03-01", "2019-01-01")]
