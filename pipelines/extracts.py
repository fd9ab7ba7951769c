"""Reading the office's extracts (CSV or XLSX) into typed rows, against the columns the source registry declares.

Nothing here guesses silently: a number in the wrong format, a missing column, a blank in a
required cell or an unreadable file becomes a `Problema` naming file, sheet, row and column.
Missing markers ("nd", "n.c.", "-", blanks, Excel zero dates) are missing, never zero; in a text column
only a blank or a dash is (the sigla "NA" is Napoli).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pipelines.errors import ErroreEstratto, Problema

MISSING = {"", "nd", "n.d.", "n.d", "nc", "n.c.", "n.c", "-", "–", "—", "…", "...", "na", "n/a"}
# In a text column only a blank or a dash is missing: "NA" is Napoli's sigla, "ND" could be a code.
MISSING_TEXT = {"", "-", "–", "—"}
SHEET_NAME = "Dati"
TEMPLATE_EXTENSIONS = {".csv", ".xlsx"}
EXTENSIONS = TEMPLATE_EXTENSIONS | {".xml"}  # what a landing folder may hold (SDMX-ML too)
INTESTAZIONE = "intestazione"  # frame.attrs key set by read_extract: column name -> position in the file

# Italian style: 1.234.567,89 (dot thousands, comma decimals); English style: 1,234,567.89.
_IT = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_EN = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def excel_column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


# Every Unicode dash or minus a PDF or a word processor puts before a number (hyphen, non-breaking
# hyphen, figure dash, en and em dash, minus sign, small and full-width hyphen-minus) reads as "-".
_MINUS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")


def parse_number(text: str, style: str) -> tuple[float, int] | str:
    """Parse a number written in `style` ('it' or 'en'); return (value, decimals) or an Italian error text.

    A leading dash of any kind (U+2010 … U+2212, see _MINUS) is a minus; "(0,4)" is -0,4.
    """
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").translate(_MINUS)
    negative = s.startswith("(") and s.endswith(")")  # accounting negatives, as in 001:281 "(0,4)"
    if negative:
        s = "-" + s[1:-1]
    pattern, dec, thou = (_IT, ",", ".") if style == "it" else (_EN, ".", ",")
    doubtful: dict[str, pd.Series] = {}
    if not pattern.match(s):
        other = _EN if style == "it" else _IT
        if other.match(s) and (dec not in s):
            if style == "it":
                return (f"«{text}» sembra scritto all'inglese (punto decimale): in questo file i decimali "
                        "vanno con la virgola, es. 1234,5 oppure 1.234,5")
            return (f"«{text}» sembra scritto all'italiana (virgola decimale): in un CSV separato da virgole "
                    "i decimali vanno con il punto, es. 1234.5")
        return f"«{text}» non è un numero valido"
    decimals = len(s.split(dec, 1)[1]) if dec in s else 0
    return float(s.replace(thou, "").replace(dec, ".")), decimals


def _float_decimals(value: float) -> int:
    exponent = Decimal(repr(round(value, 9))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _parse_date(value) -> dt.date | None | str:
    if isinstance(value, dt.datetime):
        return None if value.year < 1901 else value.date()  # Excel zero date 00/01/1900 is missing
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            parsed = dt.datetime.strptime(s, fmt).date()
            return None if parsed.year < 1901 else parsed
        except ValueError:
            continue
    return f"«{s}» non è una data valida (usare GG/MM/AAAA oppure AAAA-MM-GG)"


def _read_csv(path: Path) -> tuple[list[str], pd.DataFrame, str]:
    """Header, cells (`lettura.tabella`: one string column per header column, and `_riga`) and number
    style of an office CSV (checks in `pipelines.lettura`)."""
    from pipelines import lettura

    text = lettura.decode(path)
    header_line = next(line for line in text.splitlines() if line.strip())
    delimiter = lettura.sniff_delimiter(header_line)
    style = "en" if delimiter == "," else "it"
    header, cells = lettura.tabella(path, text, delimiter)
    return header, cells, style


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list]], str]:
    """Header, numbered rows and "it:<sheet>" of an office workbook, reading only the cells it holds.

    A cell formatted as a percentage gives the number shown (0,878 shown as 87,8% gives 87.8); a
    formula with no value saved by the spreadsheet program is refused naming its cells.
    """
    import openpyxl  # only extracts in XLSX need it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ErroreEstratto([Problema(path.name, f"non è un file Excel leggibile ({type(exc).__name__}); "
                                                  "salvarlo di nuovo come .xlsx")]) from None
    sheet = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
    written = formulas[sheet.title]
    for ws in (sheet, written):
        ws.reset_dimensions()  # a stray cell at XFD1048576 must not make us walk 17 billion empty cells
    rows, no_value = [], []
    for i, (row, raw) in enumerate(zip(sheet.iter_rows(), written.iter_rows(values_only=True)), start=1):
        values = []
        for j, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if value is None and j < len(raw) and isinstance(raw[j], str) and raw[j].startswith("="):
                no_value.append(f"{excel_column(j)}{i}")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
                value = round(value * 100, 10)
            values.append(value)
        if any(c is not None and str(c).strip() for c in values):
            rows.append((i, values))
    wb.close()
    formulas.close()
    if no_value:
        shown = ", ".join(no_value[:10]) + (f" e altre {len(no_value) - 10}" if len(no_value) > 10 else "")
        raise ErroreEstratto([Problema(path.name, f"formula senza valore nelle celle {shown}: il file è stato scritto "
                                                  "da un programma che non calcola le formule; aprirlo e salvarlo in Excel",
                                       foglio=sheet.title)])
    if not rows:
        raise ErroreEstratto([Problema(path.name, "il foglio non contiene dati", foglio=sheet.title)])
    header_row, *data = rows
    return [("" if c is None else str(c)) for c in header_row[1]], data, "it:" + sheet.title


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", "_", str(name).strip().casefold())


def read_extract(path: Path, columns: list[dict]) -> pd.DataFrame:
    """Read one extract into a DataFrame typed as the registry's `columns` declare.

    Adds `_file`, `_foglio`, `_riga` (the row number as Excel or a text editor shows it)
    and, for every numeric column C, `C__decimali` (decimals as written: the input's rounding);
    `attrs[INTESTAZIONE]` maps each header name to its position (the Excel letter of messages).
    Raises ErroreEstratto listing every problem found.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise ErroreEstratto([Problema(path.name, "il file è vuoto o non esiste")])
    suffix = path.suffix.lower()
    if suffix not in TEMPLATE_EXTENSIONS:
        raise ErroreEstratto([Problema(path.name, f"formato «{suffix}» non accettato: usare .csv o .xlsx")])
    cells = None
    if suffix == ".csv":
        header, cells, style = _read_csv(path)
        data = _RigheNumerate(cells)
    else:
        header, data, style = _read_xlsx(path)
    sheet = None
    if style.startswith("it:"):
        style, sheet = "it", style[3:]

    index = {_norm_header(h): j for j, h in enumerate(header) if str(h).strip()}
    missing = [c["nome"] for c in columns if c.get("obbligatoria") and c["nome"] not in index]
    if missing:
        found = ", ".join(str(h) for h in header if str(h).strip())
        raise ErroreEstratto([Problema(
            path.name,
            f"mancano le colonne obbligatorie {', '.join(missing)} (trovate: {found}); "
            "usare l'intestazione del modello in data/templates/",
            foglio=sheet, riga=1)])
    if typos := _misspelt_columns(path.name, sheet, header, index, columns):
        raise ErroreEstratto(typos)
    if not len(data):
        raise ErroreEstratto([Problema(path.name, "c'è l'intestazione ma nessuna riga di dati", foglio=sheet)])
    positions = {_norm_header(h): j for j, h in enumerate(header)}
    fast = _convert_columns(path.name, sheet, cells, index, columns, style) if cells is not None else None
    if fast is not None:
        fast.attrs[INTESTAZIONE] = positions
        return fast

    problems: list[Problema] = []
    records = []
    doubtful: list[tuple] = []
    for row_no, row in data:
        rec: dict = {"_file": path.name, "_foglio": sheet, "_riga": row_no}
        for col in columns:
            name = col["nome"]
            j = index.get(name)
            cell = row[j] if j is not None and j < len(row) else None
            where = f"{excel_column(j)} ({name})" if j is not None else name
            value, decimals, error = _convert(cell, col["tipo"], style)
            if error is None and value is None and col.get("obbligatoria"):
                error = "valore mancante in una colonna obbligatoria"
            if error:
                problems.append(Problema(path.name, error, foglio=sheet, riga=row_no, colonna=where))
            rec[name] = value
            if col["tipo"] == "numero":
                rec[f"{name}__decimali"] = decimals
                if style == "en" and isinstance(cell, str) and _THOUSANDS_LOOK.match(cell.strip()):
                    doubtful.append((row_no, name, where, cell.strip()))
        records.append(rec)
    problems.extend(_ambiguous_thousands(path.name, records, doubtful))
    if problems:
        raise ErroreEstratto(problems)
    frame = pd.DataFrame.from_records(records)
    frame.attrs[INTESTAZIONE] = positions
    return frame


def _misspelt_columns(name: str, sheet: str | None, header: list, index: dict[str, int],
                      columns: list[dict]) -> list[Problema]:
    """A header name the registry does not know that is close to a registry column missing from the header
    ("valroe" for "valore"): without this, an optional column misspelt would load as empty in silence.
    One Problema per such name, row 1 and its column, naming the column it probably is (difflib)."""
    import difflib

    known = {c["nome"] for c in columns}
    absent = sorted(known - set(index))
    out = []
    for h, j in index.items():
        close = difflib.get_close_matches(h, absent, n=1, cutoff=0.75) if h not in known else []
        if close:
            out.append(Problema(name, f"colonna «{str(header[j]).strip()}» non riconosciuta: forse «{close[0]}», che "
                                      "manca nell'intestazione; usare l'intestazione del modello in data/templates/",
                                foglio=sheet, riga=1, colonna=excel_column(j)))
    return out


class _RigheNumerate:
    """The rows of `lettura.tabella`'s cells as (row number, cells) pairs, made only when iterated
    (the row-by-row path); `len` is the number of rows."""

    def __init__(self, cells: pd.DataFrame):
        self.cells = cells

    def __len__(self) -> int:
        return len(self.cells)

    def __iter__(self):
        values = self.cells.drop(columns="_riga").astype(object).to_numpy().tolist()
        return iter(zip(self.cells["_riga"].tolist(), values))


_THOUSANDS_LOOK = re.compile(r"^-?[1-9]\d{0,2}\.\d{3}$")


def _ambiguous_thousands(name: str, records: list[dict], doubtful: list[tuple]) -> list[Problema]:
    """In a ','-separated file "8.869" may be 8,869 or, written the Italian way, 8869: it is refused when
    every other value of the same measure and unit in the file is a whole number (then the dot is a
    thousands separator typed by mistake); exchange rates like 1.181 among 1.120, 1.108 are fine."""
    if not doubtful:
        return []
    frame = pd.DataFrame.from_records(records)
    position = {row_no: i for i, row_no in enumerate(frame["_riga"].tolist())}
    refused = {column: _whole_peers_only(frame, column).tolist() for column in {d[1] for d in doubtful}}
    return [Problema(
        name, f"«{text}» è ambiguo: in un CSV separato da virgole il punto è il separatore dei decimali, "
              f"ma gli altri valori della stessa misura sono interi; se è {text.replace('.', '')} scriverlo "
              "senza punto, se ha davvero tre decimali scriverne uno in più (es. 8.8690)",
        riga=row_no, colonna=where)
        for row_no, column, where, text in doubtful if refused[column][position[row_no]]]


def _whole_peers_only(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per row: whether the other values of `column` with the same measure and unit (misura, unita) exist
    and are all whole numbers (`<column>__decimali` = 0). One grouped count per column, not a scan per row."""
    present = frame[column].notna()
    fractional = present & frame[f"{column}__decimali"].fillna(0).ne(0)
    keys = {k: (frame[k] if k in frame.columns else pd.Series([None] * len(frame), index=frame.index))
            for k in ("misura", "unita")}
    counts = pd.DataFrame({**keys, "n": present.astype(int), "f": fractional.astype(int)}).groupby(
        ["misura", "unita"], dropna=False)[["n", "f"]].transform("sum")
    peers = counts["n"] - present.astype(int)
    return (peers > 0) & (counts["f"] - fractional.astype(int) == 0)


def _convert(cell, kind: str, style: str):
    """Return (value, decimals, error) for one cell."""
    markers = MISSING_TEXT if kind == "testo" else MISSING
    if cell is None or (isinstance(cell, str) and cell.strip().casefold() in markers):
        return None, None, None
    if kind == "testo":
        return str(cell).strip(), None, None
    if kind == "booleano":
        text = str(cell).strip().casefold()
        if text in ("sì", "si", "s", "x", "vero", "true", "1", "yes"):
            return True, None, None
        if text in ("no", "n", "falso", "false", "0"):
            return False, None, None
        return None, None, f"«{cell}» non è sì/no"
    if kind == "data":
        parsed = _parse_date(cell)
        return (None, None, parsed) if isinstance(parsed, str) else (parsed, None, None)
    if isinstance(cell, bool):
        return None, None, f"«{cell}» non è un numero"
    if isinstance(cell, (int, float)):
        number, decimals = float(cell), _float_decimals(float(cell))
    elif isinstance(cell, (dt.date, dt.datetime)):
        return None, None, f"«{cell}» è una data, non un numero"
    else:
        parsed = parse_number(str(cell), style)
        if isinstance(parsed, str):
            return None, None, parsed
        number, decimals = parsed
    if kind == "intero":
        if number != int(number):
            return None, None, f"«{cell}» non è un numero intero"
        return int(number), 0, None
    return number, decimals, None


def _convert_columns(name: str, sheet: str | None, cells: pd.DataFrame, index: dict[str, int],
                     columns: list[dict], style: str) -> pd.DataFrame | None:
    """The same typed frame as the row-by-row path of `read_extract`, one column at a time (vectorised),
    from `cells` (`lettura.tabella`: string columns 0, 1, … and `_riga`).

    Returns None as soon as a cell needs a message or a rule only the row-by-row path has (a number that
    does not match the file's style, an accounting negative, a date not in ISO form, a blank required
    cell...): that path then reads the file again and names every problem.
    """
    n = len(cells)
    width = cells.shape[1] - 1
    cells = cells.reset_index(drop=True)
    out: dict[str, list] = {"_file": [name] * n, "_foglio": [sheet] * n, "_riga": cells["_riga"].tolist()}
    pattern, dec, thou = (_IT, ",", ".") if style == "it" else (_EN, ".", ",")
    doubtful: dict[str, pd.Series] = {}
    for col in columns:
        j = index.get(col["nome"])
        raw = cells[j] if j is not None and j < width else pd.Series([None] * n, dtype=object)
        text = raw.astype("string").str.strip()
        kind = col["tipo"]
        missing = text.isna() | text.str.casefold().isin(MISSING_TEXT if kind == "testo" else MISSING)
        if col.get("obbligatoria") and missing.any():
            return None
        if kind == "testo":
            values = text.astype(object).where(~missing, None)
        elif kind in ("numero", "intero"):
            compact = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
            ok = compact.str.fullmatch(pattern.pattern[1:-1]).fillna(False).astype(bool)
            if (~ok & ~missing).any():
                return None
            if kind == "numero" and style == "en":  # "8.869" in an English-number file: judged at the end
                doubtful[col["nome"]] = compact.str.fullmatch(_THOUSANDS_LOOK.pattern[1:-1]).fillna(False).astype(bool)
            after = compact.str.split(dec, n=1, regex=False).str[1].astype("string")
            decimals = after.str.len().fillna(0).astype("int64")
            numbers = pd.to_numeric(compact.str.replace(thou, "", regex=False).str.replace(dec, ".", regex=False)
                                    .where(~missing, None), errors="coerce").astype("float64")
            if kind == "intero":
                if ((numbers != numbers.round()) & ~missing).any():
                    return None
                out[col["nome"]] = [None if m else int(v) for v, m in zip(numbers.tolist(), missing.tolist())]
            else:
                out[col["nome"]] = [None if m else v for v, m in zip(numbers.tolist(), missing.tolist())]
                out[f"{col['nome']}__decimali"] = [None if m else d for d, m in zip(decimals.tolist(), missing.tolist())]
            continue
        elif kind == "data":
            parsed = pd.to_datetime(text.where(~missing, None), format="%Y-%m-%d", errors="coerce")
            if (parsed.isna() & ~missing).any() or (parsed.dt.year < 1901).any():
                return None
            values = [None if m else d.date() for d, m in zip(parsed.tolist(), missing.tolist())]
        elif kind == "booleano":
            folded = text.str.casefold()
            truth = folded.isin(["sì", "si", "s", "x", "vero", "true", "1", "yes"])
            false = folded.isin(["no", "n", "falso", "false", "0"])
            if (~truth & ~false & ~missing).any():
                return None
            values = [None if m else bool(t) for t, m in zip(truth.tolist(), missing.tolist())]
        else:
            return None
        out[col["nome"]] = list(values)
    frame = pd.DataFrame(out)
    for column, looks in doubtful.items():
        if (looks.to_numpy() & _whole_peers_only(frame, column).to_numpy()).any():
            return None  # an ambiguous "8.869": the row-by-row path names it
    return frame
