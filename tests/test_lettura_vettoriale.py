"""The vectorised reading of CSV extracts gives exactly the frame of the row-by-row path, and leaves to
that path every file with something to say (its messages name file, row and column)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from pipelines import catalog, extracts
from pipelines.errors import ErroreEstratto

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "data" / "sample" / "lucca"


def _template_csvs() -> list[tuple[str, Path]]:
    out = []
    for fonte, spec in catalog.fonti().items():
        if spec.get("formato", "modello") != "modello":
            continue
        out += [(fonte, p) for p in sorted((SAMPLE / fonte).glob("*.csv"))]
    return out


def _both(path: Path, columns: list[dict], monkeypatch) -> tuple[pd.DataFrame, pd.DataFrame]:
    fast = extracts.read_extract(path, columns)
    with monkeypatch.context() as m:
        m.setattr(extracts, "_convert_columns", lambda *a, **k: None)
        slow = extracts.read_extract(path, columns)
    return fast, slow


@pytest.mark.parametrize("fonte,path", _template_csvs(), ids=lambda x: getattr(x, "name", x))
def test_same_frame_as_row_by_row(fonte, path, monkeypatch):
    fast, slow = _both(path, catalog.fonte(fonte)["colonne"], monkeypatch)
    pd.testing.assert_frame_equal(fast, slow)


def test_same_frame_on_the_national_generator(tmp_path, monkeypatch):
    sys.path.insert(0, str(PROJECT))
    from benchmarks import nazionale

    nazionale.genera(tmp_path, scala=0.002)
    for fonte in ("istat_coeweb", "infocamere_stockview", "bilancio", "benchmark_valori"):
        path = sorted((tmp_path / fonte).rglob("*.csv"))[0]  # bilancio: one folder per Camera
        fast, slow = _both(path, catalog.fonte(fonte)["colonne"], monkeypatch)
        pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize("cell,message", [('"1,5"', "sembra scritto all'italiana"), ("(12.5)", None),
                                          ("", "valore mancante"), ("abc", "non è un numero valido")])
def test_cells_with_something_to_say_go_row_by_row(tmp_path, cell, message):
    columns = [{"nome": "anno", "tipo": "intero", "obbligatoria": True},
               {"nome": "valore", "tipo": "numero", "obbligatoria": True}]
    path = tmp_path / "x.csv"
    path.write_text(f"anno,valore\n2017,10.5\n2018,{cell}\n", encoding="utf-8")
    if message is None:  # an accounting negative: only the row-by-row path knows it
        assert extracts.read_extract(path, columns)["valore"].tolist() == [10.5, -12.5]
        return
    with pytest.raises(ErroreEstratto) as err:
        extracts.read_extract(path, columns)
    problem = err.value.problemi[0]
    assert message in problem.messaggio and problem.riga == 3 and problem.colonna.startswith("B")


# --- lettura.tabella: the rows of lettura.rows, read once by pyarrow --------------------------------

def _as_rows(path: Path, text: str, delimiter: str, start: int = 0, reader=None):
    """Header and (row number, cells) of `reader` (lettura.rows or lettura.tabella), or the Italian refusal."""
    from pipelines import lettura

    try:
        if reader is None:
            return lettura.rows(path, text, delimiter, start)
        header, cells = lettura.tabella(path, text, delimiter, start)
        return header, list(zip(cells["_riga"].tolist(), cells.drop(columns="_riga").astype(object).to_numpy().tolist()))
    except ErroreEstratto as err:
        return str(err)


TESTI = {  # what offices and publishers really save: blank and separator-only lines, trailing separators, …
    "semplice": "a;b\n1;2\n3;4\n",
    "righe_vuote": "a;b\n\n1;2\n   \n;;\n3;4\n\n",
    "separatore_finale": "a;b;\n1;2;\n3;4;\n",
    "separatore_finale_solo_righe": "a;b\n1;2;\n3;4;\n",
    "campo_in_piu_pieno": "a;b\n1;2;x\n",
    "riga_corta": "a;b;c\n1;2;3\n4;5\n",
    "virgolette_e_a_capo": 'a;b\n"x;y";"riga\nnuova"\n"a""b";2\n',
    "crlf": "a;b\r\n1;2\r\n3;4\r\n",
    "solo_intestazione": "a;b\n",
    "intestazione_vuota_in_mezzo": "a;;c\n1;;3\n",
    "spazi": " a ; b \n 1 ; 2 \n",
    "troncato": "a;b\n1;2",
}


@pytest.mark.parametrize("name", sorted(TESTI))
def test_tabella_reads_what_rows_reads(tmp_path, name):
    from pipelines import lettura

    path = tmp_path / f"{name}.csv"
    for start in (0, 1):
        expected = _as_rows(path, TESTI[name], ";", start)
        assert _as_rows(path, TESTI[name], ";", start, reader=lettura.tabella) == expected, start


def _delimited_files() -> list[Path]:
    own = [p for p in (PROJECT / "tests" / "fixtures").rglob("*.csv")]
    return sorted(own + list(SAMPLE.rglob("*.csv")))


def test_tabella_reads_what_rows_reads_on_every_csv_of_the_repository():
    from pipelines import lettura

    checked = 0
    for path in _delimited_files():
        try:
            text = lettura.decode(path)
        except ErroreEstratto:
            continue
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = lettura.sniff_delimiter(first)
        for start in (0, 1):
            assert _as_rows(path, text, delimiter, start, lettura.tabella) == _as_rows(path, text, delimiter, start), path
            checked += 1
    assert checked > 50


# --- publisher parsers: the vectorised path gives the frame of the row-by-row path ----------------

PARSER_FONTI = {"infocamere_opendata": "parse_infocamere_stock", "mef_irpef": "parse_mef_irpef",
                "istat_demo_bilancio": "parse_demo_bilancio", "istat_demo_popolazione": "parse_demo_popolazione_eta"}


def _publisher_files(tmp_path: Path) -> list[tuple[str, Path]]:
    from benchmarks import nazionale

    sys.path.insert(0, str(PROJECT))
    nazionale.genera(tmp_path, scala=0.002)
    out = []
    for fonte in PARSER_FONTI:
        for folder in (SAMPLE / fonte, tmp_path / fonte):
            out += [(fonte, p) for p in sorted(folder.glob("*.csv")) if not p.name.startswith("_")]
    real = PROJECT / "tests" / "fixtures" / "realdata"
    out += [("mef_irpef", p) for p in sorted(real.glob("Redditi*.csv"))]
    out += [("istat_demo_bilancio", p) for p in sorted(real.glob("*_bd*.csv"))]
    out += [(fonte, p) for fonte, case in (("istat_demo_popolazione", "demo_2006_eta_apostrofo"),
                                           ("istat_demo_bilancio", "demo_bilancio_2019_puntoevirgola"),
                                           ("mef_irpef", "mef_per_cap"))
            for p in sorted((PROJECT / "tests" / "fixtures" / "formati" / case).glob("*.csv"))]
    return out


def _parsed(fn, path: Path):
    try:
        return fn(path)
    except ErroreEstratto as err:
        return str(err)


def test_publisher_parsers_vectorised_equal_row_by_row(tmp_path, monkeypatch):
    from pipelines import formats

    files = _publisher_files(tmp_path)
    assert {f for f, _ in files} == set(PARSER_FONTI)
    for fonte, path in files:
        fn = getattr(formats, PARSER_FONTI[fonte])
        fast = _parsed(fn, path)
        with monkeypatch.context() as m:  # every cell "needs a message": the row-by-row path reads the file
            m.setattr(formats, "_conformi", lambda series, pattern: pd.Series(False, index=series.index))
            slow = _parsed(fn, path)
        if isinstance(fast, str) or isinstance(slow, str):
            assert fast == slow, path
        else:
            pd.testing.assert_frame_equal(fast, slow, obj=str(path))


def test_a_bad_count_is_named_by_the_row_by_row_path(tmp_path):
    from pipelines import formats

    src = SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].rsplit(";", 1)[0] + ";circa 10"
    path = tmp_path / src.name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ErroreEstratto) as err:
        formats.parse_infocamere_stock(path)
    assert str(err.value.problemi[0]) == (f"file {src.name}, riga 6, colonna G (Imprese Attive): "
                                          "«circa 10» non è un numero di imprese")
