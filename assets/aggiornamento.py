"""Freshness of each source against its release calendar (data/registry/fonti.yaml `calendario`):
one non-blocking check per raw asset, saying in Italian what is overdue."""

import datetime as dt

import dagster as dg
import duckdb

from pipelines import catalog
from pipelines.calendario import calendario, ritardo
from pipelines.warehouse import Warehouse

CHECK = "aggiornamento_secondo_calendario"


def raw_key(fonte_id: str) -> dg.AssetKey:
    return dg.AssetKey(catalog.fonte(fonte_id)["tabella_raw"].split("."))


def _freshness_check(fonte_id: str) -> dg.AssetChecksDefinition:
    cal = calendario(fonte_id)

    @dg.asset_check(
        asset=raw_key(fonte_id), name=CHECK, blocking=False,
        description=f"Un nuovo estratto arriva secondo il calendario della fonte: mesi {', '.join(map(str, cal.mesi))}, "
                    f"giorno {cal.giorno}, in ritardo dopo {cal.tolleranza_giorni} giorni (data/registry/fonti.yaml).",
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        """Reads meta.caricamenti (the load log); passes unless the expected release is overdue."""
        with warehouse.reader() as conn:
            try:  # the office's own files only: the bundled sample is not a release
                last = conn.execute("SELECT max(caricato_il)::DATE FROM meta.caricamenti WHERE fonte = ? AND NOT campione",
                                    [fonte_id]).fetchone()[0]
            except duckdb.CatalogException:  # nothing loaded yet
                last = None
        text = ritardo(fonte_id, last, dt.date.today())
        return dg.AssetCheckResult(
            passed=text is None, severity=dg.AssetCheckSeverity.WARN,
            metadata={"ultimo_caricamento": str(last) if last else "mai",
                      "esito": text or "nei tempi del calendario"},
        )

    return _check


freshness_checks = [_freshness_check(f) for f in catalog.fonti() if calendario(f)]
