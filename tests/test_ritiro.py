"""A file with a territory code no code list ever had is refused before the raw write, and the way back
for one loaded before that rule: `osservatorio ritira`; the console and `osservatorio status` say, in
Italian, what stopped the last run (issue #8, the defect that kept it open).

The stock files are cut from the bundled InfoCamere open-data stock (data/sample/lucca/, CC BY 4.0):
a few provinces, one name altered.
"""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from conftest import PROJECT, SAMPLE, run_main_job, step_failures, table_snapshot
from pipelines.jobs import CONTESTO_JOB

STOCK = SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv"
NAME = STOCK.name
PROVINCES = ("LUCCA", "PISA", "MASSA-CARRARA")


def small_stock(invented: str | None = None, old_name: str | None = None) -> tuple[str, int]:
    """Header and the rows of three Tuscan provinces; the first Pisa row's province replaced by `invented`
    (its line number returned), a Massa-Carrara row by `old_name` (a name valid on other days only)."""
    lines = STOCK.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:] if ln.split(";")[1] in PROVINCES]
    row = next(i for i, ln in enumerate(kept) if ln.split(";")[1] == "PISA")
    if invented:
        kept[row] = kept[row].replace(";PISA;", f";{invented};", 1)
    if old_name:
        other = next(i for i, ln in enumerate(kept) if ln.split(";")[1] == "MASSA-CARRARA")
        kept[other] = kept[other].replace(";MASSA-CARRARA;", f";{old_name};", 1)
    return "\n".join(kept) + "\n", row + 1


def write(landing, text: str):
    folder = landing / "infocamere_opendata"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NAME).write_text(text, encoding="utf-8")


@pytest.fixture
def dagster_home(home, monkeypatch):
    """A persistent Dagster instance in the test home, the one `osservatorio status` reads."""
    monkeypatch.setenv("DAGSTER_HOME", str(home / ".dagster_home"))
    from pipelines.cli import _prepare_dagster_home

    _prepare_dagster_home()
    return home / ".dagster_home"


def run(job: str | None = CONTESTO_JOB) -> dg.ExecuteInProcessResult:
    from pipelines.runs import esegui_lavoro

    with dg.DagsterInstance.get() as instance:
        return esegui_lavoro(
            instance, job, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}})


def status(capsys) -> str:
    from pipelines.cli import main

    capsys.readouterr()
    assert main(["status"]) == 0
    return capsys.readouterr().out


def test_invented_code_refuses_the_file_before_raw_and_its_correction_loads(home, landing, dagster_home, capsys):
    warehouse = home / "warehouse" / "osservatorio.duckdb"
    assert run().success
    before = table_snapshot(warehouse)
    bad, row = small_stock(invented="PISSA")
    write(landing, bad)
    result = run()
    assert not result.success
    text = step_failures(result)["raw__infocamere_opendata"]
    assert (f"file {NAME}, riga {row}, colonna B (Provincia): 1 territorio sconosciuto: «PISSA» (riga {row}). "
            "Non è in nessuna versione degli elenchi Istat, ANPR ed Eurostat") in text
    assert "il file non è stato caricato" in text
    assert table_snapshot(warehouse) == before  # raw untouched, nothing recorded as loaded

    out = status(capsys)
    assert "non riuscita" in out and "FAILURE" not in out and "SUCCESS" not in out
    assert f"1 territorio sconosciuto: «PISSA» (riga {row})" in out
    assert "1 file da caricare" in out  # the refused file is still waiting, not loaded

    # corrected under the same name, with an old province name (valid until 2016): loads, the old
    # name counted as a warning, never a refusal
    good, _ = small_stock(old_name="CARBONIA-IGLESIAS")
    write(landing, good)
    result = run()
    assert result.success, step_failures(result)
    conn = duckdb.connect(str(warehouse), read_only=True)
    assert conn.execute("SELECT count(*) FROM raw.infocamere_opendata WHERE NOT campione").fetchone()[0] == \
        len(good.splitlines()) - 1
    assert conn.execute("SELECT count(*) FROM raw.infocamere_opendata WHERE territorio = 'PISSA'").fetchone() == (0,)
    assert conn.execute("SELECT gravita FROM qualita.rilievi_contesto WHERE territorio = 'CARBONIA-IGLESIAS'"
                        ).fetchall() == [("avviso",)]
    conn.close()
    assert "non riuscita" not in status(capsys).split("Ultime esecuzioni:")[1].splitlines()[1]


def test_a_file_loaded_before_the_rule_is_withdrawn_and_the_next_run_rebuilds(home, landing, dagster_home,
                                                                              capsys, monkeypatch):
    from pipelines import loading
    from pipelines.cli import main

    bad, row = small_stock(invented="PISSA")
    write(landing, bad)
    with monkeypatch.context() as m:  # the loader as it was: the code reaches raw, Q10 blocks every run
        m.setattr(loading, "unknown_territories", lambda *a, **k: [])
        result = run()
    assert not result.success
    text = step_failures(result)["qualita__rilievi_contesto_nessun_rilievo_bloccante"]
    assert text.startswith("Rilievi bloccanti di questa esecuzione in qualita.rilievi_contesto (1):")
    assert f"- {NAME}, riga {row}: territorio «PISSA» non presente in nessuna versione degli elenchi Istat" in text
    assert f"osservatorio ritira {NAME}" in text
    assert "DagsterAssetCheckFailedError" not in text
    out = status(capsys)
    assert "Rilievi bloccanti di questa esecuzione" in out and "«PISSA»" in out

    # the user deletes the file: the rows stay in raw, the next run still fails on them
    (landing / "infocamere_opendata" / NAME).unlink()
    assert not run().success

    write(landing, bad)  # the landing copy is moved aside, so it is not loaded again
    assert main(["ritira", NAME]) == 0
    assert (landing / "infocamere_opendata" / "_ritirati" / NAME).exists()
    assert not (landing / "infocamere_opendata" / NAME).exists()
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    assert conn.execute("SELECT count(*) FROM raw.infocamere_opendata WHERE NOT campione").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM meta.caricamenti WHERE file_nome = ? AND NOT campione",
                        [NAME]).fetchone() == (0,)
    conn.close()
    result = run()
    assert result.success, step_failures(result)
    capsys.readouterr()
    assert main(["ritira", "nessuno.csv"]) == 2
    assert "non risulta caricato" in capsys.readouterr().err


def test_withdraw_is_one_transaction_and_spares_the_sample(tmp_path):
    """withdraw() deletes raw rows and load-log lines together, only the office's file of that name."""
    from pipelines.loading import FileNonCaricato, withdraw

    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    conn.execute("CREATE SCHEMA raw; CREATE SCHEMA meta")
    conn.execute("CREATE TABLE raw.infocamere_opendata (file_nome VARCHAR, file_sha256 VARCHAR, campione BOOLEAN)")
    conn.execute("INSERT INTO raw.infocamere_opendata VALUES ('a.csv', 's1', true), ('a.csv', 's2', false), "
                 "('a.csv', 's2', false), ('b.csv', 's3', false)")
    conn.execute("CREATE TABLE meta.caricamenti (fonte VARCHAR, file_nome VARCHAR, file_sha256 VARCHAR, righe INTEGER, "
                 "campione BOOLEAN, caricato_il TIMESTAMP)")
    conn.execute("INSERT INTO meta.caricamenti VALUES ('infocamere_opendata', 'a.csv', 's1', 1, true, now()), "
                 "('infocamere_opendata', 'a.csv', 's2', 2, false, now())")
    conn.execute("BEGIN")
    done = withdraw(conn, "a.csv")
    conn.execute("ROLLBACK")  # nothing of it survives a rollback: one transaction
    assert done == {"fonte": "infocamere_opendata", "tabella": "raw.infocamere_opendata", "righe": 2, "sha256": ["s2"],
                    "camere": []}  # not a source partitioned by Camera
    assert conn.execute("SELECT count(*) FROM raw.infocamere_opendata").fetchone() == (4,)
    withdraw(conn, "a.csv")
    assert conn.execute("SELECT file_nome, campione FROM raw.infocamere_opendata ORDER BY ALL").fetchall() == [
        ("a.csv", True), ("b.csv", False)]
    assert conn.execute("SELECT file_sha256 FROM meta.caricamenti").fetchall() == [("s1",)]
    with pytest.raises(FileNonCaricato, match="dati di esempio"):
        withdraw(conn, "a.csv")
    with pytest.raises(FileNonCaricato, match="forse: b.csv"):
        withdraw(conn, "b.cvs")


def cli(home, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OSSERVATORIO_HOME": str(home), "DAGSTER_HOME": str(home / ".dagster_home")}
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_command_line_speaks_italian(tmp_path):
    out = cli(tmp_path, "boh")
    assert out.returncode == 2
    assert out.stderr.startswith("uso: osservatorio")
    assert "errore: argomento COMANDO: scelta non valida: 'boh'" in out.stderr
    assert "manca il valore" in cli(tmp_path, "run", "--camera").stderr
    assert "uso:" in cli(tmp_path, "--help").stdout and "mostra questo aiuto ed esce" in cli(tmp_path, "--help").stdout
    unknown = cli(tmp_path, "run", "--camera", "LUCA")
    assert unknown.returncode == 2
    assert "Camera «LUCA» sconosciuta: forse LU (Lucca)" in unknown.stderr
    assert "osservatorio camere" in unknown.stderr and "note:" not in unknown.stderr
    assert len(unknown.stderr) < 300  # no list of every code
    camere = cli(tmp_path, "camere")
    assert camere.returncode == 0 and "LU      Camera di Commercio di Lucca" in camere.stdout


def test_run_prints_the_italian_refusal_alone(home, landing, dagster_home):
    """`osservatorio run` on a refused extract: the Italian sentence first, no Dagster log or traceback
    on the console (they stay in the run's event log, whose link is printed)."""
    bad, row = small_stock(invented="PISSA")
    write(landing, bad)
    env = {**os.environ, "OSSERVATORIO_HOME": str(home), "DAGSTER_HOME": str(dagster_home)}
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=PROJECT, env=env,
                         capture_output=True, text=True, timeout=1800)
    assert out.returncode == 1
    assert out.stderr.lstrip().startswith("ERRORE in raw__infocamere_opendata:\nFonte «infocamere_opendata»: "
                                          "estratto rifiutato")
    assert f"«PISSA» (riga {row})" in out.stderr
    for english in ("dagster - ERROR", "Traceback", "Stack Trace", "DagsterExecutionStepExecutionError"):
        assert english not in out.stderr + out.stdout
    assert "Dettagli tecnici (traceback) nel registro eventi di Dagster" in out.stderr
