"""Parsing the office's files: number styles, encodings, missing markers, templates."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PROJECT
from pipelines import catalog
from pipelines.errors import ErroreEstratto
from pipelines.extracts import excel_column, parse_number, read_extract


@pytest.mark.parametrize("text,style,expected", [
    ("1.234,5", "it", (1234.5, 1)), ("1234,5", "it", (1234.5, 1)), ("36.301", "it", (36301.0, 0)),
    ("(0,4)", "it", (-0.4, 1)), ("-11,8", "it", (-11.8, 1)), ("1,234.5", "en", (1234.5, 1)),
    ("8609.6", "en", (8609.6, 1)), ("3288", "en", (3288.0, 0)), ("1 234,50", "it", (1234.5, 2)),
])
def test_numbers(text, style, expected):
    assert parse_number(text, style) == expected


@pytest.mark.parametrize("text,style,fragment", [
    ("1234.5", "it", "sembra scritto all'inglese"), ("1234,5", "en", "sembra scritto all'italiana"),
    ("25.00,00", "it", "non è un numero valido"), ("12a", "it", "non è un numero valido"),
])
def test_bad_numbers(text, style, fragment):
    assert fragment in parse_number(text, style)


def test_excel_columns():
    assert [excel_column(i) for i in (0, 4, 25, 26, 27)] == ["A", "E", "Z", "AA", "AB"]


def test_latin1_semicolon_csv_with_missing_markers(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("camera;anno;tipo;voce;valore;unita;rilascio;natura;riferimento;nota\r\n"
                     "LU;2018;consuntivo;oc_personale;3.174,5;EUR_k;31/01/2019;;;perché\r\n"
                     "LU;2018;consuntivo;oc_funz_spese_varie;nd;EUR_k;31/01/2019;;;\r\n"
                     "LU;2018;consuntivo;oc_funz_organi_istituzionali;-;EUR_k;00/01/1900;;;\r\n".encode("cp1252"))
    with pytest.raises(ErroreEstratto) as err:
        read_extract(path, catalog.fonte("bilancio")["colonne"])
    # the Excel zero date is missing, and rilascio is required: named with row and column
    assert "file latin1.csv, riga 4, colonna G (rilascio)" in str(err.value)
    path.write_bytes(path.read_bytes().replace(b"00/01/1900", b"31/01/2019"))
    frame = read_extract(path, catalog.fonte("bilancio")["colonne"])
    assert frame["valore"].tolist()[0] == 3174.5 and frame["valore"].isna().tolist() == [False, True, True]
    assert frame["nota"].tolist()[0] == "perché"
    assert frame["rilascio"].tolist()[0] == dt.date(2019, 1, 31)
    assert frame["_riga"].tolist() == [2, 3, 4]


@pytest.mark.parametrize("rows", [1, 40])  # one row: the row-by-row path; 40: the vectorised one
def test_napoli_sigla_is_not_a_missing_marker(tmp_path, rows):
    """"NA" in a text column is Napoli's sigla (and "ND" could be a code): only numbers have missing markers."""
    path = tmp_path / "napoli.csv"
    line = "NA;provincia;2018;branca;Totale;va_prezzi_correnti;{};mln_euro;31/10/2018;no;ufficiale;\n"
    path.write_text("territorio;livello;periodo;dimensione;valore_dimensione;misura;valore;unita;rilascio;"
                    "provvisorio;natura;riferimento\n" + line.format("na") + line.format("61.234,5") * (rows - 1),
                    encoding="utf-8")
    frame = read_extract(path, catalog.fonte("prometeia")["colonne"])
    assert frame["territorio"].tolist() == ["NA"] * rows
    assert frame["valore"].isna().tolist() == [True] + [False] * (rows - 1)  # "na" as a value is still missing


def test_utf8_bom_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffpanel,descrizione,camera\ntoscana,Camere toscane,LU\n".encode("utf-8"))
    frame = read_extract(path, catalog.fonte("benchmark_panel")["colonne"])
    assert frame.loc[0, "panel"] == "toscana"


def test_templates_are_current_and_parse(tmp_path):
    """The committed templates equal, byte for byte, what `osservatorio template` writes (XLSX included: no save
    time in its properties nor in its zip, so rewriting an unchanged template leaves the git tree clean), and
    read back cleanly."""
    from pipelines.templates import write_templates

    for path in write_templates(tmp_path):
        committed = PROJECT / "data" / "templates" / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run osservatorio template"
        from pipelines.templates import EXAMPLES

        fonte = EXAMPLES[path.stem.removeprefix("estratto_")][0]
        frame = read_extract(path, catalog.fonte(fonte)["colonne"])
        assert len(frame) >= 1
        if fonte == "bilancio":
            assert frame.loc[0, "valore"] == 4796.9  # "4.796,9" read the Italian way in both formats
