"""Editions as data (data/edizioni/), the words for any territory, and the office's edition commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import PROJECT
from pipelines import edizioni
from pipelines import italiano as it


def test_editions_have_no_typed_periods():
    assert {"lucca_pp2019", "lucca_rpp2020"} <= set(edizioni.ids())
    for edizione_id in edizioni.ids():
        ed = edizioni.carica(edizione_id)
        assert "periodi" not in ed and ed["data_taglio"] <= ed["data_edizione"]
    assert edizioni.carica("lucca_rpp2020")["data_taglio"].isoformat() == "2019-06-30"


@pytest.mark.parametrize("text,reason", [
    ("camera: LU\ndocumento: D\ntitolo: T\ndata_taglio: 2018-09-30\ndata_edizione: 2019-01-31\nperiodi: {}\n",
     "campi sconosciuti periodi"),
    ("camera: XX\ndocumento: D\ntitolo: T\ndata_taglio: 2018-09-30\ndata_edizione: 2019-01-31\n", "Camera «XX» sconosciuta"),
    ("camera: LU\ndocumento: D\ntitolo: T\ndata_taglio: 31/09/2018\ndata_edizione: 2019-01-31\n", "non è una data"),
    ("camera: LU\ndocumento: D\ndata_taglio: 2018-09-30\ndata_edizione: 2019-01-31\n", "mancano i campi titolo"),
    ("camera: LU\ndocumento: D\ntitolo: T\ndata_taglio: 2019-09-30\ndata_edizione: 2019-01-31\n", "segue quella"),
])
def test_a_bad_edition_file_says_why(tmp_path, monkeypatch, text, reason):
    monkeypatch.setattr(edizioni, "CARTELLA", tmp_path)
    (tmp_path / "prova.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(edizioni.EdizioneNonValida, match=reason):
        edizioni.carica("prova")


def test_every_camera_has_an_edition():
    assert edizioni.della_camera("LU") == ["lucca_pp2019", "lucca_rpp2020"]
    ed = edizioni.carica("tno_corrente")
    assert ed["camera"] == "TNO" and ed["data_taglio"] == ed["data_edizione"]
    with pytest.raises(edizioni.EdizioneNonValida, match="sconosciuta"):
        edizioni.carica("nessuna_edizione")


def test_words_for_any_territory():
    assert it.nome_camera("Camera di Commercio di Lucca", "Lucca", ["Lucca"]).di == "della provincia di Lucca"
    tno = it.nome_camera("Camera di Commercio della Toscana Nord-Ovest", "Toscana Nord-Ovest",
                         ["Lucca", "Massa-Carrara", "Pisa"])
    assert tno.soggetto == ("il territorio della Camera di Commercio della Toscana Nord-Ovest "
                            "(province di Lucca, Massa-Carrara e Pisa)")
    assert tno.in_.startswith("nel territorio della") and tno.aggettivo == "del territorio"
    from pipelines.settings import regioni

    r = {v["nome"]: it.nome_regione(**v) for v in regioni().values()}
    assert (r["Toscana"].in_, r["Toscana"].di) == ("in Toscana", "della Toscana")
    assert (r["Lazio"].in_, r["Lazio"].di) == ("nel Lazio", "del Lazio")
    assert (r["Marche"].in_, r["Marche"].di, r["Marche"].soggetto) == ("nelle Marche", "delle Marche", "le Marche")
    assert (r["Umbria"].di, r["Emilia-Romagna"].soggetto) == ("dell'Umbria", "l'Emilia-Romagna")
    two = it.nome_regioni([r["Veneto"], r["Friuli-Venezia Giulia"]])
    assert two.in_ == "nelle regioni Veneto e Friuli-Venezia Giulia"
    assert len(regioni()) == 20


def test_edition_commands(lucca_warehouse, tmp_path):
    env = {**os.environ, "OSSERVATORIO_HOME": str(lucca_warehouse.parent.parent), "OSSERVATORIO_OUTPUT": str(tmp_path),
           "DAGSTER_HOME": str(tmp_path / ".dagster")}
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "edizione", "elenco"], cwd=PROJECT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "lucca_rpp2020" in out.stdout and "30/06/2019" in out.stdout
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "edizione", "costruisci", "lucca_rpp2020",
                          "--senza-aggiornare"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert (tmp_path / "lucca_rpp2020" / "capitolo.pdf").exists()
    assert not (tmp_path / "lucca_pp2019").exists()  # only the edition asked for
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "edizione", "costruisci", "nessuna"], cwd=PROJECT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Edizione «nessuna» sconosciuta" in out.stderr
