"""Bad input gets a clear Italian error naming file, sheet, row and column, and the warehouse keeps its last good state."""

from __future__ import annotations

import csv

import duckdb
import openpyxl
import pytest

from conftest import SAMPLE, drop, run_ente_job, step_failures, table_snapshot

BILANCIO = SAMPLE / "bilancio" / "bilancio_lucca_pp2019.csv"
HEADER = ["camera", "anno", "tipo", "voce", "valore", "unita", "rilascio", "natura", "riferimento", "nota"]


def sample_rows() -> list[dict]:
    return list(csv.DictReader(open(BILANCIO, encoding="utf-8")))


def write_csv(path, rows, header=HEADER, delimiter=","):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header] if isinstance(r, dict) else r)
    return path


def failure_text(result) -> str:
    failures = step_failures(result)
    assert "raw__bilancio_voci" in failures, failures
    return failures["raw__bilancio_voci"]


def test_missing_column(landing):
    rows = sample_rows()
    write_csv(landing / "bilancio" / "senza_unita.csv", rows, header=[h for h in HEADER if h != "unita"])
    text = failure_text(run_ente_job())
    assert "file senza_unita.csv, riga 1: mancano le colonne obbligatorie unita" in text


def test_text_in_numeric_cell(landing):
    rows = sample_rows()
    rows[4]["valore"] = "circa mille"
    write_csv(landing / "bilancio" / "testo.csv", rows)
    text = failure_text(run_ente_job())
    assert "file testo.csv, riga 6, colonna E (valore): «circa mille» non è un numero valido" in text


def test_english_number_in_italian_csv(landing):
    rows = sample_rows()[:3]
    for r in rows:
        r["valore"] = r["valore"].replace(".", ",")  # Italian dialect ...
    rows[1]["valore"] = "1956.5"                    # ... except one cell
    write_csv(landing / "bilancio" / "misto.csv", rows, delimiter=";")
    text = failure_text(run_ente_job())
    assert "file misto.csv, riga 3, colonna E (valore): «1956.5» sembra scritto all'inglese" in text


def test_garbled_number(landing):
    rows = sample_rows()[:2]
    rows[0]["valore"] = "25.00,00"
    write_csv(landing / "bilancio" / "garbled.csv", [{**r, "valore": r["valore"].replace(".", ",")} if i else r
                                                      for i, r in enumerate(rows)], delimiter=";")
    text = failure_text(run_ente_job())
    assert "riga 2, colonna E (valore): «25.00,00» non è un numero valido" in text


def test_duplicated_year(landing):
    rows = sample_rows()
    rows.append(dict(rows[0]))
    write_csv(landing / "bilancio" / "doppio.csv", rows)
    text = failure_text(run_ente_job())
    assert "file doppio.csv, riga 2, colonna D (voce): valore duplicato" in text
    assert f"file doppio.csv, riga {len(rows) + 1}, colonna D (voce): valore duplicato" in text


def test_unreadable_and_empty_files(landing):
    (landing / "bilancio").mkdir(parents=True)
    (landing / "bilancio" / "rotto.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (landing / "bilancio" / "vuoto.csv").write_bytes(b"")
    text = failure_text(run_ente_job())
    assert "file rotto.xlsx: non è un file Excel leggibile" in text
    assert "file vuoto.csv: il file è vuoto" in text


def test_xlsx_errors_name_sheet_row_and_column(landing):
    wb = openpyxl.Workbook()
    wb.active.title = "Istruzioni"
    ws = wb.create_sheet("Dati")
    ws.append(HEADER)
    ws.append(["LU", 2018, "consuntivo", "oc_personale", 3174.5, "migliaia di euro", "2019-04-30", "", "", ""])
    ws.append(["LU", 2018, "consuntivo", "oc_sconosciuta", 10, "EUR_k", "2019-04-30", "", "", ""])
    ws.append(["LU", 2018, "consuntivo", "pc_diritto_annuale", -5, "EUR_k", "2019-04-30", "", "", ""])
    ws.append(["XX", 2018, "consuntivo", "pc_diritti_segreteria", 5, "EUR_k", "2019-04-30", "", "", ""])
    path = landing / "bilancio" / "estratto.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    text = failure_text(run_ente_job())
    assert "file estratto.xlsx, foglio «Dati», riga 3, colonna D (voce): voce sconosciuta" in text
    assert "file estratto.xlsx, foglio «Dati», riga 4, colonna E (valore): valore negativo" in text
    assert "file estratto.xlsx, foglio «Dati», riga 5, colonna A (camera): Camera non configurata" in text
    assert "riga 2" not in text  # "migliaia di euro" is a declared unit, normalised to EUR_k


def test_failed_load_leaves_the_warehouse_as_it_was(home, landing):
    assert run_ente_job().success
    path = home / "warehouse" / "osservatorio.duckdb"
    before = table_snapshot(path)
    rows = sample_rows()
    rows[0]["valore"] = "n/d?"
    write_csv(landing / "bilancio" / "cattivo.csv", rows)
    result = run_ente_job()
    assert not result.success
    assert table_snapshot(path) == before


def test_missing_marker_is_missing_not_zero(landing):
    rows = [r for r in sample_rows() if r["anno"] == "2016"]
    for r in rows:
        if r["voce"] == "pc_diritti_segreteria":
            r["valore"] = "n.c."
    write_csv(landing / "bilancio" / "nc.csv", rows)
    result = run_ente_job()
    assert result.success, step_failures(result)
    conn = duckdb.connect(str(landing.parent / "warehouse" / "osservatorio.duckdb"), read_only=True)
    value, reason = conn.execute("SELECT valore, motivo_assenza FROM marts.indicatori_salute "
                                 "WHERE indicatore = 'CGP' AND anno = 2016").fetchone()
    assert value is None and reason == "dati mancanti: pc_diritti_segreteria"
    raw = conn.execute("SELECT valore FROM raw.bilancio_voci WHERE voce = 'pc_diritti_segreteria'").fetchall()
    assert raw == [(None,)]


def test_totals_that_do_not_add_up_are_reported_and_not_used(landing):
    rows = [r for r in sample_rows() if r["anno"] == "2016"]
    for r in rows:
        if r["voce"] == "pc_totale":
            r["valore"] = "9000.0"  # items sum to 8.687,8 as printed
    write_csv(landing / "bilancio" / "totale.csv", rows)
    assert run_ente_job().success
    conn = duckdb.connect(str(landing.parent / "warehouse" / "osservatorio.duckdb"), read_only=True)
    file, row, col, msg = conn.execute("SELECT file, riga, colonna, messaggio FROM qualita.rilievi_ente "
                                       "WHERE controllo = 'Q1' AND voce = 'pc_totale'").fetchone()
    line = next(i for i, r in enumerate(rows, start=2) if r["voce"] == "pc_totale")
    assert (file, row, col) == ("totale.csv", line, "valore")
    assert "9.000.000 euro" in msg and "8.687.800 euro" in msg
    used = conn.execute("SELECT pc_totale FROM marts.bilancio_annuale WHERE anno = 2016").fetchone()[0]
    assert used == pytest.approx(8_687_800)


def test_new_release_adds_rows_and_same_release_cannot_change(home, landing):
    rows = [r for r in sample_rows() if r["anno"] in ("2015", "2016")]
    write_csv(landing / "bilancio" / "v1.csv", rows)
    assert run_ente_job().success
    revised = [{**r, "rilascio": "2019-07-31"} for r in rows]
    for r in revised:
        if r["voce"] == "pc_contributi_trasferimenti" and r["anno"] == "2016":
            r["valore"] = "800.0"
    write_csv(landing / "bilancio" / "v2.csv", revised)
    assert run_ente_job().success
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    kept = conn.execute("SELECT rilascio::VARCHAR, valore FROM raw.bilancio_voci WHERE voce = 'pc_contributi_trasferimenti' "
                        "AND anno = 2016 ORDER BY rilascio").fetchall()
    assert kept == [("2019-01-31", 736.0), ("2019-07-31", 800.0)]
    latest = conn.execute("SELECT valore FROM staging.stg_bilancio_voci "
                          "WHERE voce = 'pc_contributi_trasferimenti' AND anno = 2016").fetchone()
    assert latest == (800_000,)
    conn.close()
    # the same release again, with different content: refused, nothing overwritten
    before = table_snapshot(home / "warehouse" / "osservatorio.duckdb")
    tampered = [{**r, "valore": "1.0"} if r["voce"] == "oc_personale" else r for r in revised]
    write_csv(landing / "bilancio" / "v2_bis.csv", tampered)
    text = failure_text(run_ente_job())
    assert "per il rilascio del 31/07/2019 il magazzino ha già un valore diverso (file v2.csv, riga" in text
    assert table_snapshot(home / "warehouse" / "osservatorio.duckdb") == before


def test_same_file_twice_is_loaded_once(home, landing):
    drop(landing, "bilancio", BILANCIO)
    assert run_ente_job().success
    drop(landing, "bilancio", BILANCIO, name="copia.csv")
    assert run_ente_job().success
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    files = conn.execute("SELECT DISTINCT file_nome FROM raw.bilancio_voci").fetchall()
    assert files == [("bilancio_lucca_pp2019.csv",)]


def test_blocking_finding_stops_the_run(landing):
    """Staff costs changed without changing the split by function: Q1 is blocking, the run fails."""
    rows = [r for r in sample_rows() if r["anno"] == "2016"]
    for r in rows:
        if r["voce"] == "oc_personale":
            r["valore"] = "3500.0"
    write_csv(landing / "bilancio" / "personale.csv", rows)
    result = run_ente_job()
    assert not result.success
    checks = {e.asset_check_key.name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["nessun_rilievo_bloccante"] is False
    conn = duckdb.connect(str(landing.parent / "warehouse" / "osservatorio.duckdb"), read_only=True)
    msg = conn.execute("SELECT messaggio FROM qualita.rilievi_ente WHERE gravita = 'bloccante'").fetchone()[0]
    assert "oneri correnti per funzione A-D (consuntivo 2016) sommano a 8.131.300 euro" in msg
    assert "8.204.100 euro" in msg


def test_a_misspelt_column_is_refused_not_loaded_empty(home, landing):
    """`valore` may be empty on a row, so the column is optional in the registry: misspelt in the header
    it must be refused by name, never loaded as a file of empty values."""
    rows = sample_rows()[:5]
    header = ["valroe" if h == "valore" else h for h in HEADER]
    write_csv(landing / "bilancio" / "refuso.csv", [[r[h] for h in HEADER] for r in rows], header=header)
    text = failure_text(run_ente_job())
    assert ("file refuso.csv, riga 1, colonna E: colonna «valroe» non riconosciuta: forse «valore», che manca "
            "nell'intestazione") in text
    with duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True) as conn:  # nothing written
        assert not conn.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND "
                                "table_name = 'bilancio_voci'").fetchone()[0]


def test_a_file_without_any_value_is_refused(landing):
    rows = [{**r, "valore": "n.d."} for r in sample_rows()[:4]]
    write_csv(landing / "bilancio" / "vuoti.csv", rows)
    text = failure_text(run_ente_job())
    assert "file vuoti.csv: nessun valore nella colonna valore (4 righe, tutte vuote o «n.d.»)" in text


def test_the_bundled_sample_never_blocks_the_office_s_first_file(home, landing):
    """The sample loads while landing/bilancio/ is empty; the office's own file with the same release
    and other values replaces it, it is not refused as a change of a loaded release."""
    assert run_ente_job().success  # the bundled sample
    rows = sample_rows()
    rows[0]["valore"] = str(float(rows[0]["valore"]) + 1)
    write_csv(landing / "bilancio" / "bilancio_ufficio.csv", rows)
    result = run_ente_job()
    assert result.success, step_failures(result)
    with duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True) as conn:
        assert conn.execute("SELECT DISTINCT file_nome FROM staging.stg_bilancio_voci").fetchall() == [("bilancio_ufficio.csv",)]


def test_a_changed_release_is_one_line_per_file(home, landing):
    rows = [r for r in sample_rows() if r["anno"] == "2016"]
    write_csv(landing / "bilancio" / "v1.csv", rows)
    assert run_ente_job().success
    write_csv(landing / "bilancio" / "v1_bis.csv", [{**r, "valore": "1.0"} for r in rows])
    text = failure_text(run_ente_job())
    assert text.count("già un valore diverso") == 1
    assert f"(e altre {len(rows) - 1} righe)" in text
