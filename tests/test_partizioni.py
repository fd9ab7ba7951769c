"""The Camera as a Dagster partition down to the office's extracts and the health tables (issue #7).

Each Camera delivers in its own folder, landing/<fonte>/<codice>/; a run for one Camera loads that folder
only and rebuilds only that Camera's rows of the per-Camera tables, which must equal the whole model's
rows. The balance sheet below is Lucca's bundled one (data/sample/lucca/bilancio/) with its code changed.
"""

from __future__ import annotations

import re
import shutil

import dagster as dg
import duckdb
import pytest

from conftest import SAMPLE, run_ente_job, step_failures, table_snapshot

BILANCIO = SAMPLE / "bilancio" / "bilancio_lucca_pp2019.csv"


def balance_sheet(camera: str, anno: int = 2017, come: int | None = None) -> str:
    """Lucca's actuals of `anno` as `camera`'s (of the year `come`, if given), header included."""
    lines = BILANCIO.read_text(encoding="utf-8").splitlines()
    rows = [re.sub(r"^LU,\d{4},", f"{camera},{come or anno},", r) for r in lines if r.startswith(f"LU,{anno},consuntivo,")]
    return "\n".join([lines[0], *rows]) + "\n"


def deliver(landing, camera: str | None, name: str, text: str):
    folder = landing / "bilancio" / camera if camera else landing / "bilancio"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def partitioned_tables() -> list[str]:
    from pipelines import catalog

    return sorted(t for t, d in catalog.documentazione_tabelle().items() if d.get("partizione"))


def rows(conn, table: str, camera: str) -> list:
    return sorted(map(repr, conn.execute(f"SELECT * FROM {table} WHERE camera = ?", [camera]).fetchall()))


def test_a_merged_camera_covers_the_camere_it_absorbed():
    from pipelines.partizioni import camere_partizioni, codici_camera
    from pipelines.settings import camere

    every = camere()
    merged = next(c for c, cam in every.items() if cam.attiva and any(o.confluita_in == c for o in every.values()))
    absorbed = sorted(c for c, cam in every.items() if cam.confluita_in == merged)
    assert codici_camera(merged)[0] == merged and set(absorbed) <= set(codici_camera(merged))
    assert codici_camera(absorbed[0]) == [absorbed[0]]
    assert set(camere_partizioni.get_partition_keys()) == set(every)
    with pytest.raises(KeyError):
        codici_camera("ZZZ")


def test_office_extracts_and_health_tables_are_partitioned_the_context_is_not():
    from pipelines.definitions import defs
    from pipelines.partizioni import camere_partizioni

    graph = defs.resolve_asset_graph()
    partitioned = {k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).partitions_def}
    for table in partitioned_tables() + ["raw/bilancio_voci", "raw/benchmark_valori", "raw/obiettivi_salute"]:
        assert table.replace(".", "/") in partitioned, table
        assert graph.get(dg.AssetKey(table.replace(".", "/").split("/"))).partitions_def == camere_partizioni
    for table in ("marts/contesto_osservazioni", "marts/benchmark_confronto", "qualita/rilievi_ente", "istantanea"):
        assert table not in partitioned, table  # once for every Camera


def test_a_camera_run_loads_its_folder_and_rebuilds_its_rows_only(home, landing, capsys):
    from pipelines.cli import _print_waiting
    from pipelines.warehouse import model_table, render_model, sql_models

    warehouse = home / "warehouse" / "osservatorio.duckdb"
    deliver(landing, None, "bilancio_lucca.csv", BILANCIO.read_text(encoding="utf-8"))  # the default Camera's folder
    deliver(landing, "PI", "bilancio_pisa_2017.csv", balance_sheet("PI"))
    result = run_ente_job()  # the default Camera's partition: Pisa's folder waits
    assert result.success, step_failures(result)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT DISTINCT camera, camera_consegna FROM raw.bilancio_voci").fetchall() == [("LU", "LU")]
        built = {f"{s}.{t}" for s, t in conn.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
        tables = [t for t in partitioned_tables() if t in built]  # the health job's, not the publishing marts
        lucca = {t: rows(conn, t, "LU") for t in tables}
    assert len(tables) >= 8
    assert lucca["marts.stato_salute"]
    capsys.readouterr()
    _print_waiting(["LU"])  # what `osservatorio run` says after Lucca's run: Pisa's file waits, and for what
    assert "landing/bilancio/PI/ (1 file): osservatorio run --camera PI" in capsys.readouterr().out

    result = run_ente_job(camera="PI")
    assert result.success, step_failures(result)
    built = {e.asset_key.to_user_string(): e.partition for e in result.get_asset_materialization_events()}
    assert built["raw/bilancio_voci"] == "PI" and built["marts/stato_salute"] == "PI"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT camera_consegna, count(*) FROM raw.bilancio_voci WHERE camera = 'PI' "
                            "GROUP BY ALL").fetchall() == [("PI", 30)]
        assert conn.execute("SELECT count(*) FROM marts.stato_salute WHERE camera = 'PI'").fetchone()[0] > 0
        for table, before in lucca.items():  # Lucca's rows left as they were
            assert rows(conn, table, "LU") == before, table
    _print_waiting(["LU"])
    assert "in attesa" not in capsys.readouterr().out

    # every partitioned table, built slice by slice, holds exactly what the whole model gives
    copy = home / "copia.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as conn:
        paths = {model_table(p): p for p in sql_models()}
        for table in tables:
            conn.execute((paths[table].parents[1] / "_macros.sql").read_text(encoding="utf-8"))
            sql = render_model(paths[table])
            for a, b in ((f"({sql})", table), (table, f"({sql})")):
                extra = conn.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0]
                assert extra == 0, table


def test_a_camera_folder_takes_its_rows_and_those_of_the_camere_it_absorbed(home, landing):
    from pipelines.settings import camere

    warehouse = home / "warehouse" / "osservatorio.duckdb"
    merged = camere()["LU"].confluita_in  # Lucca merged into another Camera: its office keeps Lucca's records
    assert run_ente_job().success  # Lucca's own partition first: the tables exist, the next run rebuilds slices
    deliver(landing, merged, "bilancio_storico.csv", balance_sheet("LU", 2017, come=2010))
    result = run_ente_job(camera=merged)
    assert result.success, step_failures(result)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT DISTINCT camera, camera_consegna FROM raw.bilancio_voci "
                            "WHERE NOT campione").fetchall() == [("LU", merged)]
        # the merged Camera's partition rebuilt Lucca's rows: its 2010 is in the health tables
        assert conn.execute("SELECT count(*) FROM marts.stato_salute WHERE camera = 'LU' AND anno = 2010").fetchone()[0]


def test_another_camera_in_a_folder_and_an_unknown_folder_are_refused(home, landing):
    warehouse = home / "warehouse" / "osservatorio.duckdb"
    assert run_ente_job().success
    before = table_snapshot(warehouse)
    deliver(landing, None, "pisa_qui.csv", balance_sheet("PI"))
    deliver(landing, "PISA", "bilancio.csv", balance_sheet("PI", 2016))
    failures = step_failures(run_ente_job())
    text = failures["raw__bilancio_voci"]
    assert ("file pisa_qui.csv, riga 2, colonna A (camera): 30 righe su 30 sono di un'altra Camera (PI), ma il file "
            "è nella cartella landing/bilancio/, della Camera LU") in text
    assert "spostarlo in landing/bilancio/PI/" in text
    assert "cartella PISA/: cartella di consegna di una Camera sconosciuta" in text
    assert text.count("pisa_qui.csv") == 1  # one line for the file, not one per row
    assert table_snapshot(warehouse) == before

    # moved where they belong, they load in Pisa's partition
    (landing / "bilancio" / "pisa_qui.csv").unlink()
    shutil.rmtree(landing / "bilancio" / "PISA")
    deliver(landing, "PI", "pisa_qui.csv", balance_sheet("PI"))
    result = run_ente_job(camera="PI")
    assert result.success, step_failures(result)


def test_the_landing_sensor_asks_for_the_partition_whose_folder_changed(home, landing):
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("estratti_bilancio")
    with dg.DagsterInstance.ephemeral() as instance:
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs))
        assert not first.run_requests  # nothing delivered
        deliver(landing, "PI", "bilancio_pisa.csv", balance_sheet("PI"))
        deliver(landing, "MS", "bilancio_massa.csv", balance_sheet("MS"))
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs, cursor=first.cursor))
        assert sorted(r.partition_key for r in tick.run_requests) == ["MS", "PI"]
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs, cursor=tick.cursor))
        assert not again.run_requests  # nothing new
        deliver(landing, None, "bilancio_lucca.csv", balance_sheet("LU"))  # the default Camera's folder
        last = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs, cursor=again.cursor))
        assert [r.partition_key for r in last.run_requests] == ["LU"]
