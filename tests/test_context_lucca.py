"""The economic context: territory codes, real formats, marts, and the figures of the seed chapters.

The reference is contesto_pubblicati (every figure of the 001 and 003 context chapters, from
data/reference/lucca/context_tables/): the tests below name the facts the chapters state.
"""

from __future__ import annotations

import re

import pytest


def reconciliation(conn, measure, territory, period, modality="Totale", ref=None):
    sql = ("SELECT valore_pubblicato, valore_calcolato, esito, base FROM marts.contesto_riconciliazione "
           "WHERE misura = ? AND territorio = ? AND periodo = ? AND valore_dimensione = ?")
    args = [measure, territory, period, modality]
    if ref:
        sql += " AND riferimento = ?"
        args.append(ref)
    rows = conn.execute(sql, args).fetchall()
    # a figure printed in a table and again in the text is one figure: every printing must agree
    assert rows and len(set(rows)) == 1, rows
    return rows[0]


@pytest.mark.parametrize("code", ["ITE12", "ITI12", "046", "46", "LU", "Lucca", "LUCCA", "lucca"])
def test_every_code_of_lucca_resolves(lucca, code):
    ids = lucca.execute(
        "SELECT DISTINCT territorio_id FROM staging.stg_territorio_codici "
        "WHERE codice = trim(regexp_replace(upper(strip_accents(?)), '[^A-Z0-9]+', ' ', 'g'))", [code]).fetchall()
    assert ids == [("P046",)]


def test_territory_dimension_from_istat_lists(lucca):
    lu = lucca.execute("SELECT nome, codice_istat, sigla, itter107, nuts_2024, regione_id, n_comuni "
                       "FROM marts.dim_territorio WHERE territorio_id = 'P046'").fetchone()
    assert lu == ("Lucca", "046", "LU", "ITE12", "ITI12", "R09", 33)
    areas = dict(lucca.execute("SELECT padre_id, count(*) FROM marts.dim_territorio "
                               "WHERE livello = 'comune' AND in_vigore AND provincia_id = 'P046' GROUP BY 1").fetchall())
    assert areas == {"ALU_PIANA": 7, "ALU_VERSILIA": 7, "ALU_SERCHIO": 19}
    assert lucca.execute("SELECT count(*) FROM marts.dim_territorio WHERE livello = 'provincia' AND in_vigore "
                         "AND regione_id = 'R09'").fetchone() == (10,)
    # Firenze: the historical province code, not the metropolitan-city one (248)
    assert lucca.execute("SELECT codice_istat FROM marts.dim_territorio WHERE nome = 'Firenze' "
                         "AND livello = 'provincia' AND in_vigore").fetchall() == [("048",)]
    tno = lucca.execute("SELECT list(provincia_id ORDER BY provincia_id) FROM marts.territorio_camera "
                        "WHERE camera = 'TNO'").fetchone()[0]
    assert tno == ["P045", "P046", "P050"]


def test_value_added_level_share_and_rank(lucca):
    """001:373: 9.810 milioni, 9,6% of Toscana, third after Firenze (33.717; 32,9%) and Pisa (11.506; 11,2%)."""
    assert reconciliation(lucca, "va_prezzi_correnti", "Lucca", "2017")[:3] == (9810, 9810, "riprodotto")
    for province, share in (("Lucca", 9.6), ("Firenze", 32.9), ("Pisa", 11.2)):
        published, computed, outcome, _ = reconciliation(lucca, "quota_va_su_toscana_pct", province, "2017")
        assert (published, round(computed, 1), outcome) == (share, share, "riprodotto")
    rank, ahead = lucca.execute("SELECT rango_regione, precedenti_regione FROM marts.contesto_ranghi "
                                "WHERE territorio_id = 'P046' AND misura = 'va_prezzi_correnti' AND periodo = '2017' "
                                "AND valore_dimensione = 'Totale'").fetchone()
    assert (rank, ahead) == (3, ["Firenze", "Pisa"])
    # the ten provinces add up to Toscana (check C01): no Q1 finding on value added
    assert lucca.execute("SELECT count(*) FROM qualita.q01_contesto_somme WHERE voce LIKE 'va_%'").fetchone() == (0,)


def test_value_added_composition_by_branch(lucca):
    """001:407-409: Lucca servizi 70,2%, industria 28,8%, ind. s.s. 23,5%, costruzioni 5,3%, agricoltura 1,0%."""
    expected = {"Servizi": 70.2, "Totale Industria": 28.8, "Industria in senso stretto": 23.5,
                "Costruzioni": 5.3, "Agricoltura, silvicoltura e pesca": 1.0}
    for branch, share in expected.items():
        published, computed, outcome, _ = reconciliation(lucca, "quota_va_su_totale_pct", "Lucca", "2017", branch)
        assert published == share and outcome.startswith("riprodotto"), (branch, computed)


def test_vintages_kept_side_by_side(lucca):
    """Q12: value added 2017 +1,3% in the April 2018 estimate, +0,7% in October 2018 (001:375), +0,9% in April 2019 (003:1061)."""
    rows = lucca.execute("SELECT rilascio::VARCHAR, valore, ultimo_rilascio FROM marts.contesto_osservazioni "
                         "WHERE territorio_id = 'P046' AND misura = 'va_prezzi_costanti_var_pct' AND periodo = '2017' "
                         "AND valore_dimensione = 'Totale' ORDER BY rilascio").fetchall()
    assert rows == [("2018-04-30", 1.3, False), ("2018-10-31", 0.7, False), ("2019-04-30", 0.9, True)]
    # each chapter is checked against the release it could use
    assert reconciliation(lucca, "va_prezzi_costanti_var_pct", "Lucca", "2017", ref="001:390")[2] == "riprodotto"
    assert reconciliation(lucca, "va_prezzi_costanti_var_pct", "Lucca", "2017", ref="003:1061")[2] == "riprodotto"


def test_companies_by_status(lucca):
    """001:492-500: status composition of the 42.974 registered companies; the text's 42.794 (001:486) is reported."""
    published, computed, outcome, _ = reconciliation(lucca, "composizione_pct", "Lucca", "2018-09-30", "Attive")
    assert (published, round(computed, 1), outcome) == (84.9, 84.9, "riprodotto")
    statuses = lucca.execute("SELECT sum(valore) FROM marts.contesto_osservazioni WHERE misura = 'sedi_impresa' "
                             "AND territorio_id = 'P046' AND valore_dimensione <> 'Totale registrate'").fetchone()[0]
    assert statuses == 42974
    text = reconciliation(lucca, "sedi_impresa", "Lucca", "2018-09-30", "Totale registrate", ref="001:486")
    assert text[:3] == (42794, 42974, "non_riprodotto")
    msg = lucca.execute("SELECT messaggio FROM qualita.rilievi_contesto WHERE valore_fornito = 42794").fetchone()[0]
    # the document by its title, not its code 001 (meta.documenti)
    assert "42.794" in msg and "42.974" in msg
    assert "Piano della performance 2019-2021 (Camera di Commercio di Lucca), riga 486" in msg


def test_tourism_average_stay(lucca):
    """001:643: permanenza media 2017 = 3,5 notti (3.592.979 presenze / 1.033.304 arrivi)."""
    published, computed, outcome, base = reconciliation(lucca, "permanenza_media", "Lucca", "2017", "Totale|Totale")
    assert (published, round(computed, 1), outcome) == (3.5, 3.5, "riprodotto")
    assert computed == pytest.approx(3592979 / 1033304)


def test_hiring_by_contract_change(lucca):
    """001:779: co.co.co. 781 vs 912, -14,4% (the table; recomputed)."""
    published, computed, outcome, _ = reconciliation(lucca, "avviamenti_var_pct", "Lucca", "2018M01-M09",
                                                     "Contratto a progetto/co.co.co.")
    assert (published, round(computed, 1), outcome) == (-14.4, -14.4, "riprodotto")


def test_birth_rate_from_real_istat_files(lucca):
    """001:702: natalità 2016 Lucca 6,7 and Toscana 7,2 per mille, from the real demo.istat.it files."""
    for territory, rate in (("Lucca", 6.7), ("Toscana", 7.2)):
        published, computed, outcome, base = reconciliation(lucca, "tasso_natalita", territory, "2016")
        assert (published, round(computed, 1), outcome, base) == (rate, rate, "riprodotto", "fonte_originale")


def test_old_age_index_2011_is_reported_not_forced(lucca):
    """001:713 prints 187,0 (Lucca) and 184,7 (Toscana) at 1/1/2011; the demo.istat.it file bundled
    (post-census series) gives 185,2 and 182,9: reported as not reproduced, with both numbers."""
    published, computed, outcome, base = reconciliation(lucca, "indice_vecchiaia", "Lucca", "2011-01-01")
    assert (published, round(computed, 1), outcome, base) == (187.0, 185.2, "non_riprodotto", "fonte_originale")


def test_camera_spanning_provinces_gets_its_totals(lucca):
    tno, parts = lucca.execute(
        "SELECT max(valore) FILTER (WHERE territorio_id = 'CCIAA_TNO'), "
        "sum(valore) FILTER (WHERE territorio_id IN ('P045', 'P046', 'P050')) FROM marts.contesto_osservazioni "
        "WHERE misura = 'va_prezzi_correnti' AND periodo = '2017' AND valore_dimensione = 'Totale'").fetchone()
    assert tno == parts == 4359 + 9810 + 11506


def test_real_infocamere_stock_ranks_all_provinces(lucca):
    lu = lucca.execute("SELECT valore, rango_regione, n_regione, n_italia, n_regione_alla_data, n_province_alla_data "
                       "FROM marts.contesto_ranghi "
                       "WHERE fonte = 'infocamere_opendata' AND dimensione = 'totale' AND territorio_id = 'P046'").fetchone()
    raw = lucca.execute("SELECT sum(valore) FROM raw.infocamere_opendata WHERE territorio = 'LUCCA'").fetchone()[0]
    assert lu[0] == raw and lu[2] == 10 and lu[3] >= 105
    # the stock of 30/06/2025: every one of the 107 provinces of that day, so a chapter can say "su 107 province"
    assert lu[4] == 10 and lu[3] == lu[5] == 107


def test_every_reproduced_figure_is_labelled_with_its_basis(lucca):
    counts = dict(lucca.execute("SELECT esito, count(*) FROM marts.contesto_riconciliazione GROUP BY 1").fetchall())
    assert counts["riprodotto"] > 400 and counts["non_riprodotto"] <= 5
    assert lucca.execute("SELECT count(*) FROM marts.contesto_riconciliazione "
                         "WHERE esito LIKE 'riprodotto%' AND base IS NULL").fetchone() == (0,)


def test_closing_share_printed_in_the_chapter_is_reconciled(lucca):
    """001:486: the 5,9% of companies with procedures or in liquidation, from marts.sezione_imprese_status."""
    row = lucca.execute("SELECT esito, valore_calcolato FROM marts.contesto_riconciliazione WHERE territorio = 'Lucca' "
                        "AND valore_dimensione = 'con Procedure concorsuali + in Scioglimento o Liquidazione'").fetchone()
    assert row[0] == "riprodotto" and round(row[1], 1) == 5.9


def test_findings_name_measures_and_documents_by_their_labels(lucca):
    messages = [m for (m,) in lucca.execute("SELECT messaggio FROM qualita.rilievi_contesto WHERE controllo = 'Q3'")
                .fetchall()]
    old_age = next(m for m in messages if "vecchiaia" in m and "Lucca" in m)
    assert "indice di vecchiaia" in old_age and "indice_vecchiaia" not in old_age
    assert "(Piano della performance 2019-2021 (Camera di Commercio di Lucca), riga 713)" in old_age
    assert not any(re.search(r"\b00\d:\d+", m) for m in messages)
