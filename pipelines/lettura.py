"""Reading text files as publishers and offices really save them: encoding, separator, structure.

Every check here turns a damaged file into a `Problema` in Italian naming the file (and the row
and column where there is one), never a bare exception, and never quotes the file's content
beyond the one cell at fault:
- encoding: UTF-8 (with or without BOM) first, then what charset-normalizer recognises among the
  encodings Italian publishers use (Windows-1252, Latin-1, Latin-9); anything else is refused;
- truncation: a file whose last line has no line break was cut while being written or copied
  (every file the publishers and spreadsheet programs save ends with one);
- short or long rows: a row with fewer fields than the header is refused naming the first
  missing column; extra fields are accepted only when empty (MEF rows end with ';').
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from pipelines.errors import ErroreEstratto, Problema

# The encodings Istat, MEF, InfoCamere and office spreadsheets use, for charset-normalizer to choose among.
ENCODINGS = ["utf_8", "cp1252", "latin_1", "iso8859_15"]


def decode(path: Path, raw: bytes | None = None) -> str:
    """Text of a file: UTF-8 (BOM stripped), else the encoding charset-normalizer recognises.

    Raises ErroreEstratto (file empty, or bytes no Italian publisher's encoding explains, naming
    the first such byte and its position).
    """
    import charset_normalizer

    path = Path(path)
    raw = path.read_bytes() if raw is None else raw
    if not raw.strip():
        raise ErroreEstratto([Problema(path.name, "il file è vuoto")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    best = charset_normalizer.from_bytes(raw, cp_isolation=ENCODINGS).best()
    if best is None:
        raise ErroreEstratto([Problema(
            path.name,
            f"codifica dei caratteri non riconosciuta: il byte 0x{raw[first_bad]:02X} in posizione {first_bad} "
            "non è valido né in UTF-8 né in Windows-1252/Latin-1; salvare di nuovo il file come «CSV UTF-8»")])
    return str(best)


def sniff_delimiter(line: str, candidates: str = ";,\t") -> str:
    """The separator of a header line: the candidate occurring most often outside quotes."""
    outside = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
    return max(candidates, key=outside.count)


def check_complete(path: Path, text: str) -> None:
    """Refuse a text file whose last line has no line break: it was cut while saved or copied."""
    if text and not text.endswith(("\n", "\r")):
        last = text.count("\n") + 1
        raise ErroreEstratto([Problema(
            Path(path).name,
            "il file sembra troncato: l'ultima riga non termina con un a capo, quindi potrebbe essere "
            "incompleta; scaricare o esportare di nuovo il file (se è completo, aggiungere un a capo in fondo)",
            riga=last)])


def rows(path: Path, text: str, delimiter: str, start: int = 0) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows (with their line number) of delimited text, from line `start` (0-based).

    Blank rows are skipped. A row with fewer fields than the header, or with non-empty fields
    beyond it, raises ErroreEstratto naming the row and the column; so does a header alone.
    """
    name = Path(path).name
    check_complete(path, text)
    lines = text.splitlines()
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    try:
        numbered = [(i + start + 1, r) for i, r in enumerate(reader)]
    except csv.Error as exc:
        raise ErroreEstratto([Problema(name, f"il file non è un CSV leggibile ({exc})")]) from None
    numbered = [(i, r) for i, r in numbered if any(c.strip() for c in r)]
    if not numbered:
        raise ErroreEstratto([Problema(name, "il file non contiene righe")])
    (_, header), *data = numbered
    while header and not header[-1].strip():  # a trailing separator after the last column
        header = header[:-1]
    header = [h.strip() for h in header]
    if not data:
        raise ErroreEstratto([Problema(name, "c'è l'intestazione ma nessuna riga di dati: il file non contiene dati",
                                       riga=numbered[0][0])])
    from pipelines.extracts import excel_column

    problems = []
    for n, rec in data:
        if len(rec) < len(header):
            problems.append(Problema(name, f"la riga ha {len(rec)} campi invece di {len(header)}: manca il valore "
                                           f"della colonna «{header[len(rec)]}» (riga troncata o separatore mancante)",
                                     riga=n, colonna=f"{excel_column(len(rec))} ({header[len(rec)]})"))
        elif any(c.strip() for c in rec[len(header):]):
            problems.append(Problema(name, f"la riga ha {len(rec)} campi ma l'intestazione ne ha {len(header)}: "
                                           "c'è un separatore di troppo (o un numero con la virgola non tra virgolette)",
                                     riga=n))
    if problems:
        raise ErroreEstratto(problems)
    return header, [(n, [c for c in rec[:len(header)]]) for n, rec in data]


def tabella(path: Path, text: str, delimiter: str, start: int = 0) -> tuple[list[str], pd.DataFrame]:
    """What `rows` reads, as a frame: the header, and one string column per header column (named by
    position, 0, 1, …) plus `_riga`, the row's line number as `rows` gives it; blank rows are left out.

    The file is parsed once by pyarrow's CSV reader; a file it cannot take as is (a row with more or
    fewer fields than the first, a header with named columns after an empty one) goes through `rows`,
    which names the row and column at fault (ErroreEstratto) or accepts it, so both ways give the same.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    check_complete(path, text)
    joined = "\n".join(text.splitlines()[start:])  # the lines `rows` reads, line breaks as it sees them
    try:
        table = pacsv.read_csv(
            io.BytesIO(joined.encode("utf-8")),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 column_types=_all_strings(joined, delimiter)))
    except (pa.ArrowInvalid, ValueError):
        table = None
    if table is not None and table.num_columns and table.num_rows:
        import numpy as np
        import pyarrow.compute as pc

        filled = [pc.not_equal(pc.utf8_trim_whitespace(c), "") for c in table.columns]
        kept = np.flatnonzero(np.logical_or.reduce([f.to_numpy(zero_copy_only=False) for f in filled]))
        if len(kept) > 1:
            header = [str(h) for h in table.slice(int(kept[0]), 1).to_pylist()[0].values()]
            while header and not header[-1].strip():
                header.pop()
            data_at = kept[1:]
            extra = range(len(header), table.num_columns)
            if header and not any(pc.any(pc.take(filled[j], data_at)).as_py() for j in extra):
                cells = table.select(range(len(header))).take(data_at).to_pandas()
                cells.columns = range(len(header))
                cells["_riga"] = data_at + start + 1
                return [h.strip() for h in header], cells
    header, data = rows(path, text, delimiter, start)
    width = len(header)
    frame = pd.DataFrame([r for _, r in data], columns=range(width), dtype="str")
    frame["_riga"] = [n for n, _ in data]
    return header, frame


def _all_strings(text: str, delimiter: str) -> dict:
    """pyarrow column types reading every field as text: f0 … fN for the widest line's field count (a bound)."""
    import pyarrow as pa

    first = text.split("\n", 1)[0]
    return {f"f{i}": pa.string() for i in range(first.count(delimiter) + 1)}
