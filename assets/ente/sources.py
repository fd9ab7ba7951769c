"""Raw assets for the Camera's own extracts (balance sheet, targets, published values, panels)."""


import pandas as pd

from assets.raw import raw_asset
from pipelines import catalog, settings

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


ente_raw_assets = [raw_asset(f, prepare, "ente") for f, prepare in PREPARE.items()]
