"""Measures aggregate as the registry says (the `misure` of data/registry/fonti.yaml): a rate for a Camera spanning several
provinces is recomputed from its numerator and denominator, or left out; it is never summed or averaged."""

from __future__ import annotations

import duckdb
import pytest

from conftest import run_main_job, step_failures
from pipelines.jobs import CONTESTO_JOB

HEADER = "territorio;livello;periodo;dimensione;valore_dimensione;misura;valore;unita;rilascio;provvisorio;natura;riferimento"
# three provinces of one merged Camera (data/camere/camere.yaml: TNO = 045, 046, 050)
PROVINCE = {"045": (80_000, 55_000), "046": (160_000, 105_000), "050": (170_000, 120_000)}  # population, employed
# value added 2017 at current prices (mln euro) and its change 2018 at constant prices (%)
VA = {"045": (4_000, "-1,5"), "046": (10_000, "0,8"), "050": (12_000, "2,0")}


def rows() -> list[str]:
    out = []
    for code, (pop, occ) in PROVINCE.items():
        rate = f"{100 * occ / pop:.2f}".replace(".", ",")
        # 2018: the rate with its terms; 2019: the rate alone
        out += [f"{code};provincia;2018;totale;Totale;tasso_occupazione;{rate};%;31/03/2019;no;ufficiale;",
                f"{code};provincia;2018;totale;Totale;occupati;{occ:,};n;31/03/2019;no;ufficiale;".replace(",", "."),
                f"{code};provincia;2018;totale;Totale;popolazione;{pop:,};n;31/03/2019;no;ufficiale;".replace(",", "."),
                f"{code};provincia;2019;totale;Totale;tasso_occupazione;{rate};%;31/03/2020;no;ufficiale;"]
        va, change = VA[code]
        out += [f"{code};provincia;2017;branca;Totale;va_prezzi_correnti;{va:,};mln_euro;31/10/2018;no;ufficiale;"
                .replace(",", "."),
                f"{code};provincia;2018;branca;Totale;va_prezzi_costanti_var_pct;{change};%;31/10/2018;no;ufficiale;"]
        if code != "045":  # 2019: one province lacks its 2018 weight
            out += [f"{code};provincia;2019;branca;Totale;va_prezzi_costanti_var_pct;1,0;%;31/10/2019;no;ufficiale;"]
    return out


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    home = tmp_path_factory.mktemp("aggregazione")
    folder = home / "landing" / "sil_avviamenti"
    folder.mkdir(parents=True)
    (folder / "lavoro.csv").write_text("\n".join([HEADER, *rows()]) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OSSERVATORIO_HOME", str(home))
        result = run_main_job(job=CONTESTO_JOB)
        assert result.success, step_failures(result)
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    yield conn
    conn.close()


def value(conn, territorio: str, periodo: str, misura: str):
    rows = conn.execute("SELECT valore FROM marts.contesto_osservazioni WHERE territorio_id = ? AND periodo = ? "
                        "AND misura = ? AND fonte = 'sil_avviamenti' AND valore_dimensione = 'Totale'",
                        [territorio, periodo, misura]).fetchall()
    assert len(rows) <= 1, rows
    return rows[0][0] if rows else None


def test_rate_of_merged_camera_from_its_terms(warehouse):
    pop = sum(p for p, _ in PROVINCE.values())
    occ = sum(o for _, o in PROVINCE.values())
    got = value(warehouse, "CCIAA_TNO", "2018", "tasso_occupazione")
    assert got == pytest.approx(100 * occ / pop)  # 68,29: the weighted rate, not 206,96 (summed) nor 68,31 (mean)
    assert value(warehouse, "CCIAA_TNO", "2018", "occupati") == occ  # the terms themselves are additive


def test_rate_without_terms_is_left_out(warehouse):
    assert value(warehouse, "P046", "2019", "tasso_occupazione") is not None
    assert value(warehouse, "CCIAA_TNO", "2019", "tasso_occupazione") is None
    assert value(warehouse, "R09", "2019", "tasso_occupazione") is None


def test_volume_change_weighted_by_previous_year(warehouse):
    """The change of a merged Camera's value added at constant prices is the change of the sum valued at the
    previous year (ESA 2010 10.20-10.23): the mean of its provinces' changes weighted by their 2017 value added."""
    expected = sum(va * float(ch.replace(",", ".")) for va, ch in VA.values()) / sum(va for va, _ in VA.values())
    got = value(warehouse, "CCIAA_TNO", "2018", "va_prezzi_costanti_var_pct")
    assert got == pytest.approx(expected)  # 1,0: neither the sum (1,3) nor the plain mean (0,43)
    assert value(warehouse, "CCIAA_TNO", "2019", "va_prezzi_costanti_var_pct") is None  # a weight is missing
    assert value(warehouse, "P046", "2018", "va_prezzi_costanti_var_pct") == pytest.approx(0.8)  # as given


def test_no_share_of_a_ratio(warehouse):
    n = warehouse.execute("SELECT count(*) FROM marts.contesto_quote WHERE misura = 'tasso_occupazione'").fetchone()[0]
    assert n == 0


def test_one_declaration_per_measure(monkeypatch):
    """The rule comes from the measure's declaration in fonti.yaml; two sources may declare a measure only
    with the same rule, a ratio needs additive terms, a rate published alone is non_aggregabile."""
    from pipelines import catalog

    rules = catalog.misure().set_index("misura")
    assert rules.loc["tasso_occupazione", "aggregazione"] == "rapporto"
    assert rules.loc["imprese_attive", "fonti"] == "infocamere_stockview, infocamere_opendata"
    assert rules.loc["93_498", "aggregazione"] == "additiva"  # declared once, no longer contradicted elsewhere

    def check(fonti: dict, match: str):
        monkeypatch.setattr(catalog, "fonti", lambda: fonti)
        with pytest.raises(ValueError, match=match):
            catalog.misure.__wrapped__()

    add = {"unita": "n", "segno": "positivo", "aggregazione": "additiva"}
    check({"a": {"misure": {"x": add}}, "b": {"misure": {"x": {**add, "aggregazione": "non_aggregabile"}}}},
          "diversa da quella della fonte «a»")
    check({"a": {"misure": {"t": {"unita": "%", "aggregazione": "rapporto"}}}}, "richiede numeratore")
    check({"a": {"misure": {"t": {"aggregazione": "rapporto", "numeratore": "x", "denominatore": "y"}, "x": add}}},
          "«y» deve essere una misura additiva")
    check({"a": {"misure": {"t": {"aggregazione": "indice"}}}}, "sconosciuta")
