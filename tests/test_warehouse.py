"""The warehouse documents itself in Italian, keeps its layers, and lets readers in read-only."""

from __future__ import annotations

from pathlib import Path

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


def test_a_model_is_rebuilt_only_when_its_sql_or_an_input_changed(tmp_path):
    from pipelines.warehouse import Warehouse, build_model, record_signature

    wh = Warehouse(path=str(tmp_path / "w.duckdb"))
    model = tmp_path / "marts" / "somma.sql"
    model.parent.mkdir()
    model.write_text("SELECT sum(v) AS totale FROM raw.valori")
    with wh.writer() as conn:
        conn.execute("CREATE TABLE raw.valori AS SELECT 1 AS v")
        assert build_model(conn, model) == (1, True)
        assert build_model(conn, model) == (1, False)  # nothing changed: left as it is
        conn.execute("INSERT INTO raw.valori VALUES (2)")  # an input without a recorded version: its rows count
        assert build_model(conn, model) == (1, True)
        assert conn.execute("SELECT totale FROM marts.somma").fetchone()[0] == 3
        record_signature(conn, "raw.valori", "caricamento-1")  # a writer that records its data version
        assert build_model(conn, model)[1] is True
        assert build_model(conn, model)[1] is False
        record_signature(conn, "raw.valori", "caricamento-2")
        assert build_model(conn, model)[1] is True
    model.write_text("SELECT sum(v) * 2 AS totale FROM raw.valori")  # the code changed
    with wh.writer() as conn:
        assert build_model(conn, model)[1] is True
        assert conn.execute("SELECT totale FROM marts.somma").fetchone()[0] == 6
        conn.execute("DROP TABLE marts.somma")  # a table gone is rebuilt even with its signature recorded
        assert build_model(conn, model)[1] is True


def test_memory_ceiling_and_spill_folder_come_from_the_settings(tmp_path, monkeypatch):
    from pipelines.warehouse import Warehouse

    monkeypatch.setenv("OSSERVATORIO_DUCKDB_MEMORIA", "100MB")
    monkeypatch.setenv("OSSERVATORIO_DUCKDB_TEMP", str(tmp_path / "spill"))
    warehouse = Warehouse(path=str(tmp_path / "w.duckdb"))
    with warehouse.writer() as conn:
        limit, temp = conn.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
        assert not (tmp_path / "spill").exists()
        # a sort larger than the ceiling spills to the folder (DuckDB makes it when it first spills)
        conn.execute("SET threads = 1")
        n = conn.execute("SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS h FROM range(2000000) t(i) "
                         "ORDER BY h)").fetchone()[0]
        spilled = (tmp_path / "spill").is_dir()
    assert limit in ("95.3 MiB", "100.0 MB") and Path(temp) == tmp_path / "spill"
    assert n == 2_000_000 and spilled


def test_a_memory_ceiling_duckdb_would_refuse_is_named_in_italian(monkeypatch):
    from pipelines.warehouse import duckdb_config

    monkeypatch.setenv("OSSERVATORIO_DUCKDB_MEMORIA", "tanta")
    with pytest.raises(ValueError, match="OSSERVATORIO_DUCKDB_MEMORIA = «tanta» non è una quantità di memoria"):
        duckdb_config()
