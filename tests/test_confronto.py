"""`osservatorio edizione confronta A B`: the printed figures that changed between two built editions,
each with its reason, on the two Lucca editions the session build published and on copies changed
the way a revised release or a new source changes them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipelines import cli
from pipelines import italiano as it


@pytest.fixture(scope="module")
def output(lucca_warehouse) -> Path:
    folder = lucca_warehouse.parent.parent / "output"
    assert (folder / "lucca_pp2019" / "tabelle").is_dir() and (folder / "lucca_rpp2020" / "tabelle").is_dir()
    return folder


def _confronta(capsys, a: Path, b: Path) -> tuple[str, list[str]]:
    assert cli.main(["edizione", "confronta", str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    return lines[0], lines[1:]


def test_the_plan_2019_against_the_rpp_2020(output, capsys):
    head, lines = _confronta(capsys, output / "lucca_pp2019", output / "lucca_rpp2020")
    assert head.endswith(f": {len(lines)} cifre cambiate") and len(lines) > 20
    # the value added moves from 2017 (the plan's cut-off, 30/09/2018) to 2018 (the RPP's, 30/06/2019)
    assert "  valore_aggiunto_territorio | Lucca · P046 | va_mln_euro: 9.810 → 9.922 (nuovo periodo (2018))" in lines
    # the health charts' values are named by their indicator, never by plotly's axis ids (x, x2, ...)
    health = [l for l in lines if l.startswith("  grafici/salute_")]
    assert health and not [l for l in health if re.search(r"\| (x\d*) ·|· x\d* \|", l)], health[:3]
    # figures print as the chapter prints them: Italian format, the column's decimals, never 25534,401283
    assert not [l for l in lines if re.search(r"\d{4,}|,\d{3,}", l.split(": ", 1)[1].split(" (")[0])], lines[:3]
    # the lending rates are only in the RPP, and Banca d'Italia is cited nowhere in the plan
    rates = [l for l in lines if l.startswith("  tassi_attivi |")]
    assert rates and all(l.endswith("(nuova fonte (tabella nuova, fonte non citata nella prima edizione))") for l in rates)
    # the companies by status are the same figures in both (no StockView quarter after 30/09/2018): not listed
    assert not [l for l in lines if l.startswith("  imprese_status |")]
    # every line is a figure that differs, with a reason
    for line in lines:
        before, after = re.search(r": (.*?) → (.*?) \(", line).groups()
        assert before != after and re.search(r"\((nuova fonte|nuovo periodo|tabella|periodo o voce|voce aggiunta|"
                                             r"rilascio rivisto|dato rivisto)", line), line


def _edit(csv: Path, row: int, column: str, value: str) -> str:
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    cells = lines[row].split(";")
    old, cells[header.index(column)] = cells[header.index(column)], value
    lines[row] = ";".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return old


def _sidecar(csv: Path, **changes) -> None:
    path = csv.with_name(csv.name + "-metadata.json")
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def test_reasons_revised_release_same_release_and_new_source(output, tmp_path, capsys):
    edition = output / "lucca_pp2019"
    later = tmp_path / "dopo"
    shutil.copytree(edition, later)
    head, lines = _confronta(capsys, edition, later)
    assert head.endswith(": 0 cifre cambiate") and lines == []
    # a revised release: the same period, another value, the "Fonte:" line names a later release
    status = later / "tabelle" / "imprese_status.csv"
    old = _edit(status, 1, "sedi", "36500")
    fonte = json.loads(status.with_name(status.name + "-metadata.json").read_text(encoding="utf-8"))["dc:source"]
    _sidecar(status, **{"dc:source": f"{fonte} (aprile 2019)"})
    # the same release printing another value
    tourism = later / "tabelle" / "turismo_arrivi_presenze.csv"
    header = tourism.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    meta = json.loads(tourism.with_name(tourism.name + "-metadata.json").read_text(encoding="utf-8"))
    column = next(c["name"] for c in meta["tableSchema"]["columns"] if c["datatype"]["base"] == "integer"
                  and c["name"] not in ("anno", "periodo"))
    assert column in header
    _edit(tourism, 1, column, "1")
    # a source the first edition does not cite
    shutil.copy(status, later / "tabelle" / "nuova.csv")
    shutil.copy(status.with_name(status.name + "-metadata.json"), later / "tabelle" / "nuova.csv-metadata.json")
    _sidecar(later / "tabelle" / "nuova.csv", **{"dc:source": "Fonte: una fonte mai usata"})
    head, lines = _confronta(capsys, edition, later)
    changed = {l.split(" | ")[0].strip(): l for l in lines}
    assert changed["imprese_status"] == (f"  imprese_status | Attive | sedi: {it.numero(int(old))} → 36.500 "
                                         f"(rilascio rivisto («{fonte}» → «{fonte} (aprile 2019)»))")
    assert changed["turismo_arrivi_presenze"].endswith("(dato rivisto nello stesso rilascio)")
    assert changed["nuova"].endswith("(nuova fonte (tabella nuova, fonte non citata nella prima edizione))")
    rows = len(status.read_text(encoding="utf-8-sig").splitlines()) - 1
    assert len([l for l in lines if l.startswith("  nuova |")]) == rows  # every figure of the new table
    assert len(lines) == rows + 2, lines


def test_a_folder_without_an_edition_is_refused(tmp_path, capsys):
    assert cli.main(["edizione", "confronta", str(tmp_path), str(tmp_path)]) == 2
    assert "non c'è un'edizione costruita" in capsys.readouterr().err


def test_figures_print_with_their_decimals_and_a_dropped_year_is_no_new_period(tmp_path, capsys):
    """Two tiny editions written by the publishing code: the older year the newer table drops is "no longer
    published" (not "nuovo periodo"); figures show as printed, with the column's decimals; a change below the
    printed precision is no change."""
    import pandas as pd

    from pipelines import tabelle

    def edition(name: str, title: str, rows: list[tuple[int, float]]) -> Path:
        folder = tmp_path / name
        (folder / "tabelle").mkdir(parents=True)
        df = pd.DataFrame([("Lucca", anno, v) for anno, v in rows], columns=["territorio", "anno", "valore"])
        foglio = tabelle.Foglio("prova", title, df, "Fonte: prova", etichette={"valore": "Valore (euro)"},
                                decimali={"valore": 1})
        tabelle.scrivi_csv(foglio, folder / "tabelle" / "prova.csv", {})
        return folder

    a = edition("a", "Tabella 1 – Prova 2016-2017", [(2016, 25534.401283), (2017, 9.573287)])
    b = edition("b", "Tabella 1 – Prova 2017-2018", [(2017, 9.56), (2018, 1234567.25)])
    _, lines = _confronta(capsys, a, b)
    assert lines == ["  prova | Lucca · 2016 | valore: 25.534,4 → — (periodo o voce non più pubblicati)",
                     "  prova | Lucca · 2018 | valore: — → 1.234.567,3 (nuovo periodo (2018))"], lines
