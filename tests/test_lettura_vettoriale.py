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
        path = sorted((tmp_path / fonte).glob("*.csv"))[0]
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
