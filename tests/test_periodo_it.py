"""periodo_it (sql/_macros.sql): the periods of the findings as the office writes them, the dates exactly as
pipelines.italiano.data writes them for the chapter (Babel, it_IT), so a message and the chapter agree."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines import italiano as it
from pipelines.warehouse import MACROS


@pytest.fixture(scope="module")
def conn():
    c = duckdb.connect()
    c.execute(MACROS.read_text(encoding="utf-8"))
    return c


def periodo_it(conn, p):
    return conn.execute("SELECT periodo_it(?)", [p]).fetchall()[0][0]


def test_dates_as_the_chapter_writes_them(conn):
    days = [dt.date(2011, 1, 1), dt.date(2018, 9, 30), dt.date(2011, 12, 31)]
    days += [dt.date(2016, m, 1 + m) for m in range(1, 13)]
    assert {d: periodo_it(conn, d.isoformat()) for d in days} == {d: it.data(d) for d in days}
    assert periodo_it(conn, "2011-01-01") == "1° gennaio 2011" and periodo_it(conn, "2011-12-31") == "31 dicembre 2011"


def test_other_periods(conn):
    assert [periodo_it(conn, p) for p in ("2018", "2020Q4", "2018H1", "2018M01-M09", "2018M05", "2011-2018")] == [
        "2018", "quarto trimestre 2020", "primo semestre 2018", "gennaio-settembre 2018", "maggio 2018", "2011-2018"]
    assert periodo_it(conn, "2018-02-30") == "2018-02-30"  # not a date: shown as given, never guessed
    assert periodo_it(conn, None) is None
