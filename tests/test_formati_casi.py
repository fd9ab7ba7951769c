"""Each case of tests/fixtures/formati/ (files as publishers and offices really save them, see the README
there): loaded with the value the case's README gives, or refused with an Italian message naming the file,
the row and the column. Loads go through the same steps as the raw assets (parse, contract, Great
Expectations, duplicate keys) on an in-memory warehouse."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import duckdb
from assets.contesto.sources import prepare_contesto
from assets.ente.sources import PREPARE
from pipelines import settings
from pipelines.formats import parse_demo_bilancio, parse_demo_popolazione_eta
from pipelines.loading import prepare_batch, write_batch

CASI = Path(__file__).parent / "fixtures" / "formati"


def new_warehouse() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("CREATE SCHEMA raw; CREATE SCHEMA meta")
    return conn


def load(landing: Path, fonte: str, case: str | None = None, files: list[str] | None = None, conn=None):
    """Put the case's files in landing/<fonte>/ and prepare the batch as the raw asset does (writes nothing)."""
    folder = landing / fonte
    folder.mkdir(parents=True, exist_ok=True)
    if case is not None:
        for path in sorted((CASI / case).iterdir()):
            if files is None or path.name in files:
                shutil.copy(path, folder / path.name)
    prepare = PREPARE.get(fonte) or partial(prepare_contesto, fonte_id=fonte)
    return prepare_batch(conn or new_warehouse(), fonte, settings.camere()["LU"], prepare)


def problems(batch) -> str:
    return "\n".join(str(p) for p in batch.problemi)


def test_byte_undefined_in_every_encoding_is_refused_by_name(landing):
    text = problems(load(landing, "bilancio", "byte_non_decodificabile"))
    assert "file x.csv: codifica dei caratteri non riconosciuta: il byte 0x81 in posizione 0" in text


def test_truncated_csv_is_refused(landing):
    text = problems(load(landing, "bilancio", "csv_troncato"))
    assert "file truncated.csv, riga 114: il file sembra troncato" in text


def test_short_row_names_row_and_missing_column(landing):
    text = problems(load(landing, "prometeia", "riga_corta"))
    assert ("file short_row.csv, riga 5, colonna L (riferimento): la riga ha 11 campi invece di 12: "
            "manca il valore della colonna «riferimento»") in text


def test_nd_values_are_missing_never_zero(landing):
    batch = load(landing, "istat_forze_lavoro", "valore_nd_istat")
    assert batch.problemi == []
    frame = batch.frame
    nd = frame[(frame["territorio"] == "IT") & (frame["periodo"] == "2019Q4")
               & (frame["valore_dimensione"] == "EMP_R|1|Y_GE15")]
    assert len(nd) == 1 and nd["valore"].isna().all()
    assert frame["valore"].notna().sum() == len(frame) - 1 and (frame["unita"] == "%").all()


def test_formulas_without_cached_value_are_refused_naming_the_cells(landing):
    text = problems(load(landing, "bilancio", "xlsx_formule_senza_valore"))
    assert ("file bilancio_formule.xlsx, foglio «Dati»: formula senza valore nelle celle E2, E3, E4") in text
    assert "aprirlo e salvarlo in Excel" in text


def test_percentage_cells_load_as_the_number_shown(landing):
    batch = load(landing, "indicatori_pubblicati", "xlsx_celle_percentuale")
    assert batch.problemi == []
    ics = batch.frame[(batch.frame["indicatore"] == "ICS") & (batch.frame["anno"] == 2018)]
    assert ics["valore"].tolist() == [87.8]
    eqgc = batch.frame[(batch.frame["indicatore"] == "EQGC") & (batch.frame["anno"] == 2016)]
    assert eqgc["valore"].tolist() == [93.6] and eqgc["valore__decimali"].tolist() == [1]


def test_dot_thousands_in_an_english_number_file_is_refused_as_ambiguous(landing):
    text = problems(load(landing, "prometeia", "virgola_con_migliaia_italiane"))
    assert "file prometeia_punto_migliaia.csv, riga 2, colonna G (valore): «8.869» è ambiguo" in text


def test_two_files_same_release_same_key_name_both_rows(landing):
    text = problems(load(landing, "bilancio", "due_file_stesso_rilascio"))
    assert ("file bilancio_B.csv, riga 2, colonna rilascio: chiave duplicata: la stessa combinazione di camera, anno, "
            "tipo, voce, rilascio è già alla riga 2 nel file bilancio_A.csv") in text


def test_a_file_identical_to_the_sample_still_loads_as_the_offices(landing):
    conn = new_warehouse()
    sample = load(landing.parent / "vuota", "istat_demo_popolazione", conn=conn)  # empty landing: the sample
    assert sample.campione and sorted(sample.nuovi_file) == ["province11.csv", "province17.csv"]
    write_batch(conn, sample)
    (landing / "istat_demo_popolazione").mkdir(parents=True)
    shutil.copy(settings.camere()["LU"].campione / "istat_demo_popolazione" / "province17.csv",
                landing / "istat_demo_popolazione")
    batch = load(landing, "istat_demo_popolazione", "file_identico_al_campione", conn=conn)
    assert not batch.campione and batch.problemi == []
    assert sorted(batch.nuovi_file) == ["province11.csv", "province17.csv"]  # the copy of the sample is not skipped
    assert set(batch.frame["periodo"]) == {"2011-01-01", "2017-01-01"}


def test_italian_dates_in_the_release_file(landing):
    batch = load(landing, "istat_sdmx", "rilasci_data_italiana")
    assert batch.problemi == []
    assert {str(d) for d in batch.frame["rilascio"]} == {"2025-12-31"}
    (landing / "istat_sdmx" / "_rilasci.csv").write_text("file,rilascio,provvisorio\nsdmx_csv_41_983.csv,31.12.25x,no\n",
                                                         encoding="utf-8")
    conn = new_warehouse()
    text = problems(load(landing, "istat_sdmx", conn=conn))
    assert "file _rilasci.csv, riga 2, colonna B (rilascio): «31.12.25x» non è una data valida" in text


def test_stray_cell_at_the_end_of_the_sheet_reads_only_used_cells(landing):
    batch = load(landing, "bilancio", "xlsx_area_enorme")
    assert batch.problemi == [] and len(batch.frame) == 170


def test_huge_sdmx_value_is_refused_by_the_range_check(landing):
    text = problems(load(landing, "istat_sdmx", "valore_enorme_sdmx"))
    assert "file sdmx_csv_41_983_huge.csv, riga 5, colonna valore: valore fuori dall'intervallo plausibile" in text


def test_header_only_is_refused(landing):
    text = problems(load(landing, "istat_forze_lavoro", "solo_intestazione"))
    assert "file Tasso_occupazione__header_only.csv, riga 1: c'è l'intestazione ma nessuna riga di dati" in text


def test_unknown_camera_in_a_panel(landing):
    text = problems(load(landing, "benchmark_panel", "camera_sconosciuta_panel"))
    assert "file negative_count.csv, riga 5, colonna C (camera): Camera sconosciuta" in text
    assert "valore: «-LI»" in text


def test_demo_2006_latin1_apostrophe_age_and_padded_cells():
    frame = parse_demo_popolazione_eta(CASI / "demo_2006_eta_apostrofo" / "province06_estratto.csv")
    lucca0 = frame[(frame["territorio"] == "046") & frame["valore_dimensione"].str.endswith("|0")]
    assert dict(zip(lucca0["valore_dimensione"], lucca0["valore"])) == {"maschi|0": 1615, "femmine|0": 1550}
    assert set(frame["periodo"]) == {"2006-01-01"}


def test_esploradati_codes_and_labels(landing):
    batch = load(landing, "istat_sdmx", "esploradati_codici_etichette")
    assert batch.problemi == []
    lucca = batch.frame[(batch.frame["territorio"] == "ITE12") & (batch.frame["periodo"] == "2015")]
    assert lucca["valore"].tolist() == [10401.9e6] and lucca["unita"].tolist() == ["euro"]
    assert lucca["dimensione"].iloc[0] == "DATA_TYPE_AGGR|VALUATION|ADJUSTMENT|EDITION"
    assert lucca["valore_dimensione"].iloc[0] == "B1GQ_B_W2_S1|V|N|2025M12"


def test_demo_bilancio_2019_semicolon_layout():
    frame = parse_demo_bilancio(CASI / "demo_bilancio_2019_puntoevirgola" / "Enna_bil2019.csv")
    agira = frame[frame["territorio"] == "086001"].set_index("misura")["valore"].to_dict()
    assert agira == {"popolazione_1_gennaio": 8012, "nati": 54, "morti": 100, "popolazione_31_dicembre": 7916}
    assert set(frame["livello"]) == {"comune"}


def test_mef_per_cap_edition_refused_with_one_message(landing):
    batch = load(landing, "mef_irpef", "mef_per_cap")
    assert len(batch.problemi) == 1
    assert "è l'edizione del MEF per CAP" in problems(batch)


def test_sdmx_economic_account_of_the_camere_keeps_negative_results(landing):
    batch = load(landing, "istat_sdmx", "sdmx_conto_economico_camere")
    assert batch.problemi == []
    frame = batch.frame
    assert set(frame["misura"]) == {"124_322"} and set(frame["unita"]) == {"euro"}
    assert frame.loc[frame["periodo"] == "2020", "valore"].tolist() == [-173114620]



def test_a_link_in_a_landing_folder_is_refused_never_followed_nor_quoted(landing, tmp_path):
    outside = tmp_path / "fuori" / "segreto.csv"
    outside.parent.mkdir()
    outside.write_text("PAROLA_SEGRETA;1\n", encoding="utf-8")
    (landing / "istat_sdmx").mkdir(parents=True)
    (landing / "istat_sdmx" / "collegamento.csv").symlink_to(outside)
    (landing / "istat_sdmx" / "cartella.csv").mkdir()
    batch = load(landing, "istat_sdmx")
    text = problems(batch)
    assert "file collegamento.csv: è un collegamento (link), non un file" in text
    assert "file cartella.csv: non è un file regolare" in text
    assert "PAROLA_SEGRETA" not in text and batch.nuovi_file == []


def test_a_file_without_any_value_is_never_a_success(landing):
    (landing / "istat_sdmx").mkdir(parents=True)
    (landing / "istat_sdmx" / "vuoti.csv").write_text(
        "DATAFLOW,FREQ,ITTER107,TIPO_DATO,TIME_PERIOD,OBS_VALUE\nIT1:41_983(1.0),A,082053,KILLINJ,2001,NaN\n"
        "IT1:41_983(1.0),A,082053,KILLINJ,2002,\n", encoding="utf-8")
    assert "file vuoti.csv: il file non contiene valori" in problems(load(landing, "istat_sdmx"))


def test_sdmx_without_unit_takes_it_from_the_registry_never_a_count_by_default(landing):
    (landing / "istat_sdmx").mkdir(parents=True)
    (landing / "istat_sdmx" / "tassi.csv").write_text(
        "DATAFLOW,FREQ,REF_AREA,DATA_TYPE,SEX,AGE,TIME_PERIOD,OBS_VALUE\n"
        "IT1:150_915_DF_DCCV_TAXOCCU1_5(1.0),A,ITE12,EMP_R,9,Y15-64,2023,68.1\n", encoding="utf-8")
    (landing / "istat_sdmx" / "ignoto.csv").write_text(
        "DATAFLOW,FREQ,REF_AREA,TIME_PERIOD,OBS_VALUE\nIT1:999_999(1.0),A,ITE12,2023,5\n", encoding="utf-8")
    batch = load(landing, "istat_sdmx")
    assert "file ignoto.csv, colonna unita: unità di misura sconosciuta per 999_999" in problems(batch)
    rates = batch.frame[batch.frame["_file"] == "tassi.csv"]
    assert rates[["misura", "unita"]].values.tolist() == [["150_915", "%"]]


def test_a_later_release_of_the_same_stock_replaces_it_in_the_marts_and_keeps_it_in_raw(home, landing):
    """Two InfoCamere stock files for the same date, the second a later release (_rilasci.csv): Lucca's
    latest figure is 35.180 active companies, not 70.360; the earlier release stays in raw.
    Without a release date for the second file (both 'today'), the two are refused naming both rows."""
    from conftest import run_main_job, step_failures
    from pipelines.jobs import CONTESTO_JOB

    sample = settings.camere()["LU"].campione / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv"
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    toscana = [lines[0]] + [ln for ln in lines[1:] if ln.startswith("TOSCANA;")]
    folder = landing / "infocamere_opendata"
    folder.mkdir(parents=True)
    (folder / "2025-06-30-Stock-Imprese-Attive-Italia.csv").write_text("".join(toscana), encoding="utf-8")
    revised = toscana[:]
    revised[1] = revised[1].rsplit(";", 1)[0] + ";999\n"  # a revision of one figure (not Lucca's)
    (folder / "2025-06-30-Stock-Imprese-Attive-Italia_rev.csv").write_text("".join(revised), encoding="utf-8")
    text = problems(load(landing, "infocamere_opendata"))
    assert "riga 3, colonna rilascio: chiave duplicata" in text and "già alla riga 3 nel file" in text

    (folder / "_rilasci.csv").write_text("file,rilascio,provvisorio\n"
                                         "2025-06-30-Stock-Imprese-Attive-Italia.csv,15/07/2025,no\n"
                                         "2025-06-30-Stock-Imprese-Attive-Italia_rev.csv,15/09/2025,no\n", encoding="utf-8")
    result = run_main_job(job=CONTESTO_JOB)
    assert result.success, step_failures(result)
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    latest = conn.execute("SELECT rilascio, valore FROM marts.contesto_osservazioni WHERE fonte = 'infocamere_opendata' "
                          "AND territorio_id = 'P046' AND dimensione = 'totale' AND ultimo_rilascio").fetchall()
    assert [(str(r), v) for r, v in latest] == [("2025-09-15", 35180)]
    assert conn.execute("SELECT count(DISTINCT rilascio) FROM raw.infocamere_opendata").fetchone() == (2,)


def test_duplicate_key_in_staging_is_a_blocking_finding_naming_both_rows():
    """The key check of staging and marts is generated from the registry's key: "046" and "Lucca" for the
    same figure and release would count twice. The message names the territory, the measure and the period
    as the office knows them (the measure's code beside its label, the one the file carries), not "P046"."""
    from pipelines import catalog
    from pipelines.settings import SQL_DIR
    from pipelines.warehouse import MACROS, render_model

    conn = duckdb.connect()
    conn.execute(MACROS.read_text(encoding="utf-8"))
    conn.execute("CREATE SCHEMA staging; CREATE SCHEMA marts; CREATE SCHEMA meta")
    conn.execute("CREATE TABLE marts.dim_territorio AS SELECT 'P046' AS territorio_id, 'Lucca' AS nome")
    misure = catalog.misure_pubblicate()  # noqa: F841 (read by the query below)
    conn.execute("CREATE TABLE meta.misure_pubblicate AS SELECT * FROM misure")
    row = ("prometeia", "P046", "2017", "branca", "Totale", "va_prezzi_correnti", "2018-10-31")
    conn.execute("CREATE TABLE staging.stg_contesto_osservazioni (fonte VARCHAR, territorio_id VARCHAR, periodo VARCHAR, "
                 "dimensione VARCHAR, valore_dimensione VARCHAR, misura VARCHAR, rilascio DATE, "
                 "territorio_originale VARCHAR, file_nome VARCHAR, riga INTEGER, valore DOUBLE)")
    conn.execute("INSERT INTO staging.stg_contesto_osservazioni VALUES (?, ?, ?, ?, ?, ?, ?, 'Lucca', 'a.csv', 4, 9810), "
                 "(?, ?, ?, ?, ?, ?, ?, '046', 'b.csv', 7, 9810)", [*row, *row])
    conn.execute("CREATE TABLE marts.contesto_osservazioni AS SELECT * EXCLUDE (territorio_originale), "
                 "territorio_originale AS territorio FROM staging.stg_contesto_osservazioni LIMIT 1")
    found = conn.execute(render_model(SQL_DIR / "qualita" / "q_chiavi_duplicate.sql")).fetchall()
    assert len(found) == 1 and found[0][1] == "bloccante"
    assert ("compare due volte, nel file a.csv riga 4 («Lucca») e nel file b.csv riga 7 («046»)") in found[0][-1]
    assert ("(fonte prometeia): Lucca, valore aggiunto a prezzi correnti (va_prezzi_correnti) «Totale» (2017) "
            "del rilascio del 31 ottobre 2018 compare due volte") in found[0][-1]
    assert "P046" not in found[0][-1]


def test_status_names_a_link_without_reading_it(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import PROJECT

    outside = tmp_path / "segreto.csv"
    outside.write_text("PAROLA_SEGRETA\n", encoding="utf-8")
    folder = tmp_path / "casa" / "landing" / "istat_sdmx"
    folder.mkdir(parents=True)
    (folder / "collegamento.csv").symlink_to(outside)
    (folder / "cartella.xml").mkdir()
    env = {**os.environ, "OSSERVATORIO_HOME": str(tmp_path / "casa")}
    env.pop("DAGSTER_HOME", None)
    status = subprocess.run([sys.executable, "-m", "pipelines.cli", "status"], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert status.returncode == 0, status.stderr[-2000:]
    assert "rifiutati (collegamenti o non file): cartella.xml, collegamento.csv" in status.stdout
