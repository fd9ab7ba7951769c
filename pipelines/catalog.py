"""The project's data-file catalogues: source registry, balance-sheet items, health indicators, table docs."""

from __future__ import annotations

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
