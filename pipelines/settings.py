"""Where things live: the project's folders, the warehouse file, the landing folders and the Camera of a run.

Every path can be moved with an environment variable, so tests and other Camere run
side by side without touching the default warehouse.
"""

from __future__ import annotations

import os
import re
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


def snapshot_dir() -> Path:
    """The analysts' published snapshot (a symlink swapped atomically after each successful run)."""
    return _env_path("OSSERVATORIO_PUBBLICATO", warehouse_path().parent / "pubblicato")


def snapshot_path() -> Path:
    """The snapshot's DuckDB file: what analysts, notebooks and publishing open read-only."""
    return snapshot_dir() / "osservatorio.duckdb"


def landing_dir() -> Path:
    return _env_path("OSSERVATORIO_LANDING", home() / "landing")


def output_dir() -> Path:
    return _env_path("OSSERVATORIO_OUTPUT", home() / "output")


def dagster_home() -> Path:
    return _env_path("DAGSTER_HOME", home() / ".dagster_home")


def duckdb_memoria() -> str:
    """DuckDB's memory ceiling for every connection to the warehouse: OSSERVATORIO_DUCKDB_MEMORIA
    (default 1GB; DuckDB's units: 512MB, 2GB, 75%). Past it, joins, aggregations and sorts spill to
    `duckdb_temp` instead of growing the process. Raises ValueError (Italian) on a value DuckDB would refuse."""
    value = os.environ.get("OSSERVATORIO_DUCKDB_MEMORIA", "1GB").strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB|%)", value, flags=re.IGNORECASE):
        raise ValueError(f"OSSERVATORIO_DUCKDB_MEMORIA = «{value}» non è una quantità di memoria: "
                         "scrivere ad esempio 1GB, 512MB o 75%")
    return value


def duckdb_temp(warehouse: Path | None = None) -> Path:
    """Folder DuckDB spills to past the memory ceiling: OSSERVATORIO_DUCKDB_TEMP, default
    `<warehouse file>.tmp/` beside the warehouse (on the same disk, emptied by DuckDB when done)."""
    target = warehouse or warehouse_path()
    return _env_path("OSSERVATORIO_DUCKDB_TEMP", target.with_name(target.name + ".tmp"))


@dataclass(frozen=True)
class Camera:
    """A Camera di Commercio of data/camere/camere.yaml: code, names, the provinces it covers (Istat codes),
    its region(s), and, for a Camera that no longer exists, the Camera it merged into and when."""

    codice: str
    nome: str
    province: tuple[str, ...]
    regione: str
    campione: Path | None
    nome_breve: str = ""
    regioni: tuple[str, ...] = ()
    attiva: bool = True
    confluita_in: str | None = None


@lru_cache(maxsize=None)
def _camere_config() -> dict:
    with open(DATA_DIR / "camere" / "camere.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _breve(nome: str) -> str:
    for prefix in ("Camera di Commercio di ", "Camera di Commercio della ", "Camera di Commercio delle ",
                   "Camera di Commercio del ", "Camera di Commercio dell'", "Camera di Commercio "):
        if nome.startswith(prefix):
            return nome[len(prefix):]
    return nome


def camere() -> dict[str, Camera]:
    """Every Camera of data/camere/camere.yaml (today's and the former ones), by code."""
    cfg = _camere_config()
    out = {}
    for code, c in cfg["camere"].items():
        regioni = c.get("regioni") or [c["regione"]]
        out[code] = Camera(
            codice=code,
            nome=c["nome"],
            province=tuple(c["province"]),
            regione=regioni[0],
            campione=(PROJECT_ROOT / c["campione"]) if c.get("campione") else None,
            nome_breve=c.get("nome_breve") or _breve(c["nome"]),
            regioni=tuple(regioni),
            attiva=not c.get("confluita_in"),
            confluita_in=c.get("confluita_in"),
        )
    return out


def camera_predefinita() -> str:
    """The Camera a command is for when none is named (data/camere/camere.yaml, `default`)."""
    return _camere_config()["default"]


def camera(code: str | None = None) -> Camera:
    """The Camera with this code (default: camera_predefinita()); ValueError in Italian if unknown, naming
    the closest codes, or the Camere whose name is closest (difflib), and the command listing them all."""
    code = (code or camera_predefinita()).strip().upper()
    try:
        return camere()[code]
    except KeyError:
        import difflib

        every = camere()
        by_name = {c.nome_breve.upper(): k for k, c in every.items()}
        close = [k for n, k in sorted(by_name.items()) if len(code) > 2 and n.startswith(code)]
        close += [by_name[n] for n in difflib.get_close_matches(code, sorted(by_name), n=3, cutoff=0.6)]
        close += difflib.get_close_matches(code, sorted(every), n=3, cutoff=0.5)
        close = list(dict.fromkeys(close))[:3]
        hint = ("forse " + ", ".join(f"{k} ({every[k].nome_breve})" for k in close) + "? ") if close else ""
        raise ValueError(
            f"Camera «{code}» sconosciuta: {hint}{'I' if hint else 'i'} codici delle Camere sono elencati da «osservatorio camere» "
            "(data/camere/camere.yaml)."
        ) from None


@lru_cache(maxsize=None)
def regioni() -> dict[str, dict[str, str]]:
    """Region code (09) -> its Italian name, article and the way one says "in" it (data/camere/regioni.csv)."""
    import csv

    with open(DATA_DIR / "camere" / "regioni.csv", encoding="utf-8") as fh:
        return {r["codice"]: {"nome": r["nome"], "articolo": r["articolo"], "preposizione_in": r["preposizione_in"]}
                for r in csv.DictReader(fh)}
