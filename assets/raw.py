"""Raw assets: landing folder -> parse -> Great Expectations -> raw table, one asset per registered source.

A failing extract never reaches the warehouse: the blocking check fails with the Italian list
of problems (file, sheet, row, column; a territory code in no version of the code lists among
them, pipelines.loading.unknown_territories), the step fails, and downstream assets keep their last
good tables. A refused file is not recorded as loaded, so its correction loads on the next run.
"""

from collections.abc import Callable

import dagster as dg
import pandas as pd

from pipelines import catalog, settings
from pipelines.loading import prepare_batch, write_batch
from pipelines.warehouse import Warehouse


def raw_asset(fonte_id: str, prepare: Callable[[pd.DataFrame], pd.DataFrame], group: str,
              deps: list[dg.AssetKey] | None = None) -> dg.AssetsDefinition:
    spec = catalog.fonte(fonte_id)
    schema, table = spec["tabella_raw"].split(".")
    check = f"gx_{spec['suite']}"
    key = dg.AssetKey([schema, table])

    @dg.asset(
        key=key,
        group_name="raw",
        kinds={"duckdb", "csv", "xlsx"},
        pool="duckdb_writer",
        description=f"{spec['descrizione']} Cartella di consegna: landing/{fonte_id}/. {spec['fonte_testo']}.",
        metadata={"fonte": fonte_id, "editore": spec["editore"], "licenza": spec["licenza"],
                  "cadenza": spec["cadenza"], "suite": f"expectations/{spec['suite']}.json"},
        check_specs=[dg.AssetCheckSpec(check, asset=key, blocking=True,
                                       description=f"Suite Great Expectations expectations/{spec['suite']}.json "
                                                   "sugli estratti nuovi, prima della scrittura")],
        tags={"dominio": group},
        deps=deps,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse):
        camera = settings.camera()  # the default Camera carries the bundled sample used while landing/ is empty
        with warehouse.writer() as conn:
            batch = prepare_batch(conn, fonte_id, camera, prepare)
            if batch.problemi:
                text = "\n".join(str(p) for p in batch.problemi[:50])
                yield dg.AssetCheckResult(
                    check_name=check, passed=False, severity=dg.AssetCheckSeverity.ERROR,
                    metadata={**batch.controlli, "problemi": len(batch.problemi), "dettaglio": dg.MetadataValue.md(text)},
                )
                more = f"\n… e altri {len(batch.problemi) - 50} problemi" if len(batch.problemi) > 50 else ""
                raise dg.Failure(
                    description=f"Fonte «{fonte_id}»: estratto rifiutato, il magazzino resta com'era.\n{text}{more}\n"
                                "Il file non risulta caricato: corretto (anche con lo stesso nome), entra alla "
                                "prossima osservatorio run.",
                    metadata={"problemi": len(batch.problemi)},
                )
            rows = write_batch(conn, batch)
            total, vintages = conn.execute(
                f"SELECT count(*), string_agg(DISTINCT strftime(rilascio, '%Y-%m-%d'), ', ') FROM {spec['tabella_raw']}"
                if any(c["nome"] == "rilascio" for c in spec["colonne"])
                else f"SELECT count(*), NULL FROM {spec['tabella_raw']}"
            ).fetchone()
        context.log.info(f"{fonte_id}: {rows} righe nuove da {len(batch.nuovi_file)} file; "
                         f"{len(batch.gia_caricati)} file già caricati")
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": total,
                "righe_nuove": rows,
                "file_nuovi": ", ".join(batch.nuovi_file) or "nessuno",
                "file_gia_caricati": ", ".join(batch.gia_caricati) or "nessuno",
                "rilasci": vintages or "",
                "dati_di_esempio": batch.campione,
                "camera": camera.codice,
            },
            check_results=[dg.AssetCheckResult(check_name=check, passed=True, metadata=batch.controlli)],
        )

    return _asset
