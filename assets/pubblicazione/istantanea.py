"""The analysts' snapshot as an asset: after every table of the run is built and checked, publish a
read-only copy of the warehouse (DuckDB file, Parquet of every mart, data dictionary) and swap it in.

It depends on every `marts` and `qualita` table, so a run whose tables or blocking checks fail
never reaches it: the analysts keep the last good snapshot. Publishing the editions reads it.
"""

import dagster as dg

from pipelines.istantanea import pubblica_istantanea
from pipelines.warehouse import MagazzinoOccupato, Warehouse, model_table, open_writer, sql_models

# Not under the `pubblicazione` prefix: the main job builds it, the publishing job (by prefix) reads it.
ISTANTANEA = dg.AssetKey(["istantanea"])
TABLES = [model_table(p) for p in sql_models() if model_table(p).split(".")[0] in ("marts", "qualita")]


@dg.asset(
    key=ISTANTANEA,
    deps=[dg.AssetKey(t.split(".")) for t in TABLES],
    group_name="pubblicazione",
    kinds={"duckdb", "parquet"},
    pool="duckdb_writer",
    description="Istantanea in sola lettura per gli analisti: copia del magazzino (warehouse/pubblicato/"
                "osservatorio.duckdb), un file Parquet per ogni tabella di marts e qualita e il dizionario dei dati "
                "(dizionario.csv), sostituita in un colpo solo dopo ogni esecuzione riuscita.",
)
def istantanea(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Takes the working file (held read-write while copied); returns the snapshot's folder and tables."""
    link = warehouse.snapshot_file().parent
    try:
        conn = open_writer(warehouse.file())
    except MagazzinoOccupato as error:
        raise dg.Failure(description=str(error)) from None
    try:
        out = pubblica_istantanea(conn, warehouse.file(), context.run_id, link)
    finally:
        conn.close()
    return dg.MaterializeResult(metadata={
        "cartella": dg.MetadataValue.path(str(link)),
        "versione": out["cartella"].name,
        "tabelle_parquet": len(out["tabelle"]),
        "righe_dizionario": out["dizionario"],
    })


istantanea_assets = [istantanea]
