"""Where things live: the project's folders, the warehouse file, the landing folders and the Camera of a run.

Every path can be moved with an environment variable, so tests and other Camere run
side by side without touching the default warehouse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def home() -> Path:
    """Folder holding the warehouse, the landing folders and the outputs (default: the project)."""
    return _env_path("OSSERVATORIO_HOME", PROJECT_ROOT)


def warehouse_path() -> Path:
    return _env_path("OSSERVATORIO_WAREHOUSE", home() / "warehouse" / "osservatorio.duckdb")


def landing_dir() -> Path:
    return _env_path("OSSERVATORIO_LANDING", home() / "landing")


def output_dir() -> Path:
    return _env_path("OSSERVATORIO_OUTPUT", home() / "output")


def dagster_home() -> Path:
    return _env_path("DAGSTER_HOME", home() / ".dagster_home")


@dataclass(frozen=True)
class Camera:
    codice: str
    nome: str
    province: tuple[str, ...]
    regione: str
    campione: Path | None


@lru_cache(maxsize=None)
def _camere_config() -> dict:
    with open(DATA_DIR / "camere" / "camere.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def camere() -> dict[str, Camera]:
    cfg = _camere_config()
    return {
        code: Camera(
            codice=code,
            nome=c["nome"],
            province=tuple(c["province"]),
            regione=c["regione"],
            campione=(PROJECT_ROOT / c["campione"]) if c.get("campione") else None,
        )
        for code, c in cfg["camere"].items()
    }


def camera_corrente() -> Camera:
    """The Camera a run is for: OSSERVATORIO_CAMERA, else the configured default (Lucca)."""
    code = os.environ.get("OSSERVATORIO_CAMERA") or _camere_config()["default"]
    try:
        return camere()[code]
    except KeyError:
        known = ", ".join(sorted(camere()))
        raise ValueError(
            f"Camera «{code}» sconosciuta: aggiungerla a data/camere/camere.yaml (note: {known})."
        ) from None
