"""One Dagster asset per SQL file in sql/<layer>/<table>.sql; dependencies read from the SQL itself.

Each model is rebuilt in one transaction (CREATE OR REPLACE inside BEGIN/COMMIT), so a failing
model leaves the previous table in place. A per-Camera table (sql/schema.yml `partizione: camera`) is
partitioned by Camera: a run rebuilds only its Camere's rows (`warehouse.build_model`, `fetta`). The blocking checks on qualita.rilievi_ente and
qualita.rilievi_contesto stop what follows while a blocking finding is open.
"""

import hashlib

import dagster as dg

from pipelines import catalog
from pipelines.partizioni import camere_partizioni, codici_camera
from pipelines.runs import BLOCKING_FINDINGS
from pipelines.settings import SQL_DIR
from pipelines.warehouse import (Warehouse, build_model, column_docs, model_refs, model_refs_in_order, model_table,
                                 render_sql,
                                 sql_models)


def _column_schema(conn, table: str) -> dg.TableSchema:
    docs = column_docs(catalog.documentazione_tabelle().get(table) or {})
    schema, name = table.split(".")
    cols = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", [schema, name]
    ).fetchall()
    return dg.TableSchema(columns=[dg.TableColumn(c, t, description=docs.get(c)) for c, t in cols])


def model_asset(path) -> dg.AssetsDefinition:
    """The Dagster asset of one SQL model: its table, built by `warehouse.build_model`; partitioned by
    Camera (every partition of a single-run backfill in one step) when sql/schema.yml declares
    `partizione: <column>` for it, unpartitioned (the national context, the panels, the checks) otherwise."""
    table = model_table(path)
    layer, name = table.split(".")
    doc = catalog.documentazione_tabelle().get(table) or {}
    column = doc.get("partizione")

    @dg.asset(
        key=dg.AssetKey([layer, name]),
        deps=[dg.AssetKey(ref.split(".")) for ref in sorted(model_refs(path))],
        group_name=layer,
        kinds={"duckdb", "sql"},
        pool="duckdb_writer",
        description=doc.get("descrizione"),
        metadata={"sql": f"sql/{layer}/{path.name}", **({"partizione": column} if column else {})},
        code_version=hashlib.sha1(path.read_bytes()).hexdigest()[:12],
        partitions_def=camere_partizioni if column else None,
        backfill_policy=dg.BackfillPolicy.single_run() if column else None,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        codes = sorted({c for k in context.partition_keys for c in codici_camera(k)}) if column else []
        with warehouse.writer() as conn:
            rows, rebuilt = build_model(conn, path, fetta=(column, codes) if column else None)
            schema = _column_schema(conn, table)
        return dg.MaterializeResult(metadata={"dagster/row_count": rows, "dagster/column_schema": schema,
                                              "ricostruita": rebuilt,
                                              **({"camere": ", ".join(codes)} if column else {})})

    return _asset


model_assets = [model_asset(p) for p in sql_models()]


SINTESI = SQL_DIR / "qualita" / "rilievi_sintesi.sql"
SHOWN = 20  # lines of blocking findings in a check's metadata; every one is in the table


def _bloccanti(table: str) -> str:
    """The blocking rows of a findings table with the columns of qualita.rilievi (`ambito` from its name)."""
    ambito = table.rsplit("_", 1)[-1]
    return (f"(SELECT * FROM (SELECT '{ambito}' AS ambito, * FROM {table} UNION ALL BY NAME "
            "SELECT NULL::VARCHAR AS territorio, NULL::VARCHAR AS causa WHERE false) WHERE gravita = 'bloccante')")


def _blocking_check(table: str) -> dg.AssetChecksDefinition:
    schema, name = table.split(".")

    @dg.asset_check(
        asset=dg.AssetKey([schema, name]),
        name="nessun_rilievo_bloccante",
        blocking=True,
        description="Nessun rilievo bloccante aperto: altrimenti l'istantanea e l'edizione non si pubblicano.",
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        """Passes without blocking findings in `table`; else fails with them, one line per file and cause
        with the count and three examples (qualita/rilievi_sintesi.sql on this run's rows), in the metadata
        `rilievi_bloccanti` the console and `osservatorio status` print (pipelines.runs.blocking_findings)."""
        with warehouse.reader() as conn:
            counts = dict(conn.execute(f"SELECT gravita, count(*) FROM {table} GROUP BY gravita").fetchall())
            blocking = [r[0] for r in conn.execute(
                f"SELECT messaggio FROM ({render_sql(SINTESI, rilievi=_bloccanti(table))}) LIMIT {SHOWN}").fetchall()]
            files = [r[0] for r in conn.execute(
                f"SELECT DISTINCT file FROM {table} WHERE gravita = 'bloccante' AND file IS NOT NULL ORDER BY 1").fetchall()]
        more = counts.get("bloccante", 0) - sum(1 for _ in blocking)
        return dg.AssetCheckResult(
            passed=not counts.get("bloccante"),
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "bloccanti": counts.get("bloccante", 0),
                "avvisi": counts.get("avviso", 0),
                "dettaglio": dg.MetadataValue.md("\n".join(f"- {b}" for b in blocking) or "nessuno"),
                BLOCKING_FINDINGS: dg.MetadataValue.text("\n".join(blocking)),
                "tabella": table,
                "file": ", ".join(files),
            },
        )

    return _check


def checked_table(path) -> str:
    """The table a quality rule (sql/qualita/q*.sql) checks: the first it reads, catalogues and the
    territory dimension aside."""
    return next(r for r in model_refs_in_order(path)
                if not r.startswith(("meta.", "qualita.")) and r != "marts.dim_territorio")


def _rule_check(path) -> dg.AssetChecksDefinition:
    """One quality rule as a check on the table it checks, its findings (count, first 20) as metadata.
    It fails when the rule finds anything; a `bloccante` finding makes it an error, else a warning."""
    table = model_table(path)
    doc = catalog.documentazione_tabelle().get(table) or {}

    @dg.asset_check(asset=dg.AssetKey(checked_table(path).split(".")), name=path.stem, blocking=False,
                    additional_deps=[dg.AssetKey(table.split("."))],
                    description=f"{doc.get('descrizione') or path.stem} (rilievi in {table}).")
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.reader() as conn:
            counts = dict(conn.execute(f"SELECT gravita, count(*) FROM {table} GROUP BY gravita").fetchall())
            first = conn.execute(
                "SELECT coalesce(file || coalesce(', riga ' || riga, '') || ': ', '') || messaggio "
                f"FROM {table} ORDER BY gravita, 1 LIMIT 20").fetchall()
        return dg.AssetCheckResult(
            passed=not counts,
            severity=dg.AssetCheckSeverity.ERROR if counts.get("bloccante") else dg.AssetCheckSeverity.WARN,
            metadata={"bloccanti": counts.get("bloccante", 0), "avvisi": counts.get("avviso", 0),
                      "dettaglio": dg.MetadataValue.md("\n".join(f"- {r[0]}" for r in first) or "nessuno")},
        )

    return _check


RULES = [p for p in sql_models() if p.parent.name == "qualita" and p.stem.startswith("q")]
quality_checks = [_blocking_check(t) for t in ("qualita.rilievi_ente", "qualita.rilievi_contesto")] + \
    [_rule_check(p) for p in RULES]
