"""ATECO 2007 and ATECO 2025 as versions of one dimension: InfoCamere's 2025 stock is ATECO 2025, and a
change across the break is computed only on groups of sections comparable through Istat's raccordo, flagged."""

from __future__ import annotations

import csv
from collections import Counter

import duckdb
import pytest

from conftest import SAMPLE, build_in_home, drop

STOCK_2025 = SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv"
# An ATECO 2007 stock a year earlier (test input): finance was section K, real estate L, software J.
STOCK_2024 = """Regione;Provincia;Settore;Divisione;Classe;Sottocategoria;Imprese Attive
TOSCANA;LUCCA;A;01;011;011100;3000
TOSCANA;LUCCA;J;62;620;620100;300
TOSCANA;LUCCA;J;61;611;611000;20
TOSCANA;LUCCA;K;64;641;641910;700
TOSCANA;LUCCA;L;68;681;681000;2000
TOSCANA;LUCCA;X;X;X;X;10
TOSCANA;PISA;K;64;641;641910;650
TOSCANA;PISA;L;68;681;681000;1800
"""


def test_the_raccordo_groups_sections_that_changed_content(lucca):
    groups = dict(lucca.execute("SELECT versione || ' ' || sezione, raggruppamento FROM staging.stg_ateco_confrontabili").fetchall())
    assert groups["ATECO 2007 K"] == groups["ATECO 2025 L"] == "K (ATECO 2007) = L (ATECO 2025)"   # finance
    assert groups["ATECO 2007 J"] == groups["ATECO 2025 K"] == "J (ATECO 2007) = J+K (ATECO 2025)"   # ICT split
    assert groups["ATECO 2007 C"] == "C (ATECO 2007) = C (ATECO 2025)"
    assert groups["ATECO 2007 L"] != groups["ATECO 2025 L"]   # same letter, different activities
    assert lucca.execute("SELECT count(*) FROM meta.ateco_raccordo").fetchone()[0] == 3157


def test_infocamere_2025_stock_is_ateco_2025(lucca):
    from pipelines import catalog

    dataset = catalog.fonte("infocamere_opendata")["dataset"]
    assert not dataset.endswith("codice ATECO 2007") and "ATECO 2025 dagli stock di aprile 2025" in dataset
    version = lucca.execute(
        "SELECT versione FROM meta.classificazioni WHERE fonte = 'infocamere_opendata' "
        "AND DATE '2025-06-30' BETWEEN coalesce(try_cast(valida_dal AS DATE), DATE '0001-01-01') "
        "AND coalesce(try_cast(valida_al AS DATE), DATE '9999-12-31')").fetchall()
    assert version == [("ATECO 2025",)]


@pytest.fixture(scope="module")
def across_the_break(tmp_path_factory):
    home = tmp_path_factory.mktemp("ateco")
    landing = home / "landing"
    drop(landing, "infocamere_opendata", STOCK_2025)
    (landing / "infocamere_opendata" / "2024-06-30-Stock-Imprese-Attive-Italia.csv").write_text(STOCK_2024)
    warehouse = build_in_home(home, job="contesto_economico")
    conn = duckdb.connect(str(warehouse), read_only=True)
    yield conn
    conn.close()


def stock_2025_by_section(province: str) -> Counter:
    counts = Counter()
    with open(STOCK_2025, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            if rec["Provincia"] == province:
                counts[rec["Settore"]] += int(rec["Imprese Attive"])
    return counts


def test_change_across_the_break_only_on_comparable_groups(across_the_break):
    rows = across_the_break.execute(
        "SELECT dimensione, valore_dimensione, valore, valore_prec, variazione_pct, classificazione, "
        "classificazione_prec, rottura_classificazione FROM marts.contesto_variazioni "
        "WHERE fonte = 'infocamere_opendata' AND territorio_id = 'P046' AND periodo = '2025-06-30'").fetchall()
    by_key = {(r[0], r[1]): r for r in rows}
    # no section compared with the same letter of the other version
    assert not [r for r in rows if r[0].startswith("sezione_ateco")]
    sections = stock_2025_by_section("LUCCA")
    finance = by_key[("raggruppamento_ateco", "K (ATECO 2007) = L (ATECO 2025)")]
    assert finance[2:4] == (sections["L"], 700)
    assert finance[4] == pytest.approx(100 * (sections["L"] - 700) / 700)
    assert finance[5:] == ("ATECO 2025", "ATECO 2007", True)
    ict = by_key[("raggruppamento_ateco", "J (ATECO 2007) = J+K (ATECO 2025)")]
    assert ict[2:4] == (sections["J"] + sections["K"], 320)
    total = by_key[("totale", "Totale")]
    assert total[2:4] == (sum(sections.values()), 6030) and total[7] is True   # comparable, and flagged


def test_changes_within_one_version_are_not_flagged(lucca):
    flagged = lucca.execute("SELECT count(*) FILTER (WHERE rottura_classificazione), count(*) "
                            "FROM marts.contesto_variazioni").fetchone()
    assert flagged[0] == 0 and flagged[1] > 0


def test_another_province_gets_the_same_treatment(across_the_break):
    finance = across_the_break.execute(
        "SELECT valore, valore_prec, rottura_classificazione FROM marts.contesto_variazioni "
        "WHERE fonte = 'infocamere_opendata' AND territorio_id = 'P050' AND periodo = '2025-06-30' "
        "AND valore_dimensione = 'K (ATECO 2007) = L (ATECO 2025)'").fetchall()
    assert finance == [(stock_2025_by_section("PISA")["L"], 650, True)]
