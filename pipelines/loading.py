"""From a landing folder to a raw table: find new files, parse, validate, append with provenance.

A file already loaded (same SHA-256) is skipped; a file that would change a value already in the
warehouse for the same key and release is refused, so a new release never overwrites an older one. The whole
batch is validated before anything is written, and written in the caller's single transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import catalog, settings
from pipelines.errors import ErroreEstratto, Problema
from pipelines.extracts import EXTENSIONS, INTESTAZIONE, excel_column, read_extract, sha256
from pipelines.quality import validate
from pipelines.settings import SQL_DIR, Camera, camera_predefinita, landing_dir
from pipelines.warehouse import MACROS, _exists, document, record_signature, render_sql, table_signature

_SQL_TYPES = {"testo": "VARCHAR", "intero": "INTEGER", "numero": "DOUBLE", "data": "DATE", "booleano": "BOOLEAN"}
RELEASES_FILE = "_rilasci.csv"
CONSEGNA = "camera_consegna"  # raw column of a partitioned source: the Camera whose folder the file came from
RIGHE_PER_CONTROLLO = 2_000_000  # rows of new files validated together (memory holds one copy of them)

PROVENANCE = {
    "fonte": ("VARCHAR", "Codice della fonte nel registro data/registry/fonti.yaml"),
    "file_nome": ("VARCHAR", "Nome del file consegnato"),
    "file_sha256": ("VARCHAR", "Impronta SHA-256 del file: lo stesso file non viene caricato due volte"),
    "foglio": ("VARCHAR", "Foglio Excel da cui proviene la riga (vuoto per i CSV)"),
    "riga": ("INTEGER", "Numero di riga nel file, come lo mostra Excel"),
    "data_riferimento": ("DATE", "Data cui si riferisce il dato (31/12 dell'anno per i dati annuali)"),
    "campione": ("BOOLEAN", "Vero se la riga viene dai dati di esempio inclusi nel progetto e non da un estratto dell'ufficio"),
    "caricato_il": ("TIMESTAMP", "Momento del caricamento nel magazzino"),
}


@dataclass
class Batch:
    """New rows of one source, parsed and validated, ready to be written: one frame per new file (`parti`),
    written one file at a time, never concatenated (`frame` concatenates them, to look at a batch)."""

    fonte: str
    camera: str | None = None  # the Camera whose folder the files came from (a partitioned source)
    parti: list[pd.DataFrame] = field(default_factory=list)
    nuovi_file: list[str] = field(default_factory=list)
    gia_caricati: list[str] = field(default_factory=list)
    campione: bool = False
    problemi: list[Problema] = field(default_factory=list)
    controlli: dict = field(default_factory=dict)
    stato_file: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (bytes, mtime in ns)

    @property
    def frame(self) -> pd.DataFrame:
        return pd.concat(self.parti, ignore_index=True) if self.parti else pd.DataFrame()


def _listing(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in EXTENSIONS and not p.name.startswith((".", "~$", "_")))


def partizionata(fonte_id: str) -> bool:
    """A source the Camere deliver each in its own folder (registry `partizione: camera`): its raw asset
    is partitioned by Camera (pipelines/partizioni.py)."""
    return catalog.fonte(fonte_id).get("partizione") == "camera"


def landing_files(fonte_id: str, camera: str | None = None) -> list[Path]:
    """The extracts the office dropped in landing/<fonte>/ (hidden, lock and `_` files left out).

    For a source partitioned by Camera, `camera`'s own: landing/<fonte>/<codice>/, and, for the Camera
    of the installation (`settings.camera_predefinita`), also the files right in landing/<fonte>/."""
    if camera is None or not partizionata(fonte_id):
        return _listing(landing_dir() / fonte_id)
    own = _listing(landing_dir() / fonte_id / camera)
    return own + (_listing(landing_dir() / fonte_id) if camera == camera_predefinita() else [])


def _sottocartelle(fonte_id: str) -> list[Path]:
    """The folders inside landing/<fonte>/, hidden and `_` ones (such as _ritirati) aside."""
    folder = landing_dir() / fonte_id
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))) \
        if folder.is_dir() else []


def cartelle_sconosciute(fonte_id: str) -> list[Problema]:
    """A folder of landing/<fonte>/ that is no Camera's code (a partitioned source): its files would never
    load, so it is a problem, never ignored."""
    if not partizionata(fonte_id):
        return []
    known = set(settings.camere())
    return [Problema(f"{p.name}/", f"cartella di consegna di una Camera sconosciuta: i file di landing/{fonte_id}/"
                                   f"{p.name}/ non verrebbero mai caricati; rinominarla col codice della Camera "
                                   "(osservatorio camere)")
            for p in _sottocartelle(fonte_id) if p.name not in known]


def consegne(fonte_id: str) -> dict[str, list[Path]]:
    """Camera code -> its files in landing/<fonte>/ (a partitioned source), for the Camere that have any."""
    codes = {p.name for p in _sottocartelle(fonte_id) if p.name in settings.camere()}
    out = {c: landing_files(fonte_id, c) for c in sorted(codes | {camera_predefinita()})}
    return {c: files for c, files in out.items() if files}


def source_files(fonte_id: str, camera: Camera) -> tuple[list[Path], bool]:
    """Files in landing/<fonte>/ (for a source partitioned by Camera, `camera`'s: `landing_files`), or the
    Camera's bundled sample when there are none.

    Every entry with an accepted extension is listed, links and folders too: `prepare_batch`
    refuses what is not a regular file, so nothing in a landing folder is ignored in silence.
    """
    files = landing_files(fonte_id, camera.codice)
    if files:
        return files, False
    if camera.campione is not None:
        return _listing(camera.campione / fonte_id), True
    return [], False


def not_a_regular_file(path: Path) -> Problema | None:
    """A landing folder holds the office's files only: a link (even to a file inside the folder) or
    anything but a regular file is refused, never followed, and its target is never read or quoted."""
    if path.is_symlink():
        return Problema(path.name, "è un collegamento (link), non un file: la cartella di consegna accetta solo "
                                   "file veri e propri, che non vengono mai seguiti fuori dalla cartella; copiarvi il file")
    if not path.is_file():
        return Problema(path.name, "non è un file regolare (cartella o file speciale): toglierlo dalla cartella di consegna")
    return None


def raw_columns(fonte_id: str) -> dict[str, tuple[str, str]]:
    """Column -> (SQL type, Italian description) of a source's raw table."""
    spec = catalog.fonte(fonte_id)
    cols: dict[str, tuple[str, str]] = {}
    for c in spec["colonne"]:
        cols[c["nome"]] = (_SQL_TYPES[c["tipo"]], c["descrizione"])
        if c["tipo"] == "numero":
            cols[f"{c['nome']}__decimali"] = ("INTEGER", f"Decimali con cui è scritto {c['nome']} (arrotondamento del dato)")
    for name, (kind, text) in (spec.get("colonne_derivate") or {}).items():
        cols[name] = (kind, text)
    cols.update(PROVENANCE)
    if partizionata(fonte_id):
        cols[CONSEGNA] = ("VARCHAR", "Camera della cartella di consegna da cui viene il file (landing/<fonte>/<codice>/; "
                                     "la cartella della fonte stessa è della Camera predefinita): la partizione Dagster")
    return cols


def ensure_raw_table(conn: duckdb.DuckDBPyConnection, fonte_id: str) -> str:
    spec = catalog.fonte(fonte_id)
    table = spec["tabella_raw"]
    cols = raw_columns(fonte_id)
    schema, name = table.split(".")
    existing = {r[0] for r in conn.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? "
                                           "AND table_name = ?", [schema, name]).fetchall()}
    if existing and set(cols) <= existing:
        return table  # created and documented by an earlier run: no DDL, no comments to rewrite
    ddl = ",\n  ".join(f"{name} {kind}" for name, (kind, _) in cols.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (\n  {ddl}\n)")
    for name, (kind, _) in cols.items():  # a column the registry gained since the table was made
        conn.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind}")
    document(conn, table, {"descrizione": f"{spec['descrizione']} Fonte: {spec['editore']}.",
                           "colonne": {n: t for n, (_, t) in cols.items()}})
    return table


def prepare_batch(
    conn: duckdb.DuckDBPyConnection,
    fonte_id: str,
    camera: Camera,
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Batch:
    """Parse and validate the files of a source not yet in the warehouse. Writes nothing.

    A file whose name, size and modification time match a load of `meta.caricamenti` whose SHA-256 is
    in the raw table is skipped unread; any other file is hashed, and skipped if that hash was loaded.
    The new files are validated together (`quality.validate`, in groups of at most `RIGHE_PER_CONTROLLO`
    rows); the problems come file by file, in the order of the files.

    `camera` is the Camera whose files are read: for a source partitioned by Camera its own folder
    (`source_files`), each row tagged with it (`CONSEGNA`) before `prepare`; else the Camera whose
    bundled sample stands in for an empty landing folder.
    """
    spec = catalog.fonte(fonte_id)
    table = ensure_raw_table(conn, fonte_id)
    files, is_sample = source_files(fonte_id, camera)
    # a file identical to the bundled sample is still the office's own when it lands: it loads again
    known = {r[0] for r in conn.execute(f"SELECT DISTINCT file_sha256 FROM {table} WHERE campione = ?",
                                        [is_sample]).fetchall()}
    seen = _loaded_files(conn, fonte_id, is_sample)
    batch = Batch(fonte=fonte_id, campione=is_sample, camera=camera.codice if partizionata(fonte_id) else None)
    frames, summaries = [], []
    # each file's problems in this order: why it cannot be read, what the suite found, release clashes
    unreadable: dict[str, list[Problema]] = {}
    found_by_suite: dict[str, list[Problema]] = {}
    clashes: dict[str, list[Problema]] = {}
    pending: list[pd.DataFrame] = []
    headers: dict[str, dict[str, int]] = {}
    releases = _ReleaseFiles()

    def check(group: list[pd.DataFrame]) -> None:
        found, summary = validate(group, spec["suite"], headers)
        summaries.append(summary)
        for problem in found:
            found_by_suite.setdefault(problem.file, []).append(problem)
        group.clear()

    for path in files:
        if (refusal := not_a_regular_file(path)) is not None:
            unreadable[path.name] = [refusal]
            continue
        stat = path.stat()
        size_mtime = (stat.st_size, stat.st_mtime_ns)
        recorded = seen.get((path.name, *size_mtime))
        if recorded in known:
            batch.gia_caricati.append(path.name)
            continue
        digest = sha256(path)
        if digest in known:
            batch.gia_caricati.append(path.name)
            continue
        try:
            frame = read_source_file(path, spec, releases)
        except ErroreEstratto as err:
            unreadable[path.name] = list(err.problemi)
            continue
        headers[path.name] = frame.attrs.pop(INTESTAZIONE, {})
        where = frame.attrs.get("colonna_territorio")
        if batch.camera:  # before `prepare`, which checks the rows against the folder's Camera
            frame[CONSEGNA] = batch.camera
        if prepare is not None:
            frame = prepare(frame)
        if "territorio" in headers[path.name]:
            where = f"{excel_column(headers[path.name]['territorio'])} (territorio)"
        clashes[path.name] = [*unknown_territories(conn, frame, fonte_id, path.name, where),
                              *righe_di_altre_camere(frame, fonte_id, batch.camera, path.name, headers[path.name]),
                              *_release_conflicts(conn, table, frame, spec, path.name, is_sample)]
        frame["file_sha256"] = digest
        frames.append(frame)
        pending.append(frame)
        batch.nuovi_file.append(path.name)
        batch.stato_file[path.name] = size_mtime
        known.add(digest)
        if sum(len(f) for f in pending) >= RIGHE_PER_CONTROLLO:
            check(pending)
    if pending:
        check(pending)
    order = [*dict.fromkeys([p.name for p in files] + list(found_by_suite))]  # a name the suite gave: never lost
    problems = [p for name in order for part in (unreadable, found_by_suite, clashes) for p in part.get(name, [])]
    problems.extend(duplicate_keys(frames, spec))
    batch.problemi = problems
    batch.controlli = {
        "file_controllati": len(frames),
        "controlli_eseguiti": sum(s["controlli"] for s in summaries),
        "controlli_superati": sum(s["superati"] for s in summaries),
        "righe_controllate": sum(s["righe"] for s in summaries),
    }
    batch.parti = frames
    return batch


def read_source_file(path: Path, spec: dict, releases: _ReleaseFiles | None = None) -> pd.DataFrame:
    """Read one file of a source: the office template, or the format its publisher uses.

    Publisher formats then get from the source's contract (`contratto.applica`) the measure
    name and unit the file does not carry. `releases` reads each folder's `_rilasci.csv` once for
    a batch of files. Raises ErroreEstratto: unreadable or unrecognised file, a file yielding no
    value, a bad `_rilasci.csv`.
    """
    formato = spec.get("formato", "modello")
    if formato == "modello":
        frame = read_extract(path, spec["colonne"])
        if "valore" in frame.columns and not frame["valore"].notna().any():
            raise ErroreEstratto([Problema(path.name, f"nessun valore nella colonna valore ({len(frame)} righe, tutte "
                                                      "vuote o «n.d.»): un file senza valori non si carica")])
        return frame
    from pipelines import contratto
    from pipelines.formats import PARSERS

    if formato == "sdmx":
        formato = "sdmx_ml" if path.suffix.lower() == ".xml" else "sdmx_csv"
    try:
        frame = PARSERS[formato](path)
    except ErroreEstratto:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug of ours must still name the file, never crash the run
        raise ErroreEstratto([Problema(path.name, f"non è nel formato atteso per questa fonte ({formato}): "
                                                  f"errore imprevisto nella lettura ({type(exc).__name__})")]) from None
    where = frame.attrs.get("colonna_territorio")
    frame = contratto.applica(frame, spec, path.name)
    frame.attrs["colonna_territorio"] = where
    release, provisional = (releases or _ReleaseFiles()).release(path)
    frame["rilascio"] = release
    frame["provvisorio"] = frame["provvisorio"] | provisional
    frame["natura"] = "ufficiale"
    frame["riferimento"] = None
    frame["valore__decimali"] = None
    frame["_file"] = path.name
    frame["_foglio"] = None
    return frame


class _ReleaseFiles:
    """Release of a publisher's file: from the folder's _rilasci.csv (file,rilascio,provvisorio), else today.

    Dates as AAAA-MM-GG or GG/MM/AAAA (as in the templates); anything else is an ErroreEstratto
    naming _rilasci.csv, its row and column. Each folder's file is read once (a batch's files share it).
    """

    def __init__(self):
        self._tables: dict[Path, dict[str, tuple[dt.date, bool]] | ErroreEstratto] = {}

    def release(self, path: Path) -> tuple[dt.date, bool]:
        sidecar = path.parent / RELEASES_FILE
        if sidecar not in self._tables:
            self._tables[sidecar] = self._read(sidecar)
        table = self._tables[sidecar]
        if isinstance(table, ErroreEstratto):
            raise ErroreEstratto(table.problemi)
        return table.get(path.name, (dt.date.today(), False))

    @staticmethod
    def _read(sidecar: Path) -> dict[str, tuple[dt.date, bool]] | ErroreEstratto:
        if not sidecar.exists():
            return {}
        if (refusal := not_a_regular_file(sidecar)) is not None:
            return ErroreEstratto([refusal])
        try:
            table = read_extract(sidecar, [
                {"nome": "file", "tipo": "testo", "obbligatoria": True},
                {"nome": "rilascio", "tipo": "data", "obbligatoria": True},
                {"nome": "provvisorio", "tipo": "booleano", "obbligatoria": False},
            ])
        except ErroreEstratto as err:
            return err
        out: dict[str, tuple[dt.date, bool]] = {}
        for name, release, provisional in zip(table["file"], table["rilascio"], table.get("provvisorio", [None] * len(table))):
            out.setdefault(name, (release, bool(provisional or False)))  # the first row naming a file, as before
        return out


def _loaded_files(conn: duckdb.DuckDBPyConnection, fonte_id: str, campione: bool) -> dict[tuple, str]:
    """(file name, bytes, mtime in ns) -> SHA-256 of the files of a source `meta.caricamenti` recorded."""
    has_stat = conn.execute("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'meta' AND "
                            "table_name = 'caricamenti' AND column_name = 'file_mtime_ns'").fetchall()[0][0]
    if not has_stat:
        return {}
    rows = conn.execute("SELECT file_nome, file_byte, file_mtime_ns, file_sha256 FROM meta.caricamenti "
                        "WHERE fonte = ? AND campione = ? AND file_mtime_ns IS NOT NULL", [fonte_id, campione]).fetchall()
    return {(name, size, mtime): digest for name, size, mtime, digest in rows}


def righe_di_altre_camere(frame: pd.DataFrame, fonte_id: str, camera: str | None, name: str,
                          header: dict[str, int]) -> list[Problema]:
    """Rows of another Camera in a file of `camera`'s folder, for a source whose rows are the Camera's own
    (registry `righe_della_cartella`): a Camera delivers its own figures and those of the Camere it absorbed
    (partizioni.codici_camera), so its partition rebuilds every row it loads. Returns one Problema for
    the file (first row, column, how many rows, which Camere), or none. An unknown code is left to the
    suite, which names it row by row."""
    from pipelines.partizioni import codici_camera

    column = catalog.fonte(fonte_id).get("righe_della_cartella")
    if not column or camera is None or column not in frame.columns:
        return []
    others = frame[column].isin(set(settings.camere()) - set(codici_camera(camera)))
    if not others.any():
        return []
    first = frame[others].iloc[0]
    codes = sorted(frame.loc[others, column].unique())
    folder = f"landing/{fonte_id}/" + ("" if camera == camera_predefinita() else f"{camera}/")
    whose = "di un'altra Camera" if len(codes) == 1 else "di altre Camere"
    target = f"landing/{fonte_id}/{codes[0]}/" if len(codes) == 1 else f"landing/{fonte_id}/<codice>/, una cartella per Camera"
    return [Problema(name, f"{others.sum()} righe su {len(frame)} sono {whose} ({', '.join(codes)}), ma il file è nella "
                           f"cartella {folder}, della Camera {camera}, che consegna solo i propri dati e quelli delle "
                           f"Camere che ha accorpato: spostarlo in {target}",
                     foglio=first.get("_foglio") or None, riga=int(first["_riga"]),
                     colonna=f"{excel_column(header[column])} ({column})" if column in header else column)]


TERRITORI_FONTI = SQL_DIR / "staging" / "stg_territori_fonti.sql"
EXAMPLES = 3


def unknown_territories(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, fonte_id: str, name: str,
                        colonna: str | None = None) -> list[Problema]:
    """Territory codes or names of one parsed file found in no version of the code lists on any day: the
    file is refused whole before anything is written (issue #8), so raw never holds them.

    `frame` is a file's parsed rows (columns territorio, livello, periodo, _riga, _foglio); `colonna` how
    messages name the territory column ("B (Provincia)"). The writings are resolved by
    staging/stg_territori_fonti.sql itself, rendered on this file's rows (`scritti_da`), at the file's
    reference date: an old code (a merged comune, a Sardinian province of 2009) resolves and passes, to
    be counted by Q10; only `esito_territorio = 'sconosciuto' AND NOT in_elenchi` refuses. Returns one
    Problema (first row, the count and three examples with their rows), or none. Without the code lists
    (staging.stg_territorio_codici not built: a raw asset materialized alone) it returns none and Q10
    judges after the load. Only the data sources Q10 judges (`catalog.fonti_contesto`): the published
    chapters (contesto_pubblicati) name areas no code list has ("Comune di Lucca"), reproduced or not (Q3).
    """
    if fonte_id not in {f["id"] for f in catalog.fonti_contesto()} or "territorio" not in frame.columns \
            or frame.empty or not _exists(conn, "staging.stg_territorio_codici"):
        return []
    cols = ["territorio", "livello"] + (["periodo"] if "periodo" in frame.columns else [])
    writings = frame[cols].drop_duplicates()
    writings = writings.assign(fonte=fonte_id, file_nome=name, data_riferimento=reference_dates(writings))
    conn.execute(MACROS.read_text(encoding="utf-8"))  # norm_nome, as the model uses it
    conn.register("_scritti_nuovi", writings[["fonte", "file_nome", "territorio", "livello", "data_riferimento"]])
    try:
        source = ("(SELECT fonte, file_nome, territorio, livello, CAST(data_riferimento AS DATE) AS data_riferimento "
                  "FROM _scritti_nuovi)")
        unknown = {r[0] for r in conn.execute(
            f"SELECT DISTINCT territorio FROM ({render_sql(TERRITORI_FONTI, scritti_da=source)}) "
            "WHERE esito_territorio = 'sconosciuto' AND NOT in_elenchi").fetchall()}
    finally:
        conn.unregister("_scritti_nuovi")
    if not unknown:
        return []
    rows = frame.loc[frame["territorio"].isin(unknown), ["territorio", "_riga", "_foglio"]].sort_values("_riga")
    groups = [(t, [int(r) for r in g["_riga"].drop_duplicates()]) for t, g in rows.groupby("territorio", sort=False)]

    def example(code: str, numbers: list[int]) -> str:
        shown = ", ".join(map(str, numbers[:EXAMPLES]))
        more = f" e altre {len(numbers) - EXAMPLES}" if len(numbers) > EXAMPLES else ""
        return f"«{code}» ({'riga' if len(numbers) == 1 else 'righe'} {shown}{more})"

    n, count = len(groups), len(rows["_riga"].unique())
    listed = ", ".join(example(t, r) for t, r in groups[:EXAMPLES])
    if n > EXAMPLES:
        listed += f" e altri {n - EXAMPLES}"
    head = ("1 territorio sconosciuto" if n == 1 else f"{n} territori sconosciuti") + \
        (f" in {count} righe" if count > 1 else "")
    first = rows.iloc[0]
    return [Problema(
        name,
        f"{head}: {listed}. {'Non è' if n == 1 else 'Non sono'} in nessuna versione degli elenchi Istat, ANPR ed "
        "Eurostat, a nessuna data (un codice soltanto vecchio è accettato e attribuito al territorio che indicava): "
        "il file non è stato caricato; correggere il codice o il nome e rilanciare",
        foglio=None if pd.isna(first["_foglio"]) else str(first["_foglio"]), riga=int(first["_riga"]), colonna=colonna)]


def duplicate_keys(frames: list[pd.DataFrame], spec: dict) -> list[Problema]:
    """Two rows with the same key (the registry's `chiave`) in the files of one batch: a blocking
    finding naming both rows, whichever files they come from (the same release cannot hold two values)."""
    key = [c for c in spec.get("chiave", [])]
    if not frames or not all(c in f.columns for f in frames for c in key):
        return []
    rows = pd.concat([f[[*key, "_file", "_riga"]] for f in frames], ignore_index=True)
    dup = rows[rows.duplicated(key, keep=False)]
    problems = []
    for _, group in dup.groupby(key, dropna=False, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            if other["_file"] == first["_file"]:
                continue  # within one file the Great Expectations suite names every duplicated row
            where = f"nel file {first['_file']}"
            problems.append(Problema(
                str(other["_file"]),
                f"chiave duplicata: la stessa combinazione di {', '.join(key)} è già alla riga {int(first['_riga'])} "
                f"{where}; uno stesso rilascio non può avere due valori (per una correzione indicare una nuova data "
                "di rilascio)", riga=int(other["_riga"]), colonna=key[-1]))
    return problems


def _release_conflicts(conn: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, spec: dict,
                       name: str, campione: bool = False) -> list[Problema]:
    """A value already in the warehouse for the same key and release may not change: nothing is overwritten.

    Only rows of the same kind count: the bundled sample (`campione`) never blocks the office's own files,
    which replace it. One Problema for the file: its first clashing row, how many clash, the earlier file."""
    key = [c for c in spec.get("chiave", []) if c in frame.columns]
    if "valore" not in frame.columns or "rilascio" not in key:
        return []
    conn.register("_nuovo", frame[[*key, "valore", "_riga"]])
    try:
        on = " AND ".join(f"n.{c} IS NOT DISTINCT FROM r.{c}" for c in key)
        clashes = conn.execute(
            f"SELECT n._riga, r.file_nome, r.riga, strftime(r.rilascio, '%d/%m/%Y'), count(*) OVER () FROM _nuovo AS n "
            f"JOIN {table} AS r ON {on} AND r.campione = ? WHERE n.valore IS DISTINCT FROM r.valore "
            "ORDER BY n._riga LIMIT 1", [campione]).fetchall()
    finally:
        conn.unregister("_nuovo")
    if not clashes:
        return []
    new_row, file, row, release, total = clashes[0]
    others = f" (e altre {total - 1} righe)" if total > 1 else ""
    return [Problema(name, f"per il rilascio del {release} il magazzino ha già un valore diverso (file {file}, riga {row})"
                           f"{others}: le versioni precedenti non vengono sovrascritte; per una correzione indicare una "
                           "nuova data di rilascio", riga=int(new_row), colonna="rilascio")]


def reference_date(periodo) -> dt.date | None:
    """The date a period refers to: its last day (2017 -> 31/12/2017, 2018Q3 -> 30/09/2018,
    2018M01-M09 -> 30/09/2018, 2019H1 -> 30/06/2019), or the stock date itself."""
    import re

    p = str(periodo)
    month = None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", p):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})", p) or re.fullmatch(r"\d{4}-(\d{4})", p):
        year, month = int(m[1]), 12
    elif m := re.fullmatch(r"(\d{4})Q([1-4])", p):
        year, month = int(m[1]), 3 * int(m[2])
    elif m := re.fullmatch(r"(\d{4})H([12])", p):
        year, month = int(m[1]), 6 * int(m[2])
    elif m := re.fullmatch(r"(\d{4})M\d{2}-M(\d{2})", p):
        year, month = int(m[1]), int(m[2])
    if month is None:
        return None
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def reference_dates(frame: pd.DataFrame) -> pd.Series | None:
    """Each row's reference date: 31/12 of `anno`, else `reference_date(periodo)`, else None."""
    if "anno" in frame.columns:
        return pd.to_datetime(frame["anno"].astype("Int64").astype(str) + "-12-31", errors="coerce").dt.date
    if "periodo" in frame.columns:  # one parse per distinct period, not per row
        return frame["periodo"].map({p: reference_date(p) for p in frame["periodo"].unique()})
    return None


def write_batch(conn: duckdb.DuckDBPyConnection, batch: Batch) -> int:
    """Append a validated batch to its raw table (inside the caller's transaction), one file at a time:
    each file's rows are typed and inserted, then let go, so memory holds one file's copy, not the batch's."""
    if batch.problemi:
        raise ErroreEstratto(batch.problemi)
    if not batch.parti:
        return 0
    table = catalog.fonte(batch.fonte)["tabella_raw"]
    cols = raw_columns(batch.fonte)
    before = table_signature(conn, table)
    select = ", ".join(f"CAST({n} AS {k}) AS {n}" for n, (k, _) in cols.items())
    written, digests, log = 0, [], []
    loaded_at = dt.datetime.now()
    for part in batch.parti:
        frame = _raw_rows(part, cols, batch, loaded_at)
        conn.register("_batch", frame)
        conn.execute(f"INSERT INTO {table} BY NAME SELECT {select} FROM _batch")
        conn.unregister("_batch")
        written += len(frame)
        digests += list(frame["file_sha256"].unique())
        log += [(r.file_nome, r.file_sha256, int(r.size))
                for r in frame.groupby(["file_nome", "file_sha256"], as_index=False).size().itertuples()]
        del frame
    # the raw table's data version: the previous one and the files just appended
    record_signature(conn, table, hashlib.sha256(f"{before}|{'|'.join(sorted(set(digests)))}".encode()).hexdigest()[:20])
    conn.execute(
        "CREATE TABLE IF NOT EXISTS meta.caricamenti (fonte VARCHAR, file_nome VARCHAR, file_sha256 VARCHAR, "
        "righe INTEGER, campione BOOLEAN, caricato_il TIMESTAMP, file_byte BIGINT, file_mtime_ns BIGINT)"
    )
    for column in ("file_byte", "file_mtime_ns"):  # a log made before these columns existed
        conn.execute(f"ALTER TABLE meta.caricamenti ADD COLUMN IF NOT EXISTS {column} BIGINT")
    document(conn, "meta.caricamenti")
    for file_nome, digest, size in log:
        conn.execute("INSERT INTO meta.caricamenti BY NAME SELECT ? AS fonte, ? AS file_nome, ? AS file_sha256, "
                     "? AS righe, ? AS campione, now()::TIMESTAMP AS caricato_il, ? AS file_byte, ? AS file_mtime_ns",
                     [batch.fonte, file_nome, digest, size, batch.campione, *batch.stato_file.get(file_nome, (None, None))])
    return written


def _raw_rows(part: pd.DataFrame, cols: dict, batch: Batch, loaded_at: dt.datetime) -> pd.DataFrame:
    """One file's parsed rows with the raw table's columns: provenance, reference date, the rest empty."""
    frame = part.rename(columns={"_file": "file_nome", "_foglio": "foglio", "_riga": "riga"})
    frame["fonte"] = batch.fonte
    frame["campione"] = batch.campione
    frame["caricato_il"] = loaded_at
    frame["data_riferimento"] = reference_dates(frame)
    for name in cols:
        if name not in frame.columns:
            frame[name] = None
    return frame[list(cols)]


class FileNonCaricato(ValueError):
    """`withdraw` found no loaded file by that name (or several): the message says which exist."""


RITIRATI = "_ritirati"  # landing/<fonte>/_ritirati/: withdrawn files, out of the loader's sight


def withdraw(conn: duckdb.DuckDBPyConnection, file_nome: str, fonte: str | None = None) -> dict:
    """Withdraw a loaded file, inside the caller's single transaction: its rows leave its raw table and
    its lines the load log (meta.caricamenti); the raw table's data version changes, so the next run
    rebuilds staging, marts and checks without it. The way back from a file loaded with codes Q10 blocks.

    `file_nome` is the name as loaded (raw.*.file_nome); `fonte` is needed only when two sources loaded
    a file with that name. Only the office's files: the bundled sample (`campione`, which may carry the
    same name) is not withdrawn, it loads again whenever its landing folder is empty. Returns {"fonte", "tabella",
    "righe", "sha256": [digests], "camere": [the Camere whose folder it came from, a partitioned source]}. Raises
    FileNonCaricato (Italian, with the closest names loaded) when no source, or more than one, holds it.
    Moving the landing copy away is the caller's (`move_withdrawn`), after the commit.
    """
    import difflib

    found, names, sample = [], set(), []
    for fonte_id, spec in catalog.fonti().items():
        table = spec["tabella_raw"]
        if (fonte and fonte_id != fonte) or not _exists(conn, table):
            continue
        loaded = conn.execute(f"SELECT file_nome, bool_or(campione) FROM {table} GROUP BY ALL").fetchall()
        names |= {name for name, _ in loaded if name}
        sample += [fonte_id for name, campione in loaded if name == file_nome and campione]
        rows = conn.execute(f"SELECT count(*), list(DISTINCT file_sha256) FROM {table} "
                            "WHERE file_nome = ? AND NOT campione", [file_nome]).fetchone()
        if rows[0]:
            found.append((fonte_id, table, rows[0], sorted(rows[1])))
    if not found and sample:
        raise FileNonCaricato(f"«{file_nome}» è un file dei dati di esempio (fonte {sample[0]}): non si ritira, "
                              f"viene usato finché landing/{sample[0]}/ è vuota; basta depositarvi i file dell'ufficio")
    if not found:
        close = difflib.get_close_matches(file_nome, sorted(names), n=3, cutoff=0.5)
        hint = f"; forse: {', '.join(close)}" if close else ""
        where = f"nella fonte {fonte}" if fonte else "in nessuna fonte"
        raise FileNonCaricato(f"Il file «{file_nome}» non risulta caricato {where}{hint}. "
                              "I file caricati sono elencati da: osservatorio status")
    if len(found) > 1:
        raise FileNonCaricato(f"Il file «{file_nome}» è caricato in più fonti ({', '.join(f[0] for f in found)}): "
                              "indicare quale con --fonte")
    fonte_id, table, count, digests = found[0]
    camere_file = [r[0] for r in conn.execute(
        f"SELECT DISTINCT {CONSEGNA} FROM {table} WHERE file_nome = ? AND NOT campione ORDER BY 1", [file_nome]
    ).fetchall()] if CONSEGNA in raw_columns(fonte_id) else []
    before = table_signature(conn, table)
    conn.execute(f"DELETE FROM {table} WHERE file_nome = ? AND NOT campione", [file_nome])
    if _exists(conn, "meta.caricamenti"):
        conn.execute("DELETE FROM meta.caricamenti WHERE fonte = ? AND file_nome = ? AND NOT campione",
                     [fonte_id, file_nome])
    record_signature(conn, table, hashlib.sha256(f"{before}|ritirato|{'|'.join(digests)}".encode()).hexdigest()[:20])
    return {"fonte": fonte_id, "tabella": table, "righe": count, "sha256": digests, "camere": camere_file}


def move_withdrawn(fonte_id: str, file_nome: str, digests: list[str]) -> Path | None:
    """Move the landing copy of a withdrawn file (same name and same content) to _ritirati/ beside it
    (landing/<fonte>/, or the Camera's landing/<fonte>/<codice>/),
    so the next run does not load it again; a corrected file under the same name stays, and loads.
    Returns the new path, or None when there was no such copy."""
    # the source's folder and, for a partitioned source, each Camera's
    places = [landing_dir() / fonte_id, *(p for p in _sottocartelle(fonte_id) if p.name in settings.camere())]
    path = next((f / file_nome for f in places if (f / file_nome).is_file() and not (f / file_nome).is_symlink()
                 and sha256(f / file_nome) in digests), None)
    if path is None:
        return None
    target_dir = path.parent / RITIRATI
    target_dir.mkdir(exist_ok=True)
    target = target_dir / file_nome
    n = 1
    while target.exists():
        target = target_dir / f"{path.stem}.{n}{path.suffix}"
        n += 1
    path.rename(target)
    return target
