"""The project's data-file catalogues: source registry, balance-sheet items, health indicators, table docs."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import yaml

from pipelines.settings import DATA_DIR, SQL_DIR


def _yaml(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def fonti() -> dict[str, dict]:
    """The source registry (data/registry/fonti.yaml), keyed by source id."""
    return _yaml(DATA_DIR / "registry" / "fonti.yaml")["fonti"]


def fonte(source_id: str) -> dict:
    return fonti()[source_id]


@lru_cache(maxsize=None)
def voci_bilancio() -> pd.DataFrame:
    """Catalogue of balance-sheet, staff and company items the extract template accepts."""
    return pd.read_csv(DATA_DIR / "catalog" / "voci_bilancio.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def gerarchie_contesto() -> pd.DataFrame:
    """Parent of each modality of the context dimensions (components sum to their parent)."""
    return pd.read_csv(DATA_DIR / "catalog" / "gerarchie_contesto.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def misure_pubblicate() -> pd.DataFrame:
    """How each figure printed in a chapter is computed from the marts (for the reconciliation)."""
    return pd.read_csv(DATA_DIR / "catalog" / "misure_pubblicate.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def misure() -> pd.DataFrame:
    """How each context measure aggregates over territories, from the measures each source declares in the
    registry (data/registry/fonti.yaml, `misure`): one row per measure with aggregazione (additiva |
    rapporto | variazione | non_aggregabile), numeratore, denominatore and scala (ratios), peso (changes),
    unita and fonti (the declaring sources). The rules are explained in the registry's header.

    Raises ValueError on an unknown rule, a ratio without both terms, a change without its weight, a term
    or weight that is not an additive measure of the registry, and a measure that two sources declare with
    different rules (one measure, one rule)."""
    rules: dict[str, dict] = {}
    sources: dict[str, list[str]] = {}
    for fonte, spec in fonti().items():
        for name, m in (spec.get("misure") or {}).items():
            name = str(name)
            where = f"data/registry/fonti.yaml, fonte «{fonte}», misura «{name}»"
            rule = m.get("aggregazione")
            if rule not in ("additiva", "rapporto", "variazione", "non_aggregabile"):
                raise ValueError(f"{where}: aggregazione «{rule}» sconosciuta "
                                 "(additiva, rapporto, variazione o non_aggregabile).")
            if rule == "variazione" and not m.get("peso"):
                raise ValueError(f"{where}: una variazione richiede il peso (la misura additiva che la pondera).")
            if rule == "rapporto" and not (m.get("numeratore") and m.get("denominatore")):
                raise ValueError(f"{where}: un rapporto richiede numeratore e denominatore; "
                                 "se la fonte non li pubblica, la misura è non_aggregabile.")
            row = {"misura": name, "aggregazione": rule, "numeratore": m.get("numeratore"),
                   "denominatore": m.get("denominatore"), "scala": float(m.get("scala", 1)), "peso": m.get("peso"),
                   "unita": m.get("unita")}
            rule_only = {k: v for k, v in row.items() if k != "unita"}
            if name in rules and {k: v for k, v in rules[name].items() if k != "unita"} != rule_only:
                raise ValueError(f"{where}: regola di aggregazione diversa da quella della fonte «{sources[name][0]}».")
            rules.setdefault(name, row)
            sources.setdefault(name, []).append(fonte)
    for name, row in rules.items():
        terms = {"rapporto": [row["numeratore"], row["denominatore"]], "variazione": [row["peso"]]}
        for term in terms.get(row["aggregazione"], []):
            if rules.get(term, {}).get("aggregazione") != "additiva":
                raise ValueError(f"data/registry/fonti.yaml, misura «{name}»: il termine «{term}» deve essere "
                                 "una misura additiva dichiarata nel registro.")
    frame = pd.DataFrame(list(rules.values()),
                         columns=["misura", "aggregazione", "numeratore", "denominatore", "scala", "peso", "unita"])
    frame["fonti"] = frame["misura"].map(lambda m: ", ".join(sources[m]))
    return frame
def ateco_raccordo() -> pd.DataFrame:
    """Istat's raccordo ATECO 2007 (2022 update) -> ATECO 2025, one row per 2007 code at every level, with its
    representative 2025 code (data/catalog/ateco_raccordo_2007_2025.csv; Istat, CC BY 4.0)."""
    return pd.read_csv(DATA_DIR / "catalog" / "ateco_raccordo_2007_2025.csv", dtype=str, keep_default_na=False) \
        .astype({"ordine": int, "livello": int, "n_corrispondenze": int})


@lru_cache(maxsize=None)
def ateco_2025_sezioni() -> pd.DataFrame:
    """Sections of ATECO 2025 with their range of two-digit divisions (Istat, ATECO 2025 = NACE Rev. 2.1)."""
    return pd.read_csv(DATA_DIR / "catalog" / "ateco_2025_sezioni.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def classificazioni() -> pd.DataFrame:
    """Which version of a classification (ATECO 2007, ATECO 2025) each source uses, by reference date."""
    return pd.read_csv(DATA_DIR / "catalog" / "classificazioni.csv", dtype=str, keep_default_na=False)


def fonti_contesto() -> list[dict]:
    """Context data sources (the published-figures source excluded), with their raw table."""
    return [{"id": k, "tabella": v["tabella_raw"]} for k, v in fonti().items()
            if v["suite"] == "contesto" and k != "contesto_pubblicati"]


@lru_cache(maxsize=None)
def _indicatori_cfg() -> dict:
    return _yaml(DATA_DIR / "catalog" / "indicatori_salute.yaml")


def indicatori() -> list[dict]:
    """Health indicators with a formula over the Camera's own figures."""
    return _indicatori_cfg()["indicatori"]


def indicatori_solo_panel() -> list[dict]:
    """Indicators known only through a benchmarking panel (organisational codes)."""
    return _indicatori_cfg()["solo_panel"]


def alias_indicatori() -> dict[str, str]:
    """Every accepted name or code of an indicator (case-insensitive) mapped to its id."""
    out: dict[str, str] = {}
    for ind in indicatori() + indicatori_solo_panel():
        for name in [ind["id"], ind["nome"], *ind.get("alias", [])]:
            out[str(name).strip().casefold()] = ind["id"]
    return out


@lru_cache(maxsize=None)
def documentazione_tabelle() -> dict[str, dict]:
    """Italian description of every staging, mart and quality table and its columns (sql/schema.yml)."""
    return _yaml(SQL_DIR / "schema.yml")["tabelle"]


# Suffixes an indicator input may carry to read an item from another row of marts.bilancio_annuale:
# `<voce>_prec` the previous year (most final kind), `<voce>_in_<tipo>` the same year in another kind.
TIPI = ("consuntivo", "preconsuntivo", "budget_aggiornato", "preventivo")
_IN_TIPO = re.compile(rf"^(?P<voce>.+)_in_(?P<tipo>{'|'.join(TIPI)})$")


def contesto_modelli_salute() -> dict:
    """What the health SQL models expand from the catalogues (Jinja context).

    Returns `livelli_voci` (aggregate item codes grouped by height in the item tree: first the
    aggregates of leaves), `formule` (result lines derived from other items, in dependency order:
    dicts with codice, formula, input), `voci_prec` and `voci_in_tipo` (items read from the previous
    year or from another kind, as the indicators' inputs ask), `identita` (identities between
    published indicators, with the perturbed expressions that bound their rounding error).
    """
    voci = voci_bilancio()
    children: dict[str, list[str]] = {}
    for v in voci.itertuples():
        if v.padre:
            children.setdefault(v.padre, []).append(v.codice)
    height: dict[str, int] = {}

    def h(code: str) -> int:
        if code not in height:
            height[code] = 1 + max((h(c) for c in children.get(code, [])), default=-1)
        return height[code]

    aggregates = sorted(children, key=lambda c: (h(c), c))
    livelli = [[c for c in aggregates if h(c) == n] for n in range(1, max(map(h, aggregates), default=0) + 1)]
    codes = set(voci["codice"])
    formule = []
    for v in voci[voci["formula"] != ""].itertuples():
        used = [t for t in re.findall(r"[a-z_][a-z0-9_]*", v.formula) if t in codes]
        formule.append({"codice": v.codice, "formula": v.formula, "input": used})
    inputs = {x for i in indicatori() for x in i["input"]}
    prec = sorted(x[: -len("_prec")] for x in inputs if x.endswith("_prec"))
    in_tipo = sorted({(m["voce"], m["tipo"]) for x in inputs if (m := _IN_TIPO.match(x))})
    return {"livelli_voci": livelli, "formule": formule, "voci_prec": prec,
            "voci_in_tipo": [{"voce": v, "tipo": t} for v, t in in_tipo], "identita": identita_pubblicati()}


def identita_pubblicati() -> list[dict]:
    """Identities that published indicators must satisfy among themselves (indicatori_salute.yaml).

    Each: id, descrizione, sinistra (an indicator id), destra (an expression over indicator ids),
    variabili (the ids in destra) and, for each variable, `destra` with that variable moved by half
    its printed unit (to bound the error the printing allows, first order).
    """
    out = []
    for ident in _indicatori_cfg().get("identita_pubblicati", []):
        ids = {i["id"] for i in indicatori()}
        variables = [t for t in dict.fromkeys(re.findall(r"[A-Z][A-Z0-9_]*", ident["destra"])) if t in ids]
        perturbed = [re.sub(rf"\b{v}\b", f"({v} + 0.5 * r_{v})", ident["destra"]) for v in variables]
        out.append({**ident, "variabili": variables, "perturbate": perturbed})
    return out
