"""The analysts' snapshot: a read-only copy of the warehouse, published whole after each successful run.

The pipeline is the only process that opens the working file (`warehouse/osservatorio.duckdb`);
analysts, notebooks and the publishing steps open `warehouse/pubblicato/osservatorio.duckdb`.
`pubblicato` is a symbolic link to one version folder under `warehouse/pubblicazioni/`: a new
version is written under a temporary name, renamed, and the link is replaced with one
`rename(2)`, so a reader sees either the previous snapshot or the new one, never a half-written
one, and a connection left open keeps reading the version it opened (on Linux an unlinked file
stays readable by whoever holds it open).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.settings import snapshot_dir

EXPORTED_SCHEMAS = ("marts", "qualita")  # one Parquet file per table of these layers
KEEP = 3  # versions kept on disk (the current one and the two before it)
TMP_SUFFIX = ".in_corso"


def versions_dir(link: Path) -> Path:
    return link.parent / "pubblicazioni"


def _write_dictionary(conn: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """The data dictionary (schema, table, column, type, Italian description) as CSV; returns its rows."""
    rows = conn.execute(
        "SELECT t.schema_name, t.table_name, NULL AS colonna, NULL AS tipo, t.comment FROM duckdb_tables() t "
        "UNION ALL "
        "SELECT c.schema_name, c.table_name, c.column_name, c.data_type, c.comment FROM duckdb_columns() c "
        "JOIN duckdb_tables() t USING (schema_name, table_name) "
        "ORDER BY 1, 2, 3 NULLS FIRST"
    ).fetchall()
    with open(folder / "dizionario.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["schema", "tabella", "colonna", "tipo", "descrizione"])
        out.writerows(rows)
    return len(rows)


def clean_leftovers(link: Path | None = None) -> list[Path]:
    """Remove temporary versions a killed run left behind; return what was removed."""
    link = link or snapshot_dir()
    removed = []
    root = versions_dir(link)
    if root.is_dir():
        for path in root.iterdir():
            if path.name.endswith(TMP_SUFFIX):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    stale_link = link.with_name(link.name + TMP_SUFFIX)
    if stale_link.is_symlink():
        stale_link.unlink()
        removed.append(stale_link)
    return removed


def pubblica_istantanea(working: duckdb.DuckDBPyConnection, working_file: Path, run_id: str,
                        link: Path | None = None) -> dict:
    """Publish the snapshot of the working warehouse and swap it in atomically.

    `working` is an open read-write connection on `working_file` with no transaction open: it is
    checkpointed and held (so no other process can write) while the file is copied. Returns
    the snapshot's folder, its DuckDB file, the tables exported to Parquet with their row counts
    and the dictionary's row count. Raises `duckdb.Error` or `OSError`; on any error the
    previous snapshot stays in place.
    """
    link = link or snapshot_dir()
    root = versions_dir(link)
    root.mkdir(parents=True, exist_ok=True)
    clean_leftovers(link)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = root / f"{stamp}{TMP_SUFFIX}"
    tmp.mkdir()
    db = tmp / "osservatorio.duckdb"
    working.execute("CHECKPOINT")
    shutil.copyfile(working_file, db)
    tables = {}
    with duckdb.connect(str(db), read_only=True) as snap:
        (tmp / "parquet").mkdir()
        names = snap.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
            f"({', '.join(repr(s) for s in EXPORTED_SCHEMAS)}) ORDER BY 1, 2").fetchall()
        for schema, table in names:
            target = tmp / "parquet" / f"{schema}.{table}.parquet"
            snap.execute(f"COPY {schema}.{table} TO '{target}' (FORMAT parquet)")
            tables[f"{schema}.{table}"] = snap.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
        dictionary = _write_dictionary(snap, tmp)
    manifest = {"esecuzione": run_id, "pubblicato_il": stamp, "tabelle": tables}
    (tmp / "manifesto.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    for path in tmp.rglob("*"):
        path.chmod(0o444 if path.is_file() else 0o555)
    final = root / stamp
    tmp.chmod(0o555)
    os.rename(tmp, final)
    swap_link(link, final)
    _prune(root, keep={final.name})
    return {"cartella": final, "file": final / "osservatorio.duckdb", "tabelle": tables, "dizionario": dictionary}


def swap_link(link: Path, target: Path) -> None:
    """Point `link` at `target` with one atomic rename (a reader never finds the link missing)."""
    new = link.with_name(link.name + TMP_SUFFIX)
    if new.is_symlink() or new.exists():
        new.unlink()
    os.symlink(os.path.relpath(target, link.parent), new)
    if link.exists() and not link.is_symlink():  # a plain folder from an older layout
        shutil.rmtree(link)
    os.replace(new, link)


def _prune(root: Path, keep: set[str]) -> None:
    versions = sorted(p for p in root.iterdir() if not p.name.endswith(TMP_SUFFIX))
    for old in versions[:-KEEP]:
        if old.name in keep:
            continue
        for path in [old, *old.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(old, ignore_errors=True)


def pubblicata_il(info: dict) -> str:
    """When the snapshot of manifesto `info` was published, in Italian local time: 'il 30/11/2026 alle 11:29'
    (its `pubblicato_il` is the UTC stamp of its folder, 20261130T102942926103Z); '?' when missing or unreadable."""
    from pipelines.italiano import data_ora

    try:
        moment = dt.datetime.strptime(info["pubblicato_il"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    except (KeyError, TypeError, ValueError):
        return "?"
    return f"il {data_ora(moment)}"


def manifesto(link: Path | None = None) -> dict | None:
    """What the current snapshot holds (run id, time, tables), or None before the first one."""
    path = (link or snapshot_dir()) / "manifesto.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


@contextmanager
def cartella_atomica(folder: Path):
    """Yield a temporary sibling of `folder` to write into; on success it replaces `folder` whole.

    On an exception (or a kill) the previous `folder` stays as it was; the temporary folder is
    removed now, or by `clean_leftovers` on the next run after a kill.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f".{folder.name}{TMP_SUFFIX}")
    old = folder.with_name(f".{folder.name}.precedente")
    for stale in (tmp, old):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if folder.exists():
        os.rename(folder, old)
    os.rename(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def relocate(value, tmp: Path, folder: Path):
    """Paths inside `tmp` (in nested dicts, lists, tuples) moved to `folder` after the swap."""
    if isinstance(value, Path):
        return folder / value.relative_to(tmp) if value.is_relative_to(tmp) else value
    if isinstance(value, dict):
        return {k: relocate(v, tmp, folder) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(relocate(v, tmp, folder) for v in value)
    return value
