"""Layouts by recognition: the same real observations written in each layout Istat's services produce
give the same values; a layout not recognised is refused naming the file, what was expected and what was found.

The SDMX-CSV 2.0, "labels" and codes-only variants are written here from the real SDMX-CSV 1.0 response
(data/sample/lucca/istat_sdmx/sdmx_csv_41_983.csv, Istat CC BY 4.0) following the layouts' rules, since no
such file of ours is public: the other layouts are real files (tests/test_realdata.py)."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import SAMPLE
from pipelines.errors import ErroreEstratto
from pipelines.formats import parse_istat_export, parse_sdmx_csv

REAL = SAMPLE / "istat_sdmx" / "sdmx_csv_41_983.csv"


def _rows():
    return list(csv.DictReader(io.StringIO(REAL.read_text(encoding="utf-8-sig"))))


def _write(path, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _values(frame):
    return frame[["territorio", "periodo", "valore_dimensione", "misura", "valore"]].values.tolist()


@pytest.fixture
def expected():
    return _values(parse_sdmx_csv(REAL))


def test_sdmx_csv_2_0(tmp_path, expected):
    rows = [["dataflow", "IT1:41_983(1.0)", "I", r["FREQ"], r["ESITO"], r["ITTER107"], r["TIPO_DATO"],
             r["TIME_PERIOD"], r["OBS_VALUE"]] for r in _rows()]
    path = _write(tmp_path / "v2.csv", ["STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "ESITO", "ITTER107", "TIPO_DATO",
                                        "TIME_PERIOD", "OBS_VALUE"], rows)
    assert _values(parse_sdmx_csv(path)) == expected


def test_sdmx_csv_with_labels(tmp_path, expected):
    labels = {"FREQ": "Frequenza", "ESITO": "Esito", "ITTER107": "Territorio", "TIPO_DATO": "Tipo dato"}
    header = ["DATAFLOW", *[f"{c}: {t}" for c, t in labels.items()], "TIME_PERIOD: Periodo", "OBS_VALUE: Valore"]
    rows = [[r["DATAFLOW"], f"{r['FREQ']}: annuale", f"{r['ESITO']}: feriti", f"{r['ITTER107']}: Palermo",
             f"{r['TIPO_DATO']}: morti e feriti", r["TIME_PERIOD"], r["OBS_VALUE"]] for r in _rows()]
    assert _values(parse_sdmx_csv(_write(tmp_path / "etichette.csv", header, rows))) == expected


def test_istat_export_with_and_without_labels_and_semicolons(tmp_path, expected):
    plain = [[r["ITTER107"], r["TIPO_DATO"], r["ESITO"], r["TIME_PERIOD"], r["OBS_VALUE"], ""] for r in _rows()]
    header = ["ITTER107", "TIPO_DATO", "ESITO", "TIME", "Value", "Flags"]
    codes_only = parse_istat_export(_write(tmp_path / "solo_codici.csv", header, plain))
    labelled = [[r[0], "Palermo", r[1], "morti e feriti", r[2], "feriti", r[3], r[3], r[4], "", ""] for r in plain]
    with_labels = parse_istat_export(_write(tmp_path / "codici_etichette.csv",
                                            ["ITTER107", "Territorio", "TIPO_DATO", "Tipo dato", "ESITO", "Esito", "TIME",
                                             "Seleziona periodo", "Value", "Flag Codes", "Flags"], labelled))
    text = "\n".join(";".join(r) for r in [header, *plain]) + "\n"
    (tmp_path / "punto_e_virgola.csv").write_text(text, encoding="utf-8")
    semicolons = parse_istat_export(tmp_path / "punto_e_virgola.csv")
    values = [[t, p, "|".join(reversed(v.split("|"))), "istat_export", x] for t, p, v, _, x in expected]
    assert _values(codes_only) == _values(with_labels) == _values(semicolons) == values


def test_unrecognised_layout_names_file_expected_and_found(tmp_path):
    path = _write(tmp_path / "altro.csv", ["REF_AREA", "TIME_PERIOD", "Importo"], [["ITE12", "2020", "5"]])
    with pytest.raises(ErroreEstratto) as err:
        parse_sdmx_csv(path)
    assert ("file altro.csv, riga 1: manca la colonna del valore: attese OBS_VALUE o Observation (SDMX-CSV, "
            "esploradati) o Value (I.Stat); trovate: REF_AREA, TIME_PERIOD, Importo") in str(err.value)
