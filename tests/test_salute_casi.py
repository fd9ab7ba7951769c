"""The Camera's health on synthetic extracts of a Camera other than Lucca (issue 10).

Every figure below is invented for the test (round thousands of euro), so each expected value is
worked out by hand in the comments: the result lines and their incidences, budget variances, staff
ratios, compositions, the valore aggiunto and its distribution, the coverage rule for aggregates,
published values with units and identities, relative targets, inputs as printed (negative oneri,
Unicode minus, "budget"), and benchmarking validation.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from conftest import run_ente_job, step_failures

CAMERA = "PI"  # its files go to its own folders, landing/<fonte>/PI/, and its runs are its partition
HEADER = ["camera", "anno", "tipo", "voce", "valore", "unita", "rilascio", "natura", "riferimento", "nota"]
MINUS_HYPHEN, MINUS_SIGN = "\u2010", "\u2212"


def write(path, header, rows, delimiter=";"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def bil(anno, tipo, voci: dict, unita="EUR_k"):
    return [[CAMERA, anno, tipo, v, x, unita, "30/04/2021", "ufficiale", "", ""] for v, x in voci.items()]


# 2020, consuntivo (thousands of euro). A = 10.000; B = 4.000 + 1.900 + 2.500 + 1.800 = 10.200;
# A - B = -200; C = 150 - 50 = +100; D = 400 - 100 = +300; E = 0 - 80 = -80; result = +120.
CONSUNTIVO_2020 = {
    "pc_diritto_annuale": "6.000", "pc_diritti_segreteria": "2.000", "pc_contributi_trasferimenti": "1.500",
    "pc_proventi_gestione_servizi": "400", "pc_variazione_rimanenze": "100",
    # oneri as the conto economico prints them: negative, with the minus a PDF gives (U+2212, U+2010)
    "oc_personale": MINUS_SIGN + "4.000", "oc_funz_prestazioni_servizi": "1.000",
    "oc_funz_godimento_beni_terzi": "200", "oc_funz_oneri_diversi": "300", "oc_funz_di_cui_imposte_tasse": "120",
    "oc_funz_quote_associative": "300", "oc_funz_organi_istituzionali": "100",
    "oc_interventi_economici": MINUS_HYPHEN + "2.500", "oc_ammortamenti_accantonamenti": "1.800",
    "ris_gestione_corrente": MINUS_SIGN + "200",
    "ce_proventi_finanziari": "150", "ce_oneri_finanziari": MINUS_HYPHEN + "50",
    "ce_proventi_straordinari": "400", "ce_oneri_straordinari": "100",
    "ce_rivalutazioni_attivo": "0", "ce_svalutazioni_attivo": "80",
    "ris_esercizio": "120",
}
STAFF_2020 = {"pers_indeterminato_31dic": "48", "pers_ore_formazione": "1.200", "imp_attive_31dic": "40.000"}


def _landing_principale(landing):
    rows = bil(2020, "consuntivo", CONSUNTIVO_2020)
    rows += bil(2020, "consuntivo", STAFF_2020, "n")
    rows += bil(2019, "consuntivo", {"pers_indeterminato_31dic": "50"}, "n")
    rows += bil(2020, "consuntivo", {"pers_fte_a": "5", "pers_fte_b": "10", "pers_fte_c": "20", "pers_fte_d": "10"}, "FTE")
    rows += bil(2020, "preventivo", {"ris_esercizio": MINUS_SIGN + "500", "pc_totale": "9.800"})
    rows += bil(2020, "budget", {"ris_esercizio": MINUS_SIGN + "300", "pc_totale": "9.900"})
    # 2021: proventi complete, of the oneri only the membership fees: no oneri correnti at all
    rows += bil(2021, "consuntivo", {"pc_diritto_annuale": "5.000", "pc_diritti_segreteria": "2.000",
                                     "pc_contributi_trasferimenti": "1.500", "pc_proventi_gestione_servizi": "500",
                                     "oc_funz_quote_associative": "900"})
    # 2022: a correct total (100) with an incomplete set of items (80): the total is kept
    rows += bil(2022, "consuntivo", {"oc_totale": "100", "oc_personale": "80", "pc_totale": "200"})
    # 2023: a result close to zero (10 on proventi of 10.000): no incidence is a ratio on it
    rows += bil(2023, "consuntivo", {"pc_totale": "10.000", "oc_totale": "9.990", "ris_gestione_finanziaria": "0",
                                     "ris_gestione_straordinaria": "0", "ris_rettifiche_valore": "0"})
    write(landing / "bilancio" / CAMERA / "bilancio_pi.csv", HEADER, rows)
    pub_header = ["camera", "anno", "tipo", "indicatore", "valore", "decimali", "rilascio", "riferimento", "unita"]
    write(landing / "indicatori_pubblicati" / CAMERA / "relazione_pi.csv", pub_header, [
        # the document dropped the minus of the current operations' incidence (computed -166,7%)
        [CAMERA, 2020, "consuntivo", "Incidenza della gestione corrente sul risultato d'esercizio", "166,7", 1, "30/06/2021", "p. 12", ""],
        [CAMERA, 2020, "consuntivo", "INC_GF", "83,3", 1, "30/06/2021", "p. 12", "pct"],
        [CAMERA, 2020, "consuntivo", "Ore di formazione per dipendente a tempo indeterminato", "24,0", 1, "30/06/2021", "p. 20", "ore"],
        [CAMERA, 2020, "consuntivo", "Personale per 1.000 imprese attive", "1,20", 2, "30/06/2021", "p. 20", "per 1.000"],
        [CAMERA, 2020, "consuntivo", "SCOST_PREV", "124,0", 1, "30/06/2021", "p. 14", "%"],
        [CAMERA, 2020, "budget", "Risultato d'esercizio", "-300.000", 0, "30/06/2021", "p. 14", "euro"],
        # ratio printed next to its identity partner: MSFB = MT - 1 holds once both are ratios
        [CAMERA, 2020, "consuntivo", "Margine di struttura finanziaria a breve termine", "1,35", 2, "30/06/2021", "p. 30", "rapporto"],
        [CAMERA, 2020, "consuntivo", "Margine di tesoreria", "2,35", 2, "30/06/2021", "p. 30", "rapporto"],
        # the same pair with no unit: 1,35 taken as a percentage contradicts MT = 2,35
        [CAMERA, 2021, "consuntivo", "MSFB", "1,35", 2, "30/06/2021", "p. 31", ""],
        [CAMERA, 2021, "consuntivo", "Margine di tesoreria", "2,35", 2, "30/06/2021", "p. 31", ""],
    ])
    write(landing / "obiettivi_salute" / CAMERA / "piano_pi.csv",
          ["camera", "anno", "indicatore", "operatore", "valore_min", "valore_max", "rilascio", "riferimento"],
          [[CAMERA, 2020, "Risultato d'esercizio", "riduzione del 20% della perdita rispetto al budget", "", "", "31/01/2020", "p. 5"]])
    write(landing / "benchmark_panel" / CAMERA / "panel.csv", ["panel", "descrizione", "camera"], [
        ["toscana", "Camere toscane", "AR"], ["toscana", "Camere toscane", "FI"], ["toscana", "Camere toscane", CAMERA],
        ["coppia", "Due Camere", "AR"], ["coppia", "Due Camere", CAMERA],
    ])
    write(landing / "benchmark_valori" / CAMERA / "valori.csv", ["camera", "anno", "codice", "valore", "rilascio", "natura", "panel"], [
        ["AR", 2020, "EQGC", "101,0", "15/02/2021", "ufficiale", ""],
        ["FI", 2020, "EQGC", "95,0", "15/02/2021", "ufficiale", ""],
        ["Media Toscana", 2020, "EQGC", "99,0", "15/02/2021", "ufficiale", ""],
        ["Mediana del panel", 2020, "EQGC", "98,0", "15/02/2021", "ufficiale", "toscana"],
        ["Media Italia", 2020, "EQGC", "97,0", "15/02/2021", "ufficiale", ""],
    ], delimiter=";")


@pytest.fixture(scope="module")
def pisa(tmp_path_factory):
    """One run of the health job on the synthetic extracts above, for a Camera other than Lucca."""
    home = tmp_path_factory.mktemp("pisa")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OSSERVATORIO_HOME", str(home))
        _landing_principale(home / "landing")
        result = run_ente_job(camera=CAMERA)
        assert result.success, step_failures(result)
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    yield conn
    conn.close()


def ind(conn, indicatore, anno, tipo="consuntivo"):
    return conn.execute("SELECT valore, motivo_assenza FROM marts.indicatori_salute WHERE camera = ? AND indicatore = ? "
                        "AND anno = ? AND tipo = ?", [CAMERA, indicatore, anno, tipo]).fetchone()


def findings(conn, controllo=None):
    sql = "SELECT controllo, gravita, anno, voce, file, riga, valore_fornito, valore_calcolato, messaggio FROM qualita.rilievi_ente"
    rows = conn.execute(sql).fetchall()
    return [r for r in rows if controllo is None or r[0] == controllo]


# --- inputs as printed -------------------------------------------------------------------------

def test_negative_oneri_and_unicode_minus_are_read_with_a_note(pisa):
    row = pisa.execute("SELECT oc_personale, oc_interventi_economici, ce_oneri_finanziari, ris_gestione_corrente "
                       "FROM marts.bilancio_annuale WHERE anno = 2020 AND tipo = 'consuntivo'").fetchone()
    assert row == (4_000_000, 2_500_000, 50_000, -200_000)
    notes = findings(pisa, "Q5")
    assert len(notes) == 1 and notes[0][1] == "avviso" and notes[0][4] == "bilancio_pi.csv"
    assert "3 oneri scritti con il segno meno" in notes[0][8]


def test_budget_is_the_budget_version(pisa):
    kinds = {r[0] for r in pisa.execute("SELECT DISTINCT tipo FROM raw.bilancio_voci WHERE anno = 2020").fetchall()}
    assert kinds == {"consuntivo", "preventivo", "budget_aggiornato"}
    assert pisa.execute("SELECT tipo FROM staging.stg_indicatori_pubblicati WHERE indicatore = 'RES'").fetchone() == ("budget_aggiornato",)


@pytest.mark.parametrize("printed,expected", [
    ("Margine di tesoreria", "MT"), ("Solidità finanziaria", "SOL"), ("SOLIDITA' FINANZIARIA", "SOL"),
    ("Indice di riscossione del diritto annuale", "IRDA"),
    ("Margine di struttura finanziaria a breve termine", "MSFB"), ("Indice di rigidità", "ICS"),
    ("Personale per 1.000 imprese attive", "PERS_IMP"), ("Margine di struttura", None),
])
def test_names_as_printed_resolve_through_aliases(printed, expected):
    import pandas as pd

    from assets.ente.sources import _indicator_ids

    assert _indicator_ids(pd.Series([printed])).iloc[0] == expected


# --- the result and where it comes from --------------------------------------------------------

def test_result_lines_and_incidences(pisa):
    assert ind(pisa, "RGC", 2020)[0] == pytest.approx(-200_000)
    assert ind(pisa, "RES", 2020)[0] == pytest.approx(120_000)
    # incidences on the result, with their sign: -200/120, 100/120, 300/120, -80/120
    for code, value in {"INC_GC": -166.6667, "INC_GF": 83.3333, "INC_GS": 250.0, "INC_RV": -66.6667}.items():
        assert ind(pisa, code, 2020)[0] == pytest.approx(value, abs=1e-3), code


def test_incidence_on_a_result_close_to_zero_is_not_a_ratio(pisa):
    value, reason = ind(pisa, "INC_GC", 2023)
    assert value is None and "risultato d'esercizio prossimo a zero" in reason
    assert ind(pisa, "RES", 2023)[0] == pytest.approx(10_000)


def test_variance_against_named_budget_versions(pisa):
    # result 120; preventivo -500; budget (aggiornato) -300
    assert ind(pisa, "SCOST_PREV_EUR", 2020)[0] == pytest.approx(620_000)
    assert ind(pisa, "SCOST_PREV", 2020)[0] == pytest.approx(124.0)
    assert ind(pisa, "SCOST_BUD", 2020)[0] == pytest.approx(140.0)
    # the variance of a budget against itself is not an indicator
    assert ind(pisa, "SCOST_PREV", 2020, "preventivo") is None


def test_relative_target_against_the_budget(pisa):
    op, lo, hi, rif, status = pisa.execute(
        "SELECT obiettivo_operatore, obiettivo_min, obiettivo_max, obiettivo_rispetto_a, esito_obiettivo "
        "FROM marts.indicatori_salute WHERE indicatore = 'RES' AND anno = 2020 AND tipo = 'consuntivo'").fetchone()
    # a loss of 300.000 in the budget reduced by 20%: the result must be at least -240.000
    assert (op, lo, hi, rif, status) == (">=", pytest.approx(-240_000), None, "budget_aggiornato", "raggiunto")


# --- staff, compositions, valore aggiunto ------------------------------------------------------

def test_staff_ratios(pisa):
    assert ind(pisa, "PERS_IMP", 2020)[0] == pytest.approx(1.2)           # 48 x 1.000 / 40.000
    assert ind(pisa, "ORE_FORM", 2020)[0] == pytest.approx(24.0)          # 1.200 hours / 50 at 31/12/2019
    shares = [ind(pisa, f"FTE_{f}", 2020)[0] for f in "ABCD"]
    assert shares == pytest.approx([100 * 5 / 45, 100 * 10 / 45, 100 * 20 / 45, 100 * 10 / 45])
    value, reason = ind(pisa, "ORE_FORM", 2021)
    assert value is None and "pers_ore_formazione" in reason


def test_composition_of_proventi_and_oneri_sums_to_100(pisa):
    p = [ind(pisa, c, 2020)[0] for c in ("CP_DA", "CP_DS", "CP_CT", "CP_GS", "CP_VR")]
    o = [ind(pisa, c, 2020)[0] for c in ("CO_PERS", "CO_FUNZ", "CO_QUOTE", "CO_INT", "CO_AMM")]
    assert p == pytest.approx([60.0, 20.0, 15.0, 4.0, 1.0])
    assert o == pytest.approx([100 * x / 10_200 for x in (4_000, 1_600, 300, 2_500, 1_800)])
    assert sum(o) == pytest.approx(100.0)


def test_valore_aggiunto_and_its_distribution(pisa):
    # 10.000 - 1.500 (costi esterni) + 120 (imposte, distributed) + 100 + 300 - 80 = 8.940
    assert ind(pisa, "VA", 2020)[0] == pytest.approx(8_940_000)
    parts = {c: ind(pisa, c, 2020)[0] for c in ("VA_PERS", "VA_ECO", "VA_SIS", "VA_PA", "VA_ORG", "VA_CAM")}
    assert parts["VA_PERS"] == pytest.approx(100 * 4_000 / 8_940)
    assert parts["VA_CAM"] == pytest.approx(100 * (1_800 + 120) / 8_940)
    assert sum(parts.values()) == pytest.approx(100.0)


# --- coverage rule for aggregates --------------------------------------------------------------

def test_partial_items_are_never_taken_for_the_whole(pisa):
    value, reason = ind(pisa, "EQGC", 2021)
    assert value is None
    assert "oc_totale (voci incomplete, mancano: oc_ammortamenti_accantonamenti, oc_funzionamento, " \
           "oc_interventi_economici, oc_personale)" in reason
    # pc_totale is complete without the optional variazione delle rimanenze
    assert pisa.execute("SELECT pc_totale FROM marts.bilancio_annuale WHERE anno = 2021").fetchone()[0] == 9_000_000


def test_correct_total_with_incomplete_items_is_kept(pisa):
    oc = pisa.execute("SELECT oc_totale FROM marts.bilancio_annuale WHERE anno = 2022").fetchone()[0]
    assert oc == 100_000
    assert ind(pisa, "EQGC", 2022)[0] == pytest.approx(50.0)
    assert [f for f in findings(pisa, "Q1") if f[2] == 2022] == []


# --- published values: units, signs, identities ------------------------------------------------

def test_published_values_reproduce_at_printed_precision(pisa):
    rows = dict(pisa.execute("SELECT indicatore, esito FROM marts.riconciliazione_pubblicati "
                             "WHERE anno = 2020 AND tipo = 'consuntivo' AND indicatore IN "
                             "('INC_GF', 'ORE_FORM', 'PERS_IMP', 'SCOST_PREV')").fetchall())
    assert rows == {"INC_GF": "riprodotto", "ORE_FORM": "riprodotto", "PERS_IMP": "riprodotto", "SCOST_PREV": "riprodotto"}
    assert pisa.execute("SELECT esito FROM marts.riconciliazione_pubblicati WHERE indicatore = 'RES'").fetchone() == ("riprodotto",)


def test_dropped_sign_is_a_finding_that_says_so(pisa):
    esito, scostamento = pisa.execute("SELECT esito, scostamento FROM marts.riconciliazione_pubblicati "
                                      "WHERE indicatore = 'INC_GC' AND anno = 2020").fetchone()
    assert (esito, scostamento) == ("non_riprodotto", "segno")
    msg = next(f[8] for f in findings(pisa, "Q3") if f[3] == "INC_GC")
    assert "166,7" in msg and "-166,7" in msg and "il segno è opposto" in msg


def test_ratio_normalised_to_percent_and_identity_checked(pisa):
    rows = dict(pisa.execute("SELECT indicatore, valore FROM staging.stg_indicatori_pubblicati WHERE anno = 2020 "
                             "AND indicatore IN ('MSFB', 'MT')").fetchall())
    assert rows == {"MSFB": pytest.approx(135.0), "MT": pytest.approx(2.35)}
    identity = [f for f in findings(pisa, "Q3") if f[3] == "MSFB"]
    assert [f[2] for f in identity] == [2021]  # 2020 (declared ratio) holds; 2021 (no unit) does not
    assert identity[0][6] == pytest.approx(1.35) and identity[0][7] == pytest.approx(135.0)
    assert "sembra stampato come rapporto" in identity[0][8]


# --- benchmarking ------------------------------------------------------------------------------

def test_published_average_is_its_own_row_never_a_member(pisa):
    rows = pisa.execute("SELECT camera, n_camere, media, media_pubblicata, mediana_pubblicata, rango "
                        "FROM marts.benchmark_confronto WHERE panel = 'toscana' AND anno = 2020 AND indicatore = 'EQGC' "
                        "ORDER BY camera").fetchall()
    assert [r[0] for r in rows] == ["AR", "FI", CAMERA]
    pi_eqgc = 100 * 10_200 / 10_000
    assert rows[0][1] == 3 and rows[0][2] == pytest.approx((101 + 95 + pi_eqgc) / 3)
    assert (rows[0][3], rows[0][4]) == (99.0, 98.0)
    assert sorted(r[5] for r in rows) == [1, 2, 3]
    orphan = findings(pisa, "Q10")
    assert len(orphan) == 1 and "Media Italia" in orphan[0][8]


def test_panel_under_three_camere_gets_no_rank(pisa):
    rows = pisa.execute("SELECT rango, esito_confronto, favorevole FROM marts.benchmark_confronto "
                        "WHERE panel = 'coppia' AND anno = 2020 AND indicatore = 'EQGC'").fetchall()
    assert len(rows) == 2
    assert {r[0] for r in rows} == {None} and {r[2] for r in rows} == {None}
    assert {r[1] for r in rows} == {"non applicabile: panel con meno di tre Camere"}


# --- runs of their own: blocking identities, refused codes -------------------------------------

def test_result_lines_against_their_components_block_the_run(landing, monkeypatch):
    voci = dict(CONSUNTIVO_2020, ris_gestione_corrente="50", ris_esercizio="500")
    write(landing / "bilancio" / CAMERA / "segni.csv", HEADER, bil(2020, "consuntivo", voci))
    result = run_ente_job(camera=CAMERA)
    assert not result.success
    conn = duckdb.connect(str(landing.parent / "warehouse" / "osservatorio.duckdb"), read_only=True)
    rows = conn.execute("SELECT voce, file, riga, valore_fornito, valore_calcolato, messaggio FROM qualita.rilievi_ente "
                        "WHERE gravita = 'bloccante' ORDER BY voce").fetchall()
    line = {v: i for i, v in enumerate(voci, start=2)}
    gc = next(r for r in rows if r[0] == "ris_gestione_corrente")
    assert gc[1:5] == ("segni.csv", line["ris_gestione_corrente"], 50_000, -200_000)
    assert "vale 50.000 euro" in gc[5] and "risulta -200.000 euro" in gc[5]
    # the year's result against A - B ± C ± D ± E, computed from the derived lines: -200 + 100 + 300 - 80
    es = next(r for r in rows if r[0] == "ris_esercizio")
    assert es[1:5] == ("segni.csv", line["ris_esercizio"], 500_000, 120_000)


def test_unknown_camera_codes_and_averages_as_members_are_refused(landing, monkeypatch):
    write(landing / "benchmark_panel" / CAMERA / "panel.csv", ["panel", "descrizione", "camera"], [
        ["toscana", "Camere toscane", "AR"], ["toscana", "Camere toscane", "ZZ"],
        ["toscana", "Camere toscane", "Media Toscana"], ["toscana", "Camere toscane", "-LI"]], delimiter=",")
    write(landing / "benchmark_valori" / CAMERA / "valori.csv", ["camera", "anno", "codice", "valore", "rilascio"], [
        ["AR", 2020, "EQGC", "101,0", "15/02/2021"], ["ZZ", 2020, "EQGC", "95,0", "15/02/2021"]])
    failures = step_failures(run_ente_job(camera=CAMERA))
    panel, valori = failures["raw__benchmark_panel"], failures["raw__benchmark_valori"]
    for row in (3, 4, 5):
        assert f"file panel.csv, riga {row}, colonna C (camera): Camera sconosciuta" in panel
    assert "riga 2, colonna C (camera)" not in panel
    assert "le medie pubblicate vanno nell'estratto benchmark_valori" in panel
    assert "file valori.csv, riga 3, colonna A (camera): Camera sconosciuta" in valori


@pytest.mark.parametrize("text", ["\u2010711.687,36", "\u2011711.687,36", "\u2012711.687,36", "\u2013711.687,36",
                                  "\u2014711.687,36", "\u2212711.687,36", "\uff0d711.687,36", "-711.687,36"])
def test_every_unicode_minus_is_a_minus(text):
    from pipelines.extracts import parse_number

    assert parse_number(text, "it") == (-711_687.36, 2)
