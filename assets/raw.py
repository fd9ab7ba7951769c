"""Raw assets: landing folder -> parse -> Great Expectations -> raw table, one asset per registered source.

A failing extract never reaches the warehouse: the blocking check fails with the Italian list
of problems (file, sheet, row, column; a territory code in no version of the code lists among
them, pipelines.loading.unknown_territories), the step fails, and downstream assets keep their last
good tables. A refused file is not recorded as loaded, so its correction loads on the next run.

A source the Camere deliver each in its own folder (registry `partizione: camera`: the office's
extracts) is partitioned by Camera: a run reads the folders of its partitions only, landing/<fonte>/<codice>/
(and landing/<fonte>/ itself for the Camera of the installation), each row tagged with its folder's Camera.
"""

from collections.abc import Callable

import dagster as dg
import pandas as pd

from pipelines import catalog, settings
from pipelines.loading import cartelle_sconosciute, partizionata, prepare_batch, write_batch
from pipelines.partizioni import camere_partizioni
from pipelines.warehouse import Warehouse


def raw_asset(fonte_id: str, prepare: Callable[[pd.DataFrame], pd.DataFrame], group: str,
              deps: list[dg.AssetKey] | None = None) -> dg.AssetsDefinition:
    spec = catalog.fonte(fonte_id)
    schema, table = spec["tabella_raw"].split(".")
    check = f"gx_{spec['suite']}"
    key = dg.AssetKey([schema, table])

    partitioned = partizionata(fonte_id)

    @dg.asset(
        key=key,
        group_name="raw",
        kinds={"duckdb", "csv", "xlsx"},
        pool="duckdb_writer",
        description=f"{spec['descrizione']} Cartella di consegna: landing/{fonte_id}/"
                    + ("<codice della Camera>/ (i file in landing/{fonte_id}/ sono della Camera predefinita)"
                       if partitioned else "") + f". {spec['fonte_testo']}.",
        metadata={"fonte": fonte_id, "editore": spec["editore"], "licenza": spec["licenza"],
                  "cadenza": spec["cadenza"], "suite": f"expectations/{spec['suite']}.json"},
        check_specs=[dg.AssetCheckSpec(check, asset=key, blocking=True,
                                       description=f"Suite Great Expectations expectations/{spec['suite']}.json "
                                                   "sugli estratti nuovi, prima della scrittura")],
        tags={"dominio": group},
        deps=deps,
        partitions_def=camere_partizioni if partitioned else None,
        backfill_policy=dg.BackfillPolicy.single_run() if partitioned else None,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse):
        # the Camere whose folders this run reads; unpartitioned, the default Camera, whose bundled
        # sample stands in while landing/ is empty
        camere = [settings.camera(k) for k in context.partition_keys] if partitioned else [settings.camera()]
        with warehouse.writer() as conn:
            # one Camera's folder after another, each written before the next is read (the same file in two
            # folders loads once); a problem anywhere rolls the whole transaction back
            problemi, batches, rows = cartelle_sconosciute(fonte_id), [], 0
            for camera in camere:
                batches.append(prepare_batch(conn, fonte_id, camera, prepare))
                problemi += batches[-1].problemi
                if not problemi:
                    rows += write_batch(conn, batches[-1])
            controlli = {k: sum(b.controlli.get(k, 0) for b in batches) for k in batches[0].controlli}
            if problemi:
                text = "\n".join(str(p) for p in problemi[:50])
                yield dg.AssetCheckResult(
                    check_name=check, passed=False, severity=dg.AssetCheckSeverity.ERROR,
                    metadata={**controlli, "problemi": len(problemi), "dettaglio": dg.MetadataValue.md(text)},
                )
                more = f"\n… e altri {len(problemi) - 50} problemi" if len(problemi) > 50 else ""
                raise dg.Failure(
                    description=f"Fonte «{fonte_id}»: estratto rifiutato, il magazzino resta com'era.\n{text}{more}\n"
                                "Il file non risulta caricato: corretto (anche con lo stesso nome), entra alla "
                                "prossima osservatorio run.",
                    metadata={"problemi": len(problemi)},
                )
            total, vintages = conn.execute(
                f"SELECT count(*), string_agg(DISTINCT strftime(rilascio, '%Y-%m-%d'), ', ') FROM {spec['tabella_raw']}"
                if any(c["nome"] == "rilascio" for c in spec["colonne"])
                else f"SELECT count(*), NULL FROM {spec['tabella_raw']}"
            ).fetchone()
        nuovi = [f for b in batches for f in b.nuovi_file]
        gia = [f for b in batches for f in b.gia_caricati]
        context.log.info(f"{fonte_id}: {rows} righe nuove da {len(nuovi)} file; {len(gia)} file già caricati")
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": total,
                "righe_nuove": rows,
                "file_nuovi": ", ".join(nuovi) or "nessuno",
                "file_gia_caricati": ", ".join(gia) or "nessuno",
                "rilasci": vintages or "",
                "dati_di_esempio": any(b.campione for b in batches),
                ("camere" if partitioned else "camera"): ", ".join(c.codice for c in camere),
            },
            check_results=[dg.AssetCheckResult(check_name=check, passed=True, metadata=controlli)],
        )

    return _asset
