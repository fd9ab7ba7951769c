"""Catalogue tables (meta schema): sources, balance-sheet items, indicators and Camere, from the data files."""


import dagster as dg
import pandas as pd

from pipelines import catalog, settings
from pipelines.warehouse import Warehouse, document


def _fonti() -> pd.DataFrame:
    keys = ["editore", "dataset", "licenza", "cadenza", "fonte_testo", "tabella_raw"]
    return pd.DataFrame([{"id": k, **{c: v.get(c) for c in keys}} for k, v in catalog.fonti().items()])


def _indicatori() -> pd.DataFrame:
    rows = [
        {"id": i["id"], "nome": i["nome"], "famiglia": i["famiglia"], "unita": i["unita"],
         "decimali": i["decimali"], "direzione": i["direzione"], "definizione": i["definizione"],
         "alias": "; ".join(i.get("alias", [])), "solo_panel": False,
         "minimo": (i.get("intervallo") or [None, None])[0], "massimo": (i.get("intervallo") or [None, None])[1]}
        for i in catalog.indicatori()
    ] + [
        {"id": i["id"], "nome": i["nome"], "famiglia": "benchmark_organizzativo", "unita": i["unita"],
         "decimali": i["decimali"], "direzione": i["direzione"], "definizione": None,
         "alias": "; ".join(i.get("alias", [])), "solo_panel": True,
         "minimo": (i.get("intervallo") or [None, None])[0], "massimo": (i.get("intervallo") or [None, None])[1]}
        for i in catalog.indicatori_solo_panel()
    ]
    return pd.DataFrame(rows)


def _documenti() -> pd.DataFrame:
    """The model chapters' documents (an edition's `modello`), so a reference 001:713 reads as its title."""
    from pipelines import edizioni

    eds = [edizioni.carica(i) for i in edizioni.ids()]
    rows = {ed["modello"]: {"id": str(ed["modello"]), "documento": f"{ed['documento']} ({ed['camera_obj'].nome})"}
            for ed in eds if ed.get("modello")}
    return pd.DataFrame(list(rows.values()), columns=["id", "documento"])


def _camere() -> pd.DataFrame:
    return pd.DataFrame([
        {"codice": c.codice, "nome": c.nome, "province": ";".join(c.province), "regione": c.regione,
         "n_province": len(c.province), "nome_breve": c.nome_breve, "regioni": ";".join(c.regioni),
         "attiva": c.attiva, "confluita_in": c.confluita_in}
        for c in settings.camere().values()
    ])


CATALOGHI = {
    "fonti": _fonti,
    "voci_bilancio": catalog.voci_bilancio,
    "indicatori": _indicatori,
    "camere": _camere,
    "documenti": _documenti,
    "gerarchie_contesto": catalog.gerarchie_contesto,
    "misure_pubblicate": catalog.misure_pubblicate,
    "misure": catalog.misure,
    "ateco_raccordo": catalog.ateco_raccordo,
    "ateco_2025_sezioni": catalog.ateco_2025_sezioni,
    "classificazioni": catalog.classificazioni,
}


def _catalog_asset(name: str, build) -> dg.AssetsDefinition:
    table = f"meta.{name}"

    @dg.asset(
        key=dg.AssetKey(["meta", name]),
        group_name="meta",
        kinds={"duckdb"},
        pool="duckdb_writer",
        description=(catalog.documentazione_tabelle().get(table) or {}).get("descrizione"),
    )
    def _asset(warehouse: Warehouse) -> dg.MaterializeResult:
        frame = build()
        with warehouse.writer() as conn:
            conn.register("_catalogo", frame)
            conn.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _catalogo")
            conn.unregister("_catalogo")
            document(conn, table)
        return dg.MaterializeResult(metadata={"dagster/row_count": len(frame)})

    return _asset


meta_assets = [_catalog_asset(name, build) for name, build in CATALOGHI.items()]
