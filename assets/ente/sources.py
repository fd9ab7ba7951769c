"""Raw assets for the Camera's own extracts: landing folder -> parse -> Great Expectations -> raw table.

A failing extract never reaches the warehouse: the blocking check fails with the Italian list
of problems (file, sheet, row, column), the step fails, and downstream assets keep their last
good tables.
"""


import dagster as dg
import pandas as pd

from pipelines import catalog, settings
from pipelines.loading import prepare_batch, write_batch
from pipelines.warehouse import Warehouse

UNITA = {
    "eur": "EUR", "euro": "EUR", "€": "EUR",
    "eur_k": "EUR_k", "keur": "EUR_k", "k€": "EUR_k", "migliaia di euro": "EUR_k", "migliaia_di_euro": "EUR_k",
    "n": "n", "numero": "n", "unità": "n", "unita": "n",
    "fte": "FTE", "pct": "pct", "%": "pct",
}
OPERATORI = {"<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "banda": "banda"}


def _upper(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().str.upper()


def _indicator_ids(series: pd.Series) -> pd.Series:
    aliases = catalog.alias_indicatori()
    return series.map(lambda v: aliases.get(str(v).strip().casefold()) if pd.notna(v) else None)


def prepare_bilancio(df: pd.DataFrame) -> pd.DataFrame:
    voci = catalog.voci_bilancio().set_index("codice")
    df["camera"] = _upper(df["camera"])
    df["_camera_nota"] = df["camera"].where(df["camera"].isin(list(settings.camere())))
    df["tipo"] = df["tipo"].str.strip().str.lower()
    df["voce"] = df["voce"].str.strip().str.lower()
    df["unita"] = df["unita"].map(lambda u: UNITA.get(str(u).strip().casefold(), u))
    df["natura"] = df["natura"].fillna("ufficiale").str.strip().str.lower()
    df["_dimensione"] = df["voce"].map(voci["dimensione"])
    df["_segno"] = df["voce"].map(voci["segno"])
    return df


def prepare_obiettivi(df: pd.DataFrame) -> pd.DataFrame:
    df["camera"] = _upper(df["camera"])
    df["indicatore_id"] = _indicator_ids(df["indicatore"])
    df["operatore"] = df["operatore"].map(lambda o: OPERATORI.get(str(o).strip().casefold(), o))
    return df


def prepare_pubblicati(df: pd.DataFrame) -> pd.DataFrame:
    df["camera"] = _upper(df["camera"])
    df["tipo"] = df["tipo"].str.strip().str.lower()
    df["indicatore_id"] = _indicator_ids(df["indicatore"])
    return df


def prepare_benchmark_valori(df: pd.DataFrame) -> pd.DataFrame:
    units = {i["id"]: i["unita"] for i in catalog.indicatori() + catalog.indicatori_solo_panel()}
    df["camera"] = _upper(df["camera"])
    df["indicatore_id"] = _indicator_ids(df["codice"])
    df["_unita"] = df["indicatore_id"].map(units)
    df["natura"] = df["natura"].fillna("ufficiale").str.strip().str.lower()
    return df


def prepare_benchmark_panel(df: pd.DataFrame) -> pd.DataFrame:
    df["camera"] = _upper(df["camera"])
    df["panel"] = df["panel"].str.strip()
    return df


PREPARE = {
    "bilancio": prepare_bilancio,
    "obiettivi_salute": prepare_obiettivi,
    "indicatori_pubblicati": prepare_pubblicati,
    "benchmark_valori": prepare_benchmark_valori,
    "benchmark_panel": prepare_benchmark_panel,
}


def raw_asset(fonte_id: str, group: str) -> dg.AssetsDefinition:
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
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse):
        camera = settings.camera_corrente()
        with warehouse.writer() as conn:
            batch = prepare_batch(conn, fonte_id, camera, PREPARE[fonte_id])
            if batch.problemi:
                text = "\n".join(str(p) for p in batch.problemi[:50])
                yield dg.AssetCheckResult(
                    check_name=check, passed=False, severity=dg.AssetCheckSeverity.ERROR,
                    metadata={**batch.controlli, "problemi": len(batch.problemi), "dettaglio": dg.MetadataValue.md(text)},
                )
                raise dg.Failure(
                    description=f"Fonte «{fonte_id}»: estratto rifiutato, il magazzino resta com'era.\n{text}",
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


ente_raw_assets = [raw_asset(f, "ente") for f in PREPARE]
