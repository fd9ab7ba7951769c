"""A malformed context extract gets a clear error naming file, row and column, and changes nothing."""

from __future__ import annotations

import duckdb

from conftest import SAMPLE, run_main_job, step_failures, table_snapshot
from pipelines.jobs import CONTESTO_JOB

PROMETEIA = SAMPLE / "prometeia" / "prometeia_capitoli_lucca.csv"


def run():
    return run_main_job(job=CONTESTO_JOB)


def test_bad_period_in_template_extract(home, landing):
    assert run().success
    before = table_snapshot(home / "warehouse" / "osservatorio.duckdb")
    lines = PROMETEIA.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",2017,", ",2017/18,", 1)
    (landing / "prometeia").mkdir(parents=True)
    (landing / "prometeia" / "prometeia_ottobre.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run()
    assert not result.success
    text = step_failures(result)["raw__prometeia"]
    assert "file prometeia_ottobre.csv, riga 4, colonna C (periodo): periodo non valido" in text
    assert table_snapshot(home / "warehouse" / "osservatorio.duckdb") == before


def test_file_in_the_wrong_folder(landing):
    (landing / "istat_demo_bilancio").mkdir(parents=True)
    (landing / "istat_demo_bilancio" / "bilancio_2017.csv").write_bytes(PROMETEIA.read_bytes())
    text = step_failures(run())["raw__istat_demo_bilancio"]
    assert "file bilancio_2017.csv, riga 1: mancano le colonne Popolazione al 1° Gennaio - Totale" in text


def test_unknown_territory_refuses_the_file_an_old_code_is_counted(home, landing):
    """A code in no version of the code lists on any day refuses the file before anything is written
    (naming file, row, column and code); a code that is merely old resolves to the territory it named
    and is counted, a name of another day is left out with a warning (names never cross a change of
    boundaries). A file loaded before that rule still gets the blocking Q10: tests/test_ritiro.py."""
    lines = PROMETEIA.read_text(encoding="utf-8").splitlines()
    atlantide = "Atlantide,,2017,branca,Totale,va_prezzi_correnti,123,mln_euro,2019-01-31,no,pubblicato,"
    # Fabbriche di Vallico, merged into Fabbriche di Vergemoli on 1/1/2014
    lines.append("046012,comune,2017,branca,Totale,va_prezzi_correnti,12,mln_euro,2019-01-31,no,pubblicato,")
    # the province of Olbia-Tempio by name, which ended on 27/04/2016
    lines.append("Olbia-Tempio,,2025,branca,Totale,va_prezzi_correnti,7,mln_euro,2019-01-31,no,pubblicato,")
    (landing / "prometeia").mkdir(parents=True)
    target = landing / "prometeia" / "con_atlantide.csv"
    target.write_text("\n".join([*lines, atlantide]) + "\n", encoding="utf-8")
    result = run()
    assert not result.success
    assert (f"file con_atlantide.csv, riga {len(lines) + 1}, colonna A (territorio): 1 territorio sconosciuto: "
            f"«Atlantide» (riga {len(lines) + 1}). Non è in nessuna versione degli elenchi") in \
        step_failures(result)["raw__prometeia"]
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    assert conn.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = 'prometeia'"
                        ).fetchone() == (0,)  # the refused load rolled back whole: not even the table
    conn.close()

    target.write_text("\n".join(lines) + "\n", encoding="utf-8")  # corrected, same name: loads
    result = run()
    assert result.success, step_failures(result)
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    findings = {r[0]: r[1:] for r in conn.execute(
        "SELECT territorio, gravita, messaggio FROM qualita.rilievi_contesto WHERE controllo = 'Q10'").fetchall()}
    assert set(findings) == {"046012", "Olbia-Tempio"}
    assert findings["046012"][0] == "avviso"
    assert "non in vigore il 31/12/2017: attribuito a C046012" in findings["046012"][1]
    assert findings["Olbia-Tempio"][0] == "avviso"
    assert "righe escluse dai marts" in findings["Olbia-Tempio"][1]
    outcomes = dict(conn.execute("SELECT territorio_originale, esito_territorio FROM staging.stg_contesto_osservazioni "
                                 "WHERE file_nome = 'con_atlantide.csv' AND riga > ?", [len(lines) - 2]).fetchall())
    assert outcomes == {"046012": "riconosciuto_fuori_data", "Olbia-Tempio": "sconosciuto"}


def test_office_extract_replaces_the_sample(home, landing):
    lines = PROMETEIA.read_text(encoding="utf-8").splitlines()
    (landing / "prometeia").mkdir(parents=True)
    (landing / "prometeia" / "solo_lucca.csv").write_text("\n".join([lines[0]] + [ln for ln in lines[1:] if ln.startswith("Lucca,")])
                                                          + "\n", encoding="utf-8")
    assert run().success
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    sources = conn.execute("SELECT DISTINCT territorio FROM marts.contesto_osservazioni WHERE fonte = 'prometeia'").fetchall()
    assert sources == [("Lucca",)]  # the office's file only: the sample no longer counts
    assert conn.execute("SELECT bool_and(NOT campione) FROM staging.stg_contesto_osservazioni "
                        "WHERE fonte = 'prometeia'").fetchone() == (True,)


def test_a_malformed_file_in_every_context_source(home, landing):
    """Each context source refuses a malformed file with the file's name (and row and column where
    there is one), in one run, and nothing of them reaches the warehouse."""
    from pipelines import catalog

    header = ("territorio,livello,periodo,dimensione,valore_dimensione,misura,valore,unita,rilascio,provvisorio,"
              "natura,riferimento\n")
    sources = [f for f, spec in catalog.fonti().items() if spec["suite"] in ("contesto", "contesto_pubblicati")]
    for fonte in sources:
        formato = catalog.fonte(fonte).get("formato", "modello")
        folder = landing / fonte
        folder.mkdir(parents=True)
        if formato == "modello":
            (folder / "rotto.csv").write_text(header + "Lucca,,2017,totale,Totale,misura,molti,n,2019-01-31,no,,\n")
        elif formato == "sdmx":
            (folder / "rotto.xml").write_text("<message:GenericData><non chiuso>")
        else:
            (folder / "rotto.csv").write_text("intestazione;sbagliata\n1;2\n")
    result = run()
    failures = step_failures(result)
    for fonte in sources:
        text = failures.get(f"raw__{fonte}", "")
        assert "file rotto." in text, (fonte, text[:300])
        if catalog.fonte(fonte).get("formato", "modello") == "modello":
            assert "file rotto.csv, riga 2, colonna G (valore): «molti» non è un numero valido" in text
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    tables = {f"{s}.{t}" for s, t in conn.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    for fonte in sources:
        table = catalog.fonte(fonte)["tabella_raw"]
        # the failed load rolled back whole: not even the empty table was created
        assert table not in tables or conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
