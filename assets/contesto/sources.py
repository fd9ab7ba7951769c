"""Raw assets of the context sources: each read in the format its publisher uses, or the office template."""

from functools import partial

import dagster as dg
import pandas as pd

from assets.istat import RISPOSTE_ISTAT
from assets.raw import raw_asset
from pipelines import catalog, contratto
from pipelines.loading import TERRITORI_FONTI
from pipelines.warehouse import model_refs


def prepare_contesto(df: pd.DataFrame, fonte_id: str) -> pd.DataFrame:
    """Normalise the flags and give each row the bounds of its measure (`contratto.regole_misure`)."""
    df["natura"] = df["natura"].fillna("ufficiale").astype("string").str.strip().str.lower()
    df["provvisorio"] = df["provvisorio"].fillna(False).astype(bool)
    df["livello"] = df["livello"].astype("string").str.strip().str.lower()
    df["territorio"] = df["territorio"].astype("string").str.strip()
    return contratto.regole_misure(df, catalog.fonte(fonte_id))


CONTESTO = [f for f, spec in catalog.fonti().items() if spec["suite"] in ("contesto", "contesto_pubblicati")]
# Sources fed by a download asset, so the lineage shows where their files come from.
SCARICATI = {"istat_sdmx": [RISPOSTE_ISTAT]}
# A file's territories are resolved before it is written (pipelines.loading.unknown_territories), with
# the tables the resolution model reads other than the raw context tables themselves: the code lists.
RISOLUZIONE = [dg.AssetKey(t.split(".")) for t in sorted(model_refs(TERRITORI_FONTI))
               if t not in {catalog.fonte(f)["tabella_raw"] for f in CONTESTO}]
contesto_raw_assets = [raw_asset(f, partial(prepare_contesto, fonte_id=f), "contesto",
                                 deps=[*SCARICATI.get(f, []), *RISOLUZIONE])
                       for f in CONTESTO]
