"""Analyst notebooks run against the warehouse (so they never rot), and the office's command line works."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_read_only(path, lucca_warehouse, monkeypatch):
    monkeypatch.setenv("OSSERVATORIO_WAREHOUSE", str(lucca_warehouse))
    namespace: dict = {}
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{path.name}", "exec"), namespace)  # noqa: S102
    assert "riconciliazione" in namespace and "riprodotto" in set(namespace["riconciliazione"]["esito"])
    if path.stem == "contesto_economico":
        assert namespace["va"]["territorio"].tolist()[:3] == ["Firenze", "Pisa", "Lucca"]
        assert len(namespace["vintage"]) == 3


def test_cli_run_and_status(tmp_path):
    env = {**os.environ, "OSSERVATORIO_HOME": str(tmp_path)}
    env.pop("DAGSTER_HOME", None)
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=PROJECT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"Magazzino dati: {tmp_path / 'warehouse' / 'osservatorio.duckdb'}" in run.stdout
    assert "[avviso Q1] bilancio_lucca_pp2019.csv, riga" in run.stdout
    # periods as the office writes them: population at 1 January, a stock at a date, a year; never an ISO code
    assert "Lucca, indice di vecchiaia «Totale» (1° gennaio 2011) è stampato come 187" in run.stdout
    assert "Lucca, sedi d'impresa «Totale registrate» (30 settembre 2018) è stampato come 42.794" in run.stdout
    assert "spesa per beni durevoli «Totale» (2018) è stampato come 1,80" in run.stdout
    assert not re.search(r"\(\d{4}-\d{2}-\d{2}\)", run.stdout)
    assert re.search(r"esecuzione \w{8}, pubblicata il \d\d/\d\d/\d{4} alle \d\d:\d\d\n", run.stdout), run.stdout
    status = subprocess.run([sys.executable, "-m", "pipelines.cli", "status"], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert status.returncode == 0, status.stderr[-3000:]
    assert "bilancio                 1 file (dati di esempio); tutto caricato" in status.stdout
    assert "osservatorio_completo" in status.stdout and "riuscita" in status.stdout and "SUCCESS" not in status.stdout
    # a new extract in landing/ is seen as waiting, and a bad one fails the run with the Italian reason
    (tmp_path / "landing" / "bilancio").mkdir(parents=True)
    (tmp_path / "landing" / "bilancio" / "nuovo.csv").write_text("camera,anno\nLU,2020\n")
    status = subprocess.run([sys.executable, "-m", "pipelines.cli", "status"], cwd=PROJECT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert "1 file da caricare: nuovo.csv" in status.stdout
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=PROJECT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert "file nuovo.csv, riga 1: mancano le colonne obbligatorie" in run.stderr
    assert "capitolo.html" not in run.stdout  # the previous run's chapter is not this run's output
    assert "nessuna uscita nuova in questa esecuzione" in run.stdout


@pytest.mark.parametrize("args", [("camere",), ("edizione", "elenco")])
def test_output_into_a_closed_pipe_ends_without_a_traceback(args, tmp_path):
    """`osservatorio camere | head`: a reader that stops early ends the command quietly, whatever the command.
    The pipe's read end is closed before the command starts, so its first write meets a closed pipe."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "OSSERVATORIO_HOME": str(tmp_path), "DAGSTER_HOME": str(tmp_path / ".dagster_home")}
    try:
        out = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=PROJECT, env=env, stdout=write,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert "Traceback" not in out.stderr and "BrokenPipeError" not in out.stderr, out.stderr
    assert out.returncode == 1


def test_edition_list_header_lines_up_with_its_rows(capsys):
    """`osservatorio edizione elenco`: each column's title ends (dates, right-aligned) or starts (text) where its values do."""
    from pipelines import cli

    assert cli.main(["edizione", "elenco"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    rows = [r for r in rows if "/" in r[:60]]
    assert rows
    for row in rows:
        for title in ("dati al", "edizione del"):
            end = header.index(title) + len(title)
            assert row[end - 10:end].count("/") == 2 and row[end:end + 1] == " ", (header, row)
        assert row.index(row.split()[1]) == header.index("Camera"), (header, row)
        assert row[header.index("documento") - 1] == " " and row[header.index("documento")] != " ", (header, row)


def test_the_snapshot_time_prints_as_an_italian_date_and_local_time():
    """The manifesto's UTC stamp (its folder's name) printed as the office reads a clock: Italian date, Rome time."""
    from pipelines.istantanea import pubblicata_il

    assert pubblicata_il({"pubblicato_il": "20261130T102942926103Z"}) == "il 30/11/2026 alle 11:29"  # CET, +1
    assert pubblicata_il({"pubblicato_il": "20260715T225959000000Z"}) == "il 16/07/2026 alle 00:59"  # CEST, +2
    assert pubblicata_il({}) == "?"
