"""Raw assets of the context sources: each read in the format its publisher uses, or the office template."""

import pandas as pd

from assets.raw import raw_asset
from pipelines import catalog


def prepare_contesto(df: pd.DataFrame) -> pd.DataFrame:
    """Normalise the flags and mark which rows Great Expectations must range-check."""
    df["natura"] = df["natura"].fillna("ufficiale").astype("string").str.strip().str.lower()
    df["provvisorio"] = df["provvisorio"].fillna(False).astype(bool)
    df["livello"] = df["livello"].astype("string").str.strip().str.lower()
    df["territorio"] = df["territorio"].astype("string").str.strip()
    measure = df["misura"].astype("string").str.lower()
    changes = measure.str.contains("var|saldo|rank", regex=True)
    df["_non_negativo"] = df["unita"].isin(["n", "euro", "mln_euro"]) & ~changes
    df["_quota"] = (df["unita"] == "%") & measure.str.contains("quota|composizione|incidenza", regex=True)
    return df


CONTESTO = [f for f, spec in catalog.fonti().items() if spec["suite"] == "contesto"]
contesto_raw_assets = [raw_asset(f, prepare_contesto, "contesto") for f in CONTESTO]
