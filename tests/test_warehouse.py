"""The warehouse documents itself in Italian, keeps its layers, and lets readers in read-only."""

from __future__ import annotations

import duckdb
import pytest


def test_every_table_and_column_is_documented(lucca):
    tables = lucca.execute("SELECT schema_name, table_name, comment FROM duckdb_tables()").fetchall()
    assert {s for s, _, _ in tables} >= {"raw", "staging", "marts", "qualita", "meta"}
    undocumented = [f"{s}.{t}" for s, t, c in tables if not c]
    assert undocumented == []
    cols = lucca.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE comment IS NULL "
                         "AND schema_name IN ('raw','staging','marts','qualita','meta')").fetchall()
    assert cols == []


def test_every_raw_row_keeps_its_provenance(lucca):
    from pipelines import catalog

    for fonte, spec in catalog.fonti().items():
        table = spec["tabella_raw"]
        missing = lucca.execute(f"SELECT count(*) FROM {table} WHERE fonte IS NULL OR file_nome IS NULL "
                                "OR length(file_sha256) <> 64 OR riga IS NULL OR caricato_il IS NULL "
                                "OR campione IS NOT TRUE").fetchone()[0]
        assert missing == 0, table
        assert lucca.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, f"{fonte}: no sample loaded"
        if fonte not in ("benchmark_panel",):
            undated = lucca.execute(f"SELECT count(*) FROM {table} WHERE data_riferimento IS NULL").fetchone()[0]
            assert undated == 0, table
    stock = lucca.execute("SELECT DISTINCT data_riferimento::VARCHAR FROM raw.sil_avviamenti "
                          "WHERE periodo = '2018M01-M09'").fetchall()
    assert stock == [("2018-09-30",)]
    ref = lucca.execute("SELECT DISTINCT data_riferimento::VARCHAR FROM raw.bilancio_voci WHERE anno = 2017").fetchall()
    assert ref == [("2017-12-31",)]


def test_readers_open_read_only_while_the_file_exists(lucca_warehouse):
    reader = duckdb.connect(str(lucca_warehouse), read_only=True)
    with pytest.raises(duckdb.Error):
        reader.execute("CREATE TABLE marts.x AS SELECT 1")
    reader.close()


def test_failed_model_keeps_the_previous_table(tmp_path):
    from pathlib import Path

    from pipelines.warehouse import Warehouse, build_model

    wh = Warehouse(path=str(tmp_path / "w.duckdb"))
    good = tmp_path / "marts" / "prova.sql"
    good.parent.mkdir()
    good.write_text("SELECT 1 AS x")
    with wh.writer() as conn:
        build_model(conn, Path(good))
    good.write_text("SELECT * FROM tabella_che_non_esiste")
    with pytest.raises(duckdb.Error):
        with wh.writer() as conn:
            build_model(conn, Path(good))
    with wh.reader() as conn:
        assert conn.execute("SELECT x FROM marts.prova").fetchall() == [(1,)]
