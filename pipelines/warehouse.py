"""The DuckDB warehouse: one writer at a time, readers read-only, every write one transaction.

Layers are schemas: `raw` (extracts as delivered, with provenance, append-only), `staging`
(typed, latest release, normalised units), `marts` (what analysts and the chapter read),
`qualita` (data-quality findings) and `meta` (catalogues and the load log). Every table
and column carries an Italian comment, so the data dictionary lives in the database.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import dagster as dg
import duckdb
import jinja2

from pipelines import catalog
from pipelines.settings import SQL_DIR, duckdb_memoria, duckdb_temp, snapshot_path, warehouse_path

SCHEMAS = {
    "raw": "Estratti come consegnati dalle fonti, con la provenienza di ogni riga; solo aggiunte, mai sovrascritture",
    "staging": "Dati tipizzati e normalizzati (unità, ultimo rilascio), una tabella per fonte",
    "marts": "Tabelle pronte per analisi, grafici e capitoli",
    "qualita": "Esiti dei controlli di qualità dei dati (spec/quality.md)",
    "meta": "Cataloghi (fonti, voci, indicatori, Camere) e registro dei caricamenti",
}

_LOCK = re.compile(r"Conflicting lock is held in (?P<prog>.+?) \(PID (?P<pid>\d+)\)(?: by user (?P<user>\S+))?")


def lock_message(path: Path, error: Exception) -> str | None:
    """The office's sentence for DuckDB's "Could not set lock on file" (None for any other error).

    DuckDB names the holder ("Conflicting lock is held in /usr/bin/python3 (PID 123) by user x");
    the sentence repeats it, says nothing was changed and points analysts to the snapshot.
    """
    text = str(error)
    if "Could not set lock" not in text:
        return None
    found = _LOCK.search(text)
    holder = (f"dal programma {found['prog']} (processo {found['pid']}"
              + (f", utente {found['user']}" if found["user"] else "") + ")") if found else "da un altro programma"
    return (f"Il magazzino dati {path} è aperto {holder}: la pipeline è l'unica a poterlo aprire. "
            f"Chiudere quella connessione e rilanciare; per le analisi aprire l'istantanea in sola lettura "
            f"{snapshot_path()}, che non blocca mai la pipeline. Nessuna tabella è stata modificata.")


class MagazzinoOccupato(RuntimeError):
    """The working file is locked by another process; the message is the Italian sentence above."""


def open_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the working file read-write; raises `MagazzinoOccupato` (Italian) if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), config=duckdb_config(path))
    except duckdb.IOException as error:
        message = lock_message(path, error)
        if message is None:
            raise
        raise MagazzinoOccupato(message) from None


_REF = re.compile(r"\b(raw|staging|marts|qualita|meta)\.([a-z_][a-z0-9_]*)\b")


def duckdb_config(warehouse: Path | None = None) -> dict:
    """DuckDB settings of every connection to `warehouse` (default: the configured file): a memory ceiling
    (`settings.duckdb_memoria`, OSSERVATORIO_DUCKDB_MEMORIA, default 1GB) past which large joins and sorts
    spill to `settings.duckdb_temp` (OSSERVATORIO_DUCKDB_TEMP, default `<warehouse>.tmp/`) instead of
    growing the process, and no promise of insertion order, which lets big CREATE TABLE AS stream."""
    return {"memory_limit": duckdb_memoria(), "temp_directory": str(duckdb_temp(warehouse)),
            "preserve_insertion_order": False}


class Warehouse(dg.ConfigurableResource):
    """The warehouse file. `writer()` is the only read-write door and is a single transaction."""

    path: str = ""

    def file(self) -> Path:
        return Path(self.path) if self.path else warehouse_path()

    @contextmanager
    def writer(self):
        try:
            conn = open_writer(self.file())
        except MagazzinoOccupato as error:
            raise dg.Failure(description=str(error)) from None
        try:
            conn.execute("BEGIN TRANSACTION")
            for schema in SCHEMAS:
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    @contextmanager
    def reader(self):
        conn = duckdb.connect(str(self.file()), read_only=True, config=duckdb_config(self.file()))
        try:
            yield conn
        finally:
            conn.close()

    def snapshot_file(self) -> Path:
        """The published snapshot beside the working file (see pipelines/istantanea.py)."""
        return self.file().parent / "pubblicato" / "osservatorio.duckdb" if self.path else snapshot_path()

    @contextmanager
    def snapshot_reader(self):
        """Read-only connection on the published snapshot: never blocks, never blocked by, the writer.
        Raises `dg.Failure` (Italian) when no run has published one yet."""
        path = self.snapshot_file()
        if not path.exists():
            raise dg.Failure(description=f"L'istantanea del magazzino {path} non è ancora stata pubblicata: "
                                         "serve prima un'esecuzione riuscita di osservatorio run.")
        conn = duckdb.connect(str(path), read_only=True, config=duckdb_config())
        try:
            yield conn
        finally:
            conn.close()


def sql_models() -> list[Path]:
    """Every transformation file, layer by layer: sql/<layer>/<table>.sql builds <layer>.<table>."""
    return sorted(p for p in SQL_DIR.glob("*/*.sql") if not p.name.startswith("_"))


def model_table(path: Path) -> str:
    return f"{path.parent.name}.{path.stem}"


def model_refs_in_order(path: Path) -> list[str]:
    """Tables a model reads, in the order its SQL first names them (comments aside)."""
    own = model_table(path)
    code = re.sub(r"--[^\n]*", "", render_model(path))  # comments may name tables too
    return list(dict.fromkeys(f"{s}.{t}" for s, t in _REF.findall(code) if f"{s}.{t}" != own))


def model_refs(path: Path) -> set[str]:
    """Tables a model reads, found in its SQL (the lineage Dagster shows)."""
    return set(model_refs_in_order(path))


@lru_cache(maxsize=1)
def _template_context() -> dict:
    """What the model templates loop over: the catalogues, read once per process like the catalogues themselves."""
    voci = catalog.voci_bilancio().to_dict("records")
    indicatori = []
    for ind in catalog.indicatori():
        num, den = ind["numeratore"], ind["denominatore"]
        indicatori.append({
            **ind,
            "input_num": [v for v in ind["input"] if re.search(rf"\b{v}\b", num)],
            "input_den": [v for v in ind["input"] if re.search(rf"\b{v}\b", den)],
        })
    return {"voci": voci, "indicatori": indicatori, "fonti_contesto": catalog.fonti_contesto(),
            "chiave_contesto": _chiave_contesto(), **catalog.contesto_modelli_salute()}


def _chiave_contesto() -> list[str]:
    """The key every context source declares in the registry, with territorio and livello resolved
    to territorio_id (staging and marts): the duplicate-key check is generated from it."""
    keys = {tuple(catalog.fonte(f["id"])["chiave"]) for f in catalog.fonti_contesto()}
    if len(keys) != 1:
        raise ValueError(f"le fonti del contesto dichiarano chiavi diverse in data/registry/fonti.yaml: {sorted(keys)}")
    key = [c for c in next(iter(keys)) if c != "livello"]
    return ["territorio_id" if c == "territorio" else c for c in key]


def render_model(path: Path) -> str:
    """SQL of a model, with the catalogue loops (items, indicators) expanded. Rendered once per version of
    the file in a process (a model's signature and its lineage both need it, on every run)."""
    stat = Path(path).stat()
    return _render(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _render(path: str, mtime_ns: int, size: int) -> str:
    return render_sql(Path(path))


def render_sql(path: Path, **variabili) -> str:
    """SQL of a model rendered with the catalogues and extra template variables (not cached): a model's
    logic run on other rows than its tables, e.g. `scritti_da` in staging/stg_territori_fonti.sql resolves
    a file's territories before it is written. Raises jinja2.UndefinedError on a variable not given."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(Path(path).read_text(encoding="utf-8")).render(**_template_context(), **variabili)


MACROS = SQL_DIR / "_macros.sql"


SIGNATURES = "meta.firme"


def _ensure_signatures(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("CREATE SCHEMA IF NOT EXISTS meta")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {SIGNATURES} (tabella VARCHAR PRIMARY KEY, firma VARCHAR, "
                 "aggiornata_il TIMESTAMP)")


def _exists(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    # the plain listing: a filtered count over duckdb_tables() costs five times as much
    return table in {f"{s}.{t}" for s, t in conn.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}


def table_signature(conn: duckdb.DuckDBPyConnection, table: str) -> str:
    """What a table holds, as a short fingerprint: the one its writer recorded in meta.firme (models, raw
    loads), else one computed from its rows (row count and the sum of the row hashes, order-free)."""
    _ensure_signatures(conn)
    stored = conn.execute(f"SELECT firma FROM {SIGNATURES} WHERE tabella = ?", [table]).fetchall()
    if stored:
        return stored[0][0]
    if not _exists(conn, table):
        return "assente"
    n, total = conn.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {table} AS t").fetchall()[0]
    return f"righe:{n}:{total}"


def record_signature(conn: duckdb.DuckDBPyConnection, table: str, signature: str | None) -> None:
    """Record (or, with None, forget) what a table holds, inside the caller's transaction."""
    _ensure_signatures(conn)
    conn.execute(f"DELETE FROM {SIGNATURES} WHERE tabella = ?", [table])
    if signature is not None:
        conn.execute(f"INSERT INTO {SIGNATURES} VALUES (?, ?, now()::TIMESTAMP)", [table, signature])
    document(conn, SIGNATURES)


def model_signature(conn: duckdb.DuckDBPyConnection, path: Path) -> str:
    """A model's code version (its rendered SQL and the macros) with the data version of every table it reads."""
    digest = hashlib.sha256(MACROS.read_bytes())
    digest.update(render_model(path).encode("utf-8"))
    for ref in sorted(model_refs(path)):
        digest.update(f"\n{ref}={table_signature(conn, ref)}".encode("utf-8"))
    return digest.hexdigest()[:20]


def build_model(conn: duckdb.DuckDBPyConnection, path: Path, force: bool = False,
                fetta: tuple[str, list[str]] | None = None) -> tuple[int, bool]:
    """Build one model's table inside the caller's transaction, unless neither its SQL nor any table it
    reads changed since the last build (then the table is left as it is). Returns (row count, rebuilt).

    `fetta` = (column, codes) builds one slice of a partitioned table (sql/schema.yml `partizione`): the
    rows whose `column` is in `codes` (and the rows where it is empty, which belong to no partition) are
    deleted and computed again by the same SQL, filtered; every other row stays. The result equals the
    whole model's rows for those codes, because a partitioned table's rows depend only on their own
    Camera's rows. The whole table is built instead when it does not exist or its columns changed.
    Each slice records the signature it was built with (meta.firme, `<table>#<code>`), so an unchanged
    slice is not rebuilt either.
    """
    table = model_table(path)
    signature = model_signature(conn, path)
    exists = _exists(conn, table)
    if not force and exists and (table_signature(conn, table) == f"modello:{signature}" or (
            fetta and all(_slice_signature(conn, table, code) == signature for code in fetta[1]))):
        return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0], False
    conn.execute(MACROS.read_text(encoding="utf-8"))
    sql = render_model(path)
    if fetta and exists and _columns(conn, table) == [d[0] for d in conn.execute(f"SELECT * FROM ({sql}) LIMIT 0").description]:
        column, codes = fetta
        inside = f"{column} IN ({', '.join('?' * len(codes))}) OR {column} IS NULL"
        conn.execute(f"DELETE FROM {table} WHERE {inside}", codes)
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM ({sql}) WHERE {inside}", codes)
        record_signature(conn, table, None)  # no longer one build's output: fingerprinted from its rows
        for code in codes:
            record_signature(conn, f"{table}#{code}", signature)
    else:
        conn.execute(f"CREATE OR REPLACE TABLE {table} AS\n{sql}")
        document(conn, table)
        record_signature(conn, table, f"modello:{signature}")
        conn.execute(f"DELETE FROM {SIGNATURES} WHERE starts_with(tabella, ?)", [f"{table}#"])
    return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0], True


def _slice_signature(conn: duckdb.DuckDBPyConnection, table: str, code: str) -> str | None:
    found = conn.execute(f"SELECT firma FROM {SIGNATURES} WHERE tabella = ?", [f"{table}#{code}"]).fetchall()
    return found[0][0] if found else None


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, name = table.split(".")
    return [r[0] for r in conn.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND "
                                       "table_name = ? ORDER BY column_index", [schema, name]).fetchall()]


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def column_docs(doc: dict) -> dict[str, str]:
    """Column descriptions of a documented table, catalogue-generated columns included."""
    columns = dict(doc.get("colonne") or {})
    if doc.get("colonne_da_catalogo") == "voci_bilancio":
        for v in catalog.voci_bilancio().itertuples():
            unit = {"importo": "euro", "numero": "unità", "fte": "unità equivalenti"}[v.dimensione]
            columns[v.codice] = f"{v.descrizione} ({unit})"
            columns[f"{v.codice}__err"] = f"Errore massimo di arrotondamento di: {v.descrizione}"
            if v.formula:
                columns[f"{v.codice}__calcolato"] = f"{v.descrizione} ricavato dalle componenti ({v.formula}); vuoto se mancano"
        salute = catalog.contesto_modelli_salute()
        for p in salute["voci_prec"]:
            columns[f"{p}_prec"] = f"{p} dell'anno precedente (tipo di dato più definitivo)"
            columns[f"{p}_prec__err"] = f"Errore di arrotondamento di {p} dell'anno precedente"
        for t in salute["voci_in_tipo"]:
            columns[f"{t['voce']}_in_{t['tipo']}"] = f"{t['voce']} dello stesso anno nel tipo di dato {t['tipo']}"
            columns[f"{t['voce']}_in_{t['tipo']}__err"] = f"Errore di arrotondamento di {t['voce']} nel tipo {t['tipo']}"
    return columns


def document(conn: duckdb.DuckDBPyConnection, table: str, doc: dict | None = None) -> None:
    """Write the Italian table and column descriptions as DuckDB comments."""
    doc = doc or catalog.documentazione_tabelle().get(table)
    if not doc:
        return
    columns = column_docs(doc)
    conn.execute(f"COMMENT ON TABLE {table} IS {_quote(doc['descrizione'])}")
    existing = {r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = ?", [table]
    ).fetchall()}
    for column, text in columns.items():
        if column in existing:
            conn.execute(f"COMMENT ON COLUMN {table}.{column} IS {_quote(text)}")
