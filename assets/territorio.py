"""Istat's territorial code lists and the sub-provincial areas, loaded as they are published.

Sources (bundled in data/territorio/, see the README there): the Istat list of comuni with
their province, region, car plate and NUTS 2024 codes (';', UTF-8 with BOM), and the Istat
code list CL_ITTER107 used in Istat's data (NUTS 2010 codes such as ITE12 for Lucca).
"""

import re

import dagster as dg
import pandas as pd

from pipelines.extracts import sha256
from pipelines.settings import DATA_DIR
from pipelines.warehouse import Warehouse, document

LISTS = {
    "istat_unita_territoriali": ("istat_unita_territoriali.csv", ";",
                                 "Elenco Istat dei comuni con codici statistici, sigle e codici NUTS 2024. Fonte: Istat (CC BY 4.0)."),
    "istat_cl_itter107": ("istat_cl_itter107.csv", ",",
                          "Lista di codici Istat CL_ITTER107 (territori nei dati Istat, codici NUTS 2010 come ITE12). Fonte: Istat (CC BY 4.0), appiattita da ondata."),
    "aree_subprovinciali": ("aree_subprovinciali.csv", ",",
                            "Aree sub-provinciali usate nei capitoli (Piana di Lucca, Versilia, Valle del Serchio) e comuni di ciascuna. Configurazione dell'Ufficio Studi."),
}


def snake(name: str) -> str:
    name = re.sub(r"[^0-9a-zA-Z]+", "_", name.strip().lower()).strip("_")
    return name or "colonna"


def read_list(name: str) -> pd.DataFrame:
    file, sep, _ = LISTS[name]
    frame = pd.read_csv(DATA_DIR / "territorio" / file, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame


def _list_asset(name: str) -> dg.AssetsDefinition:
    file, _, text = LISTS[name]

    @dg.asset(key=dg.AssetKey(["raw", name]), group_name="raw", kinds={"duckdb", "csv"}, pool="duckdb_writer",
              description=text, metadata={"file": f"data/territorio/{file}"})
    def _asset(warehouse: Warehouse) -> dg.MaterializeResult:
        frame = read_list(name)
        headers = dict(zip(frame.columns, map(snake, frame.columns)))
        frame = frame.rename(columns=headers)
        frame["file_nome"] = file
        frame["file_sha256"] = sha256(DATA_DIR / "territorio" / file)
        frame["riga"] = range(2, len(frame) + 2)
        table = f"raw.{name}"
        with warehouse.writer() as conn:
            conn.register("_lista", frame)
            conn.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _lista")
            conn.unregister("_lista")
            columns = {new: f"Colonna «{old}» del file originale" for old, new in headers.items()}
            columns |= {"file_nome": "Nome del file", "file_sha256": "Impronta SHA-256 del file",
                        "riga": "Riga del file"}
            document(conn, table, {"descrizione": text, "colonne": columns})
        return dg.MaterializeResult(metadata={"dagster/row_count": len(frame)})

    return _asset


territorio_assets = [_list_asset(n) for n in LISTS]
