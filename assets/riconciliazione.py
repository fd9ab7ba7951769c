"""Checks on the reconciliation with the Camera's documents: a printed figure the pipeline does not
reproduce must be explained (data/catalog/spiegazioni_riconciliazione.csv, or computed on
illustrative inputs), otherwise the check fails and lists it. Non-blocking: the chapter still
says which figures are not reproduced; the check makes it visible in the UI."""

import dagster as dg
import pandas as pd

from pipelines.settings import DATA_DIR
from pipelines.warehouse import Warehouse

SPIEGAZIONI = DATA_DIR / "catalog" / "spiegazioni_riconciliazione.csv"
CHECK = "cifre_stampate_riprodotte_o_spiegate"

# table -> (SQL of the rows not reproduced: riferimento, misura, territorio, stampato, calcolato; rows explained by the data)
TABLES = {
    "marts.contesto_riconciliazione": (
        "SELECT riferimento, misura, territorio, valore_pubblicato AS stampato, valore_calcolato AS calcolato, "
        "FALSE AS spiegato_dai_dati FROM marts.contesto_riconciliazione WHERE esito = 'non_riprodotto'"),
    "marts.riconciliazione_pubblicati": (
        "SELECT riferimento, indicatore AS misura, camera AS territorio, valore_pubblicato AS stampato, "
        "valore_calcolato AS calcolato, prova = 'illustrativo' AS spiegato_dai_dati "
        "FROM marts.riconciliazione_pubblicati WHERE esito = 'non_riprodotto'"),
}


def spiegazioni() -> pd.DataFrame:
    """The office's explanations of figures the documents print wrong (reference, measure, territory)."""
    return pd.read_csv(SPIEGAZIONI, dtype=str, keep_default_na=False)


def non_spiegate(conn, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows not reproduced, those of them neither reproduced nor explained) of a reconciliation table."""
    rows = conn.execute(TABLES[table]).df()
    known = {(r.riferimento, r.misura, r.territorio) for r in spiegazioni().itertuples()}
    explained = rows["spiegato_dai_dati"].astype(bool) | pd.Series(
        [(r, m, t) in known for r, m, t in zip(rows["riferimento"], rows["misura"], rows["territorio"])], dtype=bool)
    return rows, rows[~explained]


def _check(table: str) -> dg.AssetChecksDefinition:

    @dg.asset_check(asset=dg.AssetKey(table.split(".")), name=CHECK, blocking=False,
                    description="Ogni cifra stampata nei documenti è riprodotta dai dati oppure spiegata "
                                "(data/catalog/spiegazioni_riconciliazione.csv, o calcolata su valori illustrativi).")
    def _reconciliation(warehouse: Warehouse) -> dg.AssetCheckResult:
        """Fails listing each figure neither reproduced nor explained; metadata counts both kinds."""
        with warehouse.reader() as conn:
            rows, open_rows = non_spiegate(conn, table)
        lines = [f"- {r.territorio} {r.misura} ({r.riferimento}): stampato {r.stampato}, calcolato {r.calcolato}"
                 for r in open_rows.itertuples()]
        return dg.AssetCheckResult(
            passed=open_rows.empty, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"non_riprodotte": len(rows), "spiegate": len(rows) - len(open_rows),
                      "non_spiegate": len(open_rows),
                      "dettaglio": dg.MetadataValue.md("\n".join(lines) or "nessuna")},
        )

    return _reconciliation


reconciliation_checks = [_check(t) for t in TABLES]
