"""Section units and section marts on a tiny warehouse, without a full run: the marts compute the figures
the sentences print, and a unit without its data leaves its part out with the reason."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.settings import SQL_DIR
from pipelines.warehouse import build_model

OSS = ("fonte VARCHAR, territorio_id VARCHAR, territorio VARCHAR, livello VARCHAR, periodo VARCHAR, "
       "dimensione VARCHAR, valore_dimensione VARCHAR, misura VARCHAR, valore DOUBLE, unita VARCHAR, "
       "rilascio DATE, natura VARCHAR")
RILASCIO = dt.date(2019, 1, 31)


def _tiny(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """A warehouse with a province (P046), its region (R09), two areas of the province, and `rows` as
    (territorio_id, livello, periodo, dimensione, valore_dimensione, misura, valore)."""
    conn = duckdb.connect()
    conn.execute("CREATE SCHEMA marts; CREATE SCHEMA meta")
    conn.execute("CREATE TABLE marts.dim_territorio (territorio_id VARCHAR, livello VARCHAR, nome VARCHAR, "
                 "regione_id VARCHAR, provincia_id VARCHAR)")
    conn.execute("INSERT INTO marts.dim_territorio VALUES ('P046', 'provincia', 'Lucca', 'R09', 'P046'), "
                 "('R09', 'regione', 'Toscana', 'R09', NULL), ('ALU_A', 'area', 'Area A', 'R09', 'P046'), "
                 "('ALU_B', 'area', 'Area B', 'R09', 'P046')")
    conn.execute(f"CREATE TABLE marts.contesto_osservazioni ({OSS})")
    conn.execute("CREATE TABLE meta.fonti (id VARCHAR, fonte_testo VARCHAR)")
    conn.execute("INSERT INTO meta.fonti VALUES ('prova', 'Fonte: prova')")
    names = dict(conn.execute("SELECT territorio_id, nome FROM marts.dim_territorio").fetchall())
    for tid, livello, periodo, dim, vd, misura, valore in rows:
        conn.execute("INSERT INTO marts.contesto_osservazioni VALUES ('prova', ?, ?, ?, ?, ?, ?, ?, ?, 'n', ?, "
                     "'pubblicato')", [tid, names[tid], livello, periodo, dim, vd, misura, valore, RILASCIO])
    return conn


def test_area_shares_use_the_province_total_of_the_accommodation_table():
    # the province delivered by kind of accommodation only (as 001:655-657), the areas by provenance (001:677)
    conn = _tiny([("P046", "provincia", "2017", "tipo_esercizio|provenienza", "Totale|Totale", "arrivi", 1000.0),
                  ("P046", "provincia", "2017", "tipo_esercizio|provenienza", "Totale|Totale", "presenze", 4000.0),
                  ("P046", "provincia", "2017", "tipo_esercizio|provenienza", "Alberghiero|Totale", "arrivi", 700.0),
                  ("ALU_A", "area", "2017", "provenienza", "Totale", "arrivi", 618.0),
                  ("ALU_A", "area", "2017", "provenienza", "Totale", "presenze", 2888.0),
                  ("ALU_A", "area", "2017", "provenienza", "Stranieri", "arrivi", 263.0),
                  ("ALU_A", "area", "2017", "provenienza", "Stranieri", "presenze", 1288.0)])
    build_model(conn, SQL_DIR / "marts" / "sezione_turismo_aree.sql")
    rows = conn.execute("SELECT provenienza, quota_arrivi_provincia_pct, quota_presenze_provincia_pct, "
                        "quota_arrivi_area_pct, permanenza_media FROM marts.sezione_turismo_aree "
                        "ORDER BY provenienza").fetchall()
    # the foreigners' share of the province needs the province's foreigners: not delivered, so none
    assert rows == [("Stranieri", None, None, pytest.approx(42.556634), pytest.approx(1288 / 263)),
                    ("Totale", pytest.approx(61.8), pytest.approx(72.2), pytest.approx(100.0), pytest.approx(4.673139))]


def test_area_shares_prefer_the_provenance_table():
    conn = _tiny([("P046", "provincia", "2018", "provenienza", "Totale", "arrivi", 2000.0),
                  ("P046", "provincia", "2018", "tipo_esercizio|provenienza", "Totale|Totale", "arrivi", 1000.0),
                  ("ALU_B", "area", "2018", "provenienza", "Totale", "arrivi", 500.0)])
    build_model(conn, SQL_DIR / "marts" / "sezione_turismo_aree.sql")
    assert conn.execute("SELECT quota_arrivi_provincia_pct FROM marts.sezione_turismo_aree").fetchall() == [(25.0,)]


def test_population_mart_old_age_index_and_share_of_region():
    rows = [(tid, livello, "2017-01-01", "sesso|eta", f"{sesso}|{eta}", "popolazione", n * k)
            for tid, livello, k in (("P046", "provincia", 1), ("R09", "regione", 10))
            for sesso, eta, n in (("maschi", 10, 40.0), ("femmine", 10, 60.0), ("maschi", 70, 90.0),
                                  ("femmine", 70, 110.0), ("femmine", 40, 100.0))]
    conn = _tiny(rows)
    build_model(conn, SQL_DIR / "marts" / "sezione_popolazione.sql")
    lu = conn.execute("SELECT residenti, quota_femmine_pct, quota_over64_pct, indice_vecchiaia, quota_regione_pct "
                      "FROM marts.sezione_popolazione WHERE territorio_id = 'P046'").fetchone()
    assert lu == (400.0, 67.5, 50.0, 200.0, pytest.approx(10.0))


def test_a_unit_alone_leaves_out_what_has_no_data():
    """The CIG unit on a warehouse with its figure, then on one without: the second records the reason."""
    from pipelines import sezioni_contesto as sc
    from pipelines.capitolo import Capitolo, Sezione
    from pipelines.edizioni import carica

    ed = carica("lucca_pp2019")
    conn = _tiny([("P046", "provincia", "2018M01-M09", "tipo_intervento", "Totale", "ore_autorizzate", 755840.0)])
    conn.execute("CREATE TABLE marts.contesto_variazioni AS SELECT *, NULL::VARCHAR AS periodo_prec, "
                 "NULL::DOUBLE AS valore_prec, NULL::DOUBLE AS variazione_pct FROM marts.contesto_osservazioni")
    cap, sez = Capitolo(conn, ed), Sezione("Il mercato del lavoro")
    cap._sezione = sez.titolo
    assert cap.parte("CIG", lambda: sc.cassa_integrazione(cap, sez))
    assert sez.paragrafi == ["Nei primi nove mesi del 2018 le ore autorizzate di Cassa Integrazione Guadagni in "
                             "provincia di Lucca sono state 755.840."]
    conn.execute("DELETE FROM marts.contesto_osservazioni")
    cap, sez = Capitolo(conn, ed), Sezione("Il mercato del lavoro")
    cap._sezione = sez.titolo
    assert not cap.parte("CIG", lambda: sc.cassa_integrazione(cap, sez)) and not sez.paragrafi
    assert cap.mancanti[0].elemento == "CIG" and "30 settembre 2018" in cap.mancanti[0].motivo
    # printed after "<sezione>, <elemento>:" under a note that already says data are missing: one colon, once
    import pandas as pd

    assert not cap.parte("ore", lambda: cap.richiedi(pd.DataFrame(), "ore autorizzate di CIG"))
    assert cap.mancanti[-1].motivo == "mancano i dati su ore autorizzate di CIG"


def test_irpef_rank_among_the_provinces_of_the_region():
    conn = _tiny([(tid, lv, "2018", "totale", "Totale", misura, v)
                  for tid, lv, c, r in (("P046", "provincia", 100.0, 2_000_000.0), ("ALU_A", "area", 10.0, 1.0))
                  for misura, v in (("contribuenti", c), ("reddito_imponibile", r))])
    # a second province of the region, richer per taxpayer
    conn.execute("INSERT INTO marts.dim_territorio VALUES ('P048', 'provincia', 'Firenze', 'R09', 'P048')")
    conn.execute("INSERT INTO marts.contesto_osservazioni VALUES ('prova', 'P048', 'Firenze', 'provincia', '2018', "
                 "'totale', 'Totale', 'contribuenti', 10, 'n', ?, 'pubblicato'), ('prova', 'P048', 'Firenze', "
                 "'provincia', '2018', 'totale', 'Totale', 'reddito_imponibile', 300000, 'n', ?, 'pubblicato')",
                 [RILASCIO, RILASCIO])
    conn.execute("ALTER TABLE marts.dim_territorio ADD COLUMN valido_dal DATE")
    conn.execute("ALTER TABLE marts.dim_territorio ADD COLUMN valido_al DATE")
    conn.execute("CREATE TABLE marts.contesto_indicatori AS SELECT fonte, territorio_id, territorio, periodo, rilascio, "
                 "natura, 'reddito_imponibile_per_contribuente' AS indicatore, sum(valore) FILTER (WHERE misura = "
                 "'reddito_imponibile') / sum(valore) FILTER (WHERE misura = 'contribuenti') AS valore "
                 "FROM marts.contesto_osservazioni GROUP BY ALL")
    build_model(conn, SQL_DIR / "marts" / "sezione_irpef.sql")
    rows = conn.execute("SELECT territorio_id, reddito_per_contribuente, rango_regione, precedenti_regione, "
                        "n_regione, n_province_regione FROM marts.sezione_irpef ORDER BY territorio_id").fetchall()
    assert rows == [("P046", 20000.0, 2, ["Firenze"], 2, 2), ("P048", 30000.0, 1, [], 2, 2)]


# --- wording (#11): the word says the sign, no verb twice in a row, the first of the month ----------------

def _unit(fn, conn, titolo="Sezione"):
    from pipelines.capitolo import Capitolo, Sezione
    from pipelines.edizioni import carica

    cap, sez = Capitolo(conn, carica("lucca_pp2019")), Sezione(titolo)
    cap._sezione = sez.titolo
    assert cap.parte("prova", lambda: fn(cap, sez)), cap.mancanti
    return sez


def test_change_by_branch_says_a_fall_without_a_minus_and_varies_the_verb():
    from pipelines import sezioni_contesto as sc

    conn = _tiny([("P046", "provincia", anno, "branca", b, "va_prezzi_costanti_var_pct", x)
                  for anno, vals in (("2016", (7.8, 1.0, 2.0, -0.2)), ("2017", (-9.2, 3.3, 0.8, 0.1)))
                  for b, x in zip(("Agricoltura, silvicoltura e pesca", "Industria in senso stretto", "Costruzioni",
                                   "Servizi"), vals)])
    conn.execute("ALTER TABLE marts.contesto_osservazioni ADD COLUMN regione_id VARCHAR DEFAULT 'R09'")
    text = _unit(sc.valore_aggiunto_branche, conn).paragrafi[0]
    assert "l'agricoltura provinciale ha segnato una flessione del 9,2% a prezzi costanti dopo il recupero" in text
    assert "del -" not in text and "del +" not in text
    assert "l'industria in senso stretto ha registrato un aumento del 3,3%" in text
    verbs = [v for v in ("segnato", "registrato", "evidenziato", "mostrato") for _ in range(text.count(v))]
    assert len(verbs) == 4 and all(a != b for a, b in zip(verbs, verbs[1:])), text


def test_comparisons_never_repeat_the_word_and_dates_say_primo():
    from pipelines import italiano as it

    assert it.data(dt.date(2017, 1, 1)) == "1° gennaio 2017" and it.data(dt.date(2017, 1, 1), "d/M/yyyy") == "1/1/2017"
    assert it.data(dt.date(2018, 9, 30)) == "30 settembre 2018"
    twice = it.confronti(19978, [("la", "media regionale", 20429, "20.429 euro"),
                                 ("la", "media nazionale", 20049, "20.049 euro")], 0)
    assert twice == "inferiore sia alla media regionale (20.429 euro) sia alla media nazionale (20.049 euro)"
    assert twice.count("inferiore") == 1
    assert (it.confronti(0.7, [("la", "media regionale", 0.7, "+0,7%"), ("la", "media nazionale", 1.5, "+1,5%")])
            == "in linea con la media regionale (+0,7%) e inferiore alla media nazionale (+1,5%)")
    assert [it.con_articolo(s) for s in ("Nautica", "Calzaturiero", "Orafo")] == ["la nautica", "il calzaturiero",
                                                                               "l'orafo"]


# --- periods an edition may describe (#11): never one published after the edition date ---------------------

def test_a_period_published_after_the_edition_date_is_never_used():
    from pipelines.capitolo import Capitolo, DatiMancanti
    from pipelines.edizioni import carica

    conn = _tiny([("P046", "provincia", "2017", "comparto", "Totale", "spesa_beni_durevoli", 497.0)])
    # the only release of 2017 came out in October 2019: the edition of January 2019 cannot describe it
    conn.execute("UPDATE marts.contesto_osservazioni SET rilascio = DATE '2019-10-31'")
    cap = Capitolo(conn, carica("lucca_pp2019"))
    with pytest.raises(DatiMancanti):
        cap.periodo("consumi", "marts.contesto_osservazioni", "misura = 'spesa_beni_durevoli'", [])
    assert cap.periodi_disponibili("marts.contesto_osservazioni", "true", []) == []
    # the edition of October 2019 can
    assert Capitolo(conn, carica("lucca_rpp2020")).periodi_disponibili("marts.contesto_osservazioni", "true", []) == ["2017"]


def test_an_unknown_release_is_estimated_from_the_source_lag():
    """A file without _rilasci.csv carries its load day as release: the period is taken as out at its end plus
    the source's lag (fonti.yaml ritardo_mesi), never after the load day."""
    from pipelines.capitolo import Capitolo, data_uscita
    from pipelines.edizioni import carica

    loaded = dt.date(2026, 11, 30)
    caricamenti = {("istat_demo_bilancio", loaded): loaded}
    assert data_uscita("2016", "istat_demo_bilancio", loaded, caricamenti, {"istat_demo_bilancio": 7}) == \
        dt.date(2017, 7, 31)
    assert data_uscita("2016", "findomestic", dt.date(2019, 10, 31), caricamenti, {}) == dt.date(2019, 10, 31)
    assert data_uscita("2026-09-30", "istat_demo_bilancio", loaded, caricamenti, {"istat_demo_bilancio": 7}) == loaded
    conn = _tiny([("P046", "provincia", p, "totale", "Totale", "nati", 10.0) for p in ("2016", "2017", "2018")])
    conn.execute("UPDATE marts.contesto_osservazioni SET rilascio = ?, fonte = 'istat_demo_bilancio'", [loaded])
    conn.execute("CREATE TABLE meta.caricamenti (fonte VARCHAR, file_nome VARCHAR, caricato_il TIMESTAMP)")
    conn.execute("INSERT INTO meta.caricamenti VALUES ('istat_demo_bilancio', 'x.csv', ?)", [dt.datetime(2026, 11, 30, 7)])
    # edition of 31/1/2019, cut-off 30/9/2018: 2016 out in July 2017, 2017 in July 2018, 2018 ends after the cut-off
    assert Capitolo(conn, carica("lucca_pp2019")).periodi_disponibili("marts.contesto_osservazioni", "true", []) == \
        ["2016", "2017"]


def test_a_current_edition_prints_the_date_of_its_data_not_today():
    from pipelines import capitolo, edizioni

    conn = _tiny([("P046", "provincia", "2018M01-M09", "tipo_intervento", "Totale", "ore_autorizzate", 755840.0)])
    conn.execute("CREATE TABLE marts.contesto_variazioni AS SELECT *, NULL::VARCHAR AS periodo_prec, "
                 "NULL::DOUBLE AS valore_prec, NULL::DOUBLE AS variazione_pct FROM marts.contesto_osservazioni")
    ed, sezioni = capitolo.costruisci(conn, edizioni.corrente("LU", oggi=dt.date(2026, 11, 30)))
    assert any("755.840" in p for s in sezioni for p in s.paragrafi)
    assert edizioni.data_aggiornamento(ed) == dt.date(2018, 9, 30)
    assert edizioni.data_aggiornamento(edizioni.carica("lucca_pp2019")) == dt.date(2018, 9, 30)


# --- figures of the sections from their section marts (#11) -------------------------------------------------

def test_tourism_prints_the_section_mart_figures():
    """The average stay and the foreigners' share come from marts.sezione_turismo (the reconciled marts), not
    from a division in the chapter builder: a mart value the raw levels would not give is what is printed."""
    from pipelines import capitolo

    conn = _tiny([])
    conn.execute("CREATE TABLE marts.sezione_turismo (fonte VARCHAR, territorio_id VARCHAR, territorio VARCHAR, "
                 "periodo VARCHAR, rilascio DATE, natura VARCHAR, valore_dimensione VARCHAR, tipo_esercizio VARCHAR, "
                 "provenienza VARCHAR, arrivi DOUBLE, presenze DOUBLE, permanenza_media DOUBLE, quota_arrivi_pct DOUBLE, "
                 "quota_presenze_pct DOUBLE)")
    conn.execute("INSERT INTO marts.sezione_turismo VALUES "
                 "('prova', 'P046', 'Lucca', '2017', ?, 'pubblicato', 'Totale|Totale', 'Totale', 'Totale', 1000, 3500, "
                 "3.46, 100, 100), ('prova', 'P046', 'Lucca', '2017', ?, 'pubblicato', 'Totale|Stranieri', 'Totale', "
                 "'Stranieri', 447, 1700, 3.8, 44.7, 48.6)", [RILASCIO, RILASCIO])
    sez = _unit(capitolo.turismo, conn, "Il turismo")
    assert sez.paragrafi == ["Nel 2017 le strutture ricettive della provincia di Lucca hanno registrato 1.000 arrivi e "
                             "3.500 presenze, per una permanenza media di 3,5 notti; i turisti stranieri sono il 44,7% "
                             "degli arrivi."]
    assert sez.tabelle[0].righe[0] == ["Totale", "1.000", "3.500", "3,5"]


def test_closing_share_is_the_sum_of_the_two_statuses_of_the_section_mart():
    conn = _tiny([])
    conn.execute("CREATE TABLE marts.contesto_composizione (fonte VARCHAR, territorio_id VARCHAR, territorio VARCHAR, "
                 "periodo VARCHAR, rilascio DATE, natura VARCHAR, misura VARCHAR, dimensione VARCHAR, radice BOOLEAN, "
                 "valore_padre VARCHAR, valore_padre_numero DOUBLE, valore_dimensione VARCHAR, valore DOUBLE, "
                 "quota_pct DOUBLE, errore_arrotondamento DOUBLE)")
    for tid, stati in (("P046", {"Attive": 36484, "con Procedure concorsuali": 1038, "in Scioglimento o Liquidazione": 1507}),
                       ("R09", {"Attive": 350000, "in Scioglimento o Liquidazione": 1000})):
        for stato, n in stati.items():
            conn.execute("INSERT INTO marts.contesto_composizione VALUES ('prova', ?, ?, '2018-09-30', ?, 'pubblicato', "
                         "'sedi_impresa', 'status_impresa', true, 'Totale registrate', 42974, ?, ?, ?, 0.001)",
                         [tid, tid, RILASCIO, stato, n, 100 * n / 42974])
    build_model(conn, SQL_DIR / "marts" / "sezione_imprese_status.sql")
    rows = dict(conn.execute("SELECT territorio_id, quota_cessande_pct FROM marts.sezione_imprese_status").fetchall())
    assert rows["P046"] == pytest.approx(100 * (1038 + 1507) / 42974) and round(rows["P046"], 1) == 5.9
    assert rows["R09"] is None  # one of the two statuses missing: no partial share
