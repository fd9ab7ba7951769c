"""Raw assets for the Camera's own extracts (balance sheet, targets, published values, panels).

The `prepare_*` functions take an extract as read by pipelines.extracts.read_extract and return it
with codes normalised and the derived columns the registry declares; nothing is dropped, and what
cannot be resolved is left empty for the source's Great Expectations suite to refuse by row.
"""

import re
import unicodedata

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
# Kinds of figure as the Camere write them -> the catalogue's kinds (rango_tipo in sql/_macros.sql).
TIPI = {
    "consuntivo": "consuntivo", "bilancio d'esercizio": "consuntivo", "bilancio di esercizio": "consuntivo",
    "preconsuntivo": "preconsuntivo", "pre-consuntivo": "preconsuntivo", "pre consuntivo": "preconsuntivo",
    "preventivo": "preventivo", "preventivo iniziale": "preventivo", "bilancio preventivo": "preventivo",
    "budget iniziale": "preventivo",
    "budget_aggiornato": "budget_aggiornato", "budget aggiornato": "budget_aggiornato", "budget": "budget_aggiornato",
    "preventivo aggiornato": "budget_aggiornato", "aggiornamento del preventivo": "budget_aggiornato",
    "assestamento": "budget_aggiornato", "budget assestato": "budget_aggiornato",
}
# Units a published indicator may be printed in, and the factor to the catalogue's unit.
UNITA_INDICATORI = {
    "pct": "pct", "%": "pct", "percentuale": "pct",
    "rapporto": "rapporto", "ratio": "rapporto", "indice": "rapporto",
    "eur": "eur", "euro": "eur", "€": "eur", "eur_k": "eur_k", "migliaia di euro": "eur_k",
    "giorni": "giorni", "ore": "ore", "numero": "numero", "n": "numero",
    "per_1000": "per_1000", "per 1.000": "per_1000", "per mille": "per_1000", "‰": "per_1000",
}
FATTORI = {("rapporto", "pct"): 100.0, ("pct", "rapporto"): 0.01, ("eur_k", "eur"): 1000.0}
_STATISTICA = re.compile(r"^\s*(media|mediana)\b\s*(.*)$", re.IGNORECASE)
_RELATIVO = re.compile(
    r"^(?P<verbo>riduzione|diminuzione|aumento|incremento|miglioramento)\s+del(?:l[ao'])?\s*"
    r"(?P<pct>\d+(?:[.,]\d+)?)\s*%\s*(?:(?:del|della|dei|delle|dell'|degli)\s*(?P<grandezza>.+?)\s+)?"
    r"rispetto\s+(?:al|allo|alla|all'|a)\s*(?P<rif>.+?)\s*$", re.IGNORECASE)


def _key(text) -> str:
    """A name as a lookup key: no accents, case, curly apostrophes, quotes or repeated spaces."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    s = re.sub(r"[\"“”«»]", "", s.replace("’", "'").replace("`", "'"))
    s = re.sub(r"([aeiouAEIOU])'(?=\s|$)", r"\1", s)  # SOLIDITA' = Solidità, as typed without accents
    return re.sub(r"\s+", " ", s).strip().casefold()


def _upper(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().str.upper()


def camere_riconosciute(series: pd.Series) -> pd.Series:
    """The Camera codes of `series` that are in the list of Camere (data/camere/), else missing.

    The one place every source of the Camera checks its codes (settings.camere()); the suites
    refuse a row whose code resolves to nothing, naming row and column.
    """
    known = set(settings.camere())
    return series.where(series.isin(known))


def _tipi(series: pd.Series) -> pd.Series:
    return series.map(lambda t: TIPI.get(_key(t), _key(t)) if pd.notna(t) else t)


def _indicator_ids(series: pd.Series) -> pd.Series:
    aliases = {_key(k): v for k, v in catalog.alias_indicatori().items()}
    return series.map(lambda v: aliases.get(_key(v)) if pd.notna(v) else None)


def prepare_bilancio(df: pd.DataFrame) -> pd.DataFrame:
    voci = catalog.voci_bilancio().set_index("codice")
    df["camera"] = _upper(df["camera"])
    df["_camera_nota"] = camere_riconosciute(df["camera"])
    df["tipo"] = _tipi(df["tipo"])
    df["voce"] = df["voce"].str.strip().str.lower()
    df["unita"] = df["unita"].map(lambda u: UNITA.get(str(u).strip().casefold(), u))
    df["natura"] = df["natura"].fillna("ufficiale").str.strip().str.lower()
    df["_dimensione"] = df["voce"].map(voci["dimensione"])
    df["_segno"] = df["voce"].map(voci["segno"])
    return df


def _relative_target(text) -> dict | None:
    """«riduzione del 20% della perdita rispetto al budget» -> variazione_pct -20, rispetto_a
    budget_aggiornato, verso >= (a smaller loss is a larger result); None if not such a text."""
    m = _RELATIVO.match(_key(text)) if pd.notna(text) else None
    if not m:
        return None
    down = m["verbo"].casefold() in ("riduzione", "diminuzione")
    loss = bool(m["grandezza"]) and re.search(r"perdit|disavanz", m["grandezza"]) is not None
    rif = re.sub(r"^(?:il|lo|la|l')\s*", "", m["rif"])
    return {"variazione_pct": (-1 if down else 1) * float(m["pct"].replace(",", ".")),
            "rispetto_a": TIPI.get(rif, rif), "verso": ">=" if down == loss else "<="}


def prepare_obiettivi(df: pd.DataFrame) -> pd.DataFrame:
    df["camera"] = _upper(df["camera"])
    df["_camera_nota"] = camere_riconosciute(df["camera"])
    df["indicatore_id"] = _indicator_ids(df["indicatore"])
    relative = df["operatore"].map(_relative_target)
    df["testo_obiettivo"] = df["operatore"].where(relative.notna())
    df["variazione_pct"] = relative.map(lambda r: r["variazione_pct"] if r else None)
    df["rispetto_a"] = relative.map(lambda r: r["rispetto_a"] if r else None)
    df["verso"] = relative.map(lambda r: r["verso"] if r else None)
    df["operatore"] = [("relativo" if r else OPERATORI.get(str(o).strip().casefold(), o))
                       for o, r in zip(df["operatore"], relative)]
    return df


def prepare_pubblicati(df: pd.DataFrame) -> pd.DataFrame:
    units = {i["id"]: i["unita"] for i in catalog.indicatori() + catalog.indicatori_solo_panel()}
    df["camera"] = _upper(df["camera"])
    df["_camera_nota"] = camere_riconosciute(df["camera"])
    df["tipo"] = _tipi(df["tipo"])
    df["indicatore_id"] = _indicator_ids(df["indicatore"])
    if "unita" not in df.columns:
        df["unita"] = None
    printed = df["unita"].map(lambda u: UNITA_INDICATORI.get(_key(u), _key(u)) if pd.notna(u) else None)
    target = df["indicatore_id"].map(units)
    df["unita"] = printed
    # factor from the printed unit to the catalogue's; missing when they cannot be converted
    df["fattore_unita"] = [
        1.0 if pd.isna(p) or pd.isna(t) or p == t else FATTORI.get((p, t)) for p, t in zip(printed, target)
    ]
    return df


def prepare_benchmark_valori(df: pd.DataFrame) -> pd.DataFrame:
    units = {i["id"]: i["unita"] for i in catalog.indicatori() + catalog.indicatori_solo_panel()}
    stat = df["camera"].map(lambda c: _STATISTICA.match(str(c)) if pd.notna(c) else None)
    df["statistica"] = stat.map(lambda m: m[1].casefold() if m else None)
    df["aggregato"] = df["camera"].where(stat.notna())
    df["camera"] = _upper(df["camera"])
    # a published average or median is a row of its own kind, never a member: only Camere are checked
    df["_camera_nota"] = camere_riconosciute(df["camera"]).where(stat.isna(), "aggregato")
    df["indicatore_id"] = _indicator_ids(df["codice"])
    df["_unita"] = df["indicatore_id"].map(units)
    df["natura"] = df["natura"].fillna("ufficiale").str.strip().str.lower()
    return df


def prepare_benchmark_panel(df: pd.DataFrame) -> pd.DataFrame:
    df["camera"] = _upper(df["camera"])
    df["_camera_nota"] = camere_riconosciute(df["camera"])
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
