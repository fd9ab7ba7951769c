"""Measures aggregate as the registry says (data/registry/misure.yaml): a rate for a Camera spanning several
provinces is recomputed from its numerator and denominator, or left out; it is never summed or averaged."""

from __future__ import annotations

import duckdb
import pytest

from conftest import run_main_job, step_failures
from pipelines.jobs import CONTESTO_JOB

HEADER = "territorio;livello;periodo;dimensione;valore_dimensione;misura;valore;unita;rilascio;provvisorio;natura;riferimento"
# three provinces of one merged Camera (data/camere/camere.yaml: TNO = 045, 046, 050)
PROVINCE = {"045": (80_000, 55_000), "046": (160_000, 105_000), "050": (170_000, 120_000)}  # population, employed


def rows() -> list[str]:
    out = []
    for code, (pop, occ) in PROVINCE.items():
        rate = f"{100 * occ / pop:.2f}".replace(".", ",")
        # 2018: the rate with its terms; 2019: the rate alone
        out += [f"{code};provincia;2018;totale;Totale;tasso_occupazione;{rate};%;31/03/2019;no;ufficiale;",
                f"{code};provincia;2018;totale;Totale;occupati;{occ:,};n;31/03/2019;no;ufficiale;".replace(",", "."),
                f"{code};provincia;2018;totale;Totale;popolazione;{pop:,};n;31/03/2019;no;ufficiale;".replace(",", "."),
                f"{code};provincia;2019;totale;Totale;tasso_occupazione;{rate};%;31/03/2020;no;ufficiale;"]
    return out


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    import os

    home = tmp_path_factory.mktemp("aggregazione")
    folder = home / "landing" / "sil_avviamenti"
    folder.mkdir(parents=True)
    (folder / "lavoro.csv").write_text("\n".join([HEADER, *rows()]) + "\n", encoding="utf-8")
    saved = os.environ.get("OSSERVATORIO_HOME")
    os.environ["OSSERVATORIO_HOME"] = str(home)
    try:
        result = run_main_job(job=CONTESTO_JOB)
        assert result.success, step_failures(result)
    finally:
        if saved is None:
            os.environ.pop("OSSERVATORIO_HOME")
        else:
            os.environ["OSSERVATORIO_HOME"] = saved
    conn = duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True)
    yield conn
    conn.close()


def value(conn, territorio: str, periodo: str, misura: str):
    rows = conn.execute("SELECT valore FROM marts.contesto_osservazioni WHERE territorio_id = ? AND periodo = ? "
                        "AND misura = ?", [territorio, periodo, misura]).fetchall()
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


def test_no_share_of_a_ratio(warehouse):
    n = warehouse.execute("SELECT count(*) FROM marts.contesto_quote WHERE misura = 'tasso_occupazione'").fetchone()[0]
    assert n == 0
