"""Parsers for the formats the context sources really publish, each returning tidy observations.

Each parser recognises the layouts its publisher has used over the years and refuses any other
with an Italian message naming the file, the layout expected and what was found; a file that
yields no value is refused too (`ErroreEstratto`), never loaded as an empty success.

Periods: AAAA, AAAA-MM-GG, AAAAQn, AAAAHn, AAAAMaa-Mbb, AAAA-AAAA (a span of years).
Tidy columns: territorio (a code or name as the source writes it, resolved later against the
territory dimension), livello (the territorial level of that code when the format tells it:
provincia, regione, comune; "09" is a region in one file and could be a province elsewhere), periodo (YYYY, YYYY-MM-DD, YYYYQn, YYYYMaa-Mbb), dimensione and
valore_dimensione ('|'-joined when several), misura, valore, unita (None when the file does not
say it: the source registry gives it), provvisorio, _riga.
Layouts recognised:
- Istat SDMX-ML 2.1 data messages, generic and structure-specific (web service responses);
- SDMX-CSV 1.0 (`DATAFLOW` column) and 2.0 (`STRUCTURE`, `STRUCTURE_ID`), with or without labels
  ("FREQ: Frequency" headers and "A: Annual" cells);
- esploradati Data Browser exports, codes only or "codes and labels" (a label column beside each
  code column, the value in `Observation`), and I.Stat exports (`TIME`, `Value`, `Flags`);
- demo.istat.it: the "Bilancio demografico" by province or region (to 2018: `,`, title line
  optional, "Popolazione al 1° Gennaio") and by comune (2019 on: `;`, quoted, "1° gennaio",
  "Popolazione al 31 dicembre da censimento"); the population by age and sex at 1 January
  (2006: Latin-1, `Eta'`, space-padded cells; 2011 on: UTF-8, `Età`);
- the InfoCamere open-data stock of active companies by province and ATECO;
- MEF IRPEF by comune (`;`); the per-CAP edition is recognised and refused by name.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from pipelines import lettura
from pipelines.errors import ErroreEstratto, Problema

TIDY = ["territorio", "livello", "periodo", "dimensione", "valore_dimensione", "misura", "valore", "unita", "provvisorio", "_riga"]
AREA_DIMS = ("REF_AREA", "ITTER107")
TIME_COLS = ("TIME_PERIOD", "TIME")
VALUE_COLS = ("OBS_VALUE", "OBSERVATION", "VALUE", "VALORE")
SKIP_DIMS = {"FREQ", *TIME_COLS} | set(AREA_DIMS)
# How publishers write a missing value (never zero): SDMX "NaN", Istat "..", ":", "n.d.", "-".
MISSING = {"", "nan", "..", ".", ":", "-", "–", "—", "n.d.", "n.d", "nd", "n.a.", "na", "n.c.", "nc", "x"}


def read_text(path: Path) -> str:
    """The file's text (see `pipelines.lettura.decode`)."""
    return lettura.decode(path)


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=TIDY)
    frame["provvisorio"] = frame["provvisorio"].fillna(False).astype(bool)
    return frame


def _dove(frame: pd.DataFrame, colonna_territorio: str) -> pd.DataFrame:
    """A parser's tidy frame with `attrs["colonna_territorio"]`: where the file writes the territory
    ("B (Provincia)"), for the messages about a territory code (pipelines.loading.unknown_territories)."""
    frame.attrs["colonna_territorio"] = colonna_territorio
    return frame


def _column(header: list[str], index: int) -> str:
    """How a message names a column of a publisher's file: Excel letter and header, "B (Provincia)"."""
    from pipelines.extracts import excel_column

    return f"{excel_column(index)} ({header[index].strip()})"


def _colonne(cells: pd.DataFrame, **values) -> pd.DataFrame:
    """The tidy frame `_frame` builds, one column at a time: one row per row of `cells` (its `_riga`),
    each of `values` a scalar for every row or a Series aligned with `cells`."""
    out = {name: (cells["_riga"] if name == "_riga" else values.get(name)) for name in TIDY}
    out = {k: v.to_numpy() if isinstance(v, pd.Series) and v.dtype != "str" else
           v.reset_index(drop=True) if isinstance(v, pd.Series) else v for k, v in out.items()}
    return _frame_da_colonne(out, len(cells))


def _frame_da_colonne(columns: dict, n: int) -> pd.DataFrame:
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n), columns=TIDY)
    frame["provvisorio"] = frame["provvisorio"].fillna(False).astype(bool)
    return frame


def _intreccia(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Tidy frames of the same rows, one per measure, interleaved as the row-by-row parsers write them
    (for each row of the file, its measures in order)."""
    parts = [p.assign(_ordine=range(len(p))) for p in parts]
    frame = pd.concat(parts, ignore_index=True).sort_values("_ordine", kind="stable")
    return frame.drop(columns="_ordine").reset_index(drop=True)


def _righe(cells: pd.DataFrame) -> list[tuple[int, list[str]]]:
    """The rows of `lettura.tabella`'s frame as `lettura.rows` gives them (for the row-by-row paths)."""
    return list(zip(cells["_riga"].tolist(), cells.drop(columns="_riga").to_numpy().tolist()))


INTERO, INTERO_CON_SEGNO, DECIMALE = r"[0-9]+", r"-?[0-9]+", r"-?[0-9]+(\.[0-9]+)?"


def _conformi(series: pd.Series, pattern: str) -> pd.Series:
    """Whether each cell, stripped, matches `pattern` (ASCII digits): a parser's vectorised path takes a
    file only when every cell it reads does; any other file goes row by row, where each cell at fault is
    named (tests force that path by making this say False)."""
    return series.str.strip().str.fullmatch(pattern).fillna(False).astype(bool)


def _refuse(path: Path, text: str, riga: int | None = None, colonna: str | None = None):
    raise ErroreEstratto([Problema(Path(path).name, text, riga=riga, colonna=colonna)])


def _found(header: list[str], limit: int = 8) -> str:
    shown = ", ".join(h for h in header[:limit] if h)
    return shown + (f" e altre {len(header) - limit}" if len(header) > limit else "")


def number(path: Path, cell: str, n: int, column: str, style: str = "en") -> float | None:
    """A published value: None for the missing markers, else a finite number, else ErroreEstratto."""
    from pipelines.extracts import parse_number

    text = str(cell).strip()
    if text.casefold() in MISSING:
        return None
    try:
        value = float(text) if style == "en" else None
    except ValueError:
        value = None
    if value is None:
        parsed = parse_number(text, style)
        if isinstance(parsed, str):
            _refuse(path, parsed if len(text) < 40 else "il valore non è un numero", riga=n, colonna=column)
        value = parsed[0]
    if not math.isfinite(value):
        _refuse(path, f"«{text}» non è un numero finito", riga=n, colonna=column)
    return value


def istat_period(value: str) -> str:
    """SDMX/I.Stat periods to ours: 2019 -> 2019, 2019-Q1 -> 2019Q1, 2019-03 -> 2019M03-M03."""
    value = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return f"{m[1]}Q{m[2]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return f"{m[1]}M{m[2]}-M{m[2]}"
    return value


# --- SDMX -------------------------------------------------------------------------------------

_SDMX_META = {"OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "UNIT_MEAS", "DATAFLOW", "STRUCTURE", "STRUCTURE_ID",
              "ACTION", "BREAK", "CONF_STATUS", "OBS_PRE_BREAK", "BASE_PER", "METADATA_EN", "METADATA_IT",
              "NOTE_TEMPORAL_COVERAGE", "OBSERVATION", "VALUE", "VALORE", "FLAG_CODES", "FLAGS", "DECIMALS"}
_UNITS = {"EURO": "euro", "EUR": "euro", "NUM": "n", "N": "n", "NUMBER": "n", "PC": "%", "PERCENT": "%", "PCT": "%"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sdmx_ml(path: Path, dataflow: str | None = None) -> pd.DataFrame:
    """SDMX-ML 2.1 data messages, generic or structure-specific (Istat NSI web service).

    `misura` is the dataflow id the message refers to (its StructureUsage), else the id of its
    data structure: the source registry maps structures to dataflows (`struttura`).
    """
    name = Path(path).name
    try:
        root = ET.fromstring(read_text(path).encode("utf-8"))
    except ET.ParseError as exc:
        raise ErroreEstratto([Problema(name, f"non è un messaggio SDMX-ML leggibile (XML interrotto o non valido: "
                                             f"{str(exc).split(':')[-1].strip()}); scaricarlo di nuovo")]) from None
    if _local(root.tag) not in ("GenericData", "StructureSpecificData", "StructureSpecificTimeSeriesData",
                                "GenericTimeSeriesData"):
        _refuse(path, f"non è un messaggio di dati SDMX-ML: atteso GenericData o StructureSpecificData, "
                      f"trovato «{_local(root.tag)[:40]}»")
    flow = dataflow
    if flow is None:
        usage = [el for el in root.iter() if _local(el.tag) == "StructureUsage"]
        refs = [r for u in usage for r in u.iter() if _local(r.tag) == "Ref" and r.get("id")]
        refs = refs or [el for el in root.iter() if _local(el.tag) == "Ref" and el.get("id")]
        flow = refs[0].get("id") if refs else None
    rows, n = [], 0
    for series in (el for el in root.iter() if _local(el.tag) == "Series"):
        key = dict(series.attrib)
        for child in series:
            if _local(child.tag) in ("SeriesKey", "Attributes"):  # generic message
                key.update({v.get("id"): v.get("value") for v in child})
        for obs in (o for o in series if _local(o.tag) == "Obs"):
            n += 1
            attrs = dict(obs.attrib)
            for child in obs:
                tag = _local(child.tag)
                if tag == "ObsDimension":
                    attrs["TIME_PERIOD"] = child.get("value")
                elif tag == "ObsValue":
                    attrs["OBS_VALUE"] = child.get("value")
                elif tag == "Attributes":
                    attrs.update({v.get("id"): v.get("value") for v in child})
            rows.append(_sdmx_row(path, {**key, **attrs}, flow, n, f"osservazione {n}"))
    if not rows:
        _refuse(path, "il messaggio SDMX non contiene osservazioni")
    return _dove(_frame(rows), "dimensione REF_AREA (o ITTER107)")


def _sdmx_row(path: Path, rec: dict, flow: str | None, n: int, where: str, style: str = "en") -> dict:
    area = next((rec[d] for d in AREA_DIMS if rec.get(d)), None)
    if area is None:
        _refuse(path, "manca il territorio: attesa la dimensione REF_AREA o ITTER107", riga=n)
    time = next((rec[d] for d in TIME_COLS if rec.get(d)), None)
    if time is None:
        _refuse(path, "manca il periodo: attesa la dimensione TIME_PERIOD (o TIME)", riga=n)
    dims = {k: v for k, v in rec.items()
            if k not in SKIP_DIMS | _SDMX_META and not k.startswith("NOTE_") and v not in (None, "")}
    value = number(path, rec.get("OBS_VALUE") or "", n, "OBS_VALUE", style)
    mult = str(rec.get("UNIT_MULT") or "0").strip()
    if not re.fullmatch(r"-?\d{1,2}", mult):
        _refuse(path, f"«{mult[:20]}» non è un moltiplicatore di unità (UNIT_MULT) valido", riga=n, colonna="UNIT_MULT")
    unit = (rec.get("UNIT_MEAS") or "").strip()
    return {
        "territorio": area.strip(), "periodo": istat_period(time),
        "dimensione": "|".join(dims), "valore_dimensione": "|".join(str(v).strip() for v in dims.values()),
        "misura": flow or "", "valore": None if value is None else value * 10 ** int(mult),
        "unita": _UNITS.get(unit.upper(), unit) or None,
        "provvisorio": rec.get("OBS_STATUS") in ("p", "e"), "_riga": n,
    }


def _code(header: str) -> str | None:
    """The SDMX id of a column: "REF_AREA" or "REF_AREA: Territory" -> REF_AREA; a label column -> None."""
    head = header.strip().split(":", 1)[0].strip()
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", head):
        return head
    if head.casefold() in ("observation", "value", "valore", "flag codes", "flags"):
        return head.upper().replace(" ", "_")
    return None


def parse_sdmx_csv(path: Path, default_measure: str = "") -> pd.DataFrame:
    """Tabular Istat data: SDMX-CSV 1.0 and 2.0, esploradati and I.Stat exports (with or without labels).

    The layout is recognised from the header: the value column (OBS_VALUE, Observation, Value),
    the period (TIME_PERIOD, TIME), the territory (REF_AREA, ITTER107); code columns are SDMX ids,
    label columns beside them are ignored, "A: Annual" cells keep their code. `misura` is the
    dataflow (DATAFLOW, STRUCTURE_ID or "(IT1,93_498_DF_...,1.0)" in the file name), else
    `default_measure`, else the file's name (an esploradati export saved under another name).
    """
    text = read_text(path)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = lettura.sniff_delimiter(first)
    header, data = lettura.rows(path, text, delimiter)
    codes = [_code(h) for h in header]
    value_col = next((i for v in VALUE_COLS for i, c in enumerate(codes) if c == v), None)
    if value_col is None:
        _refuse(path, "manca la colonna del valore: attese OBS_VALUE o Observation (SDMX-CSV, esploradati) "
                      f"o Value (I.Stat); trovate: {_found(header)}", riga=1)
    if not any(c in TIME_COLS for c in codes) or not any(c in AREA_DIMS for c in codes):
        _refuse(path, "mancano le colonne del periodo e del territorio: attese TIME_PERIOD (o TIME) e REF_AREA "
                      f"(o ITTER107); trovate: {_found(header)}", riga=1)
    flow_from_name = re.search(r"\((?:[A-Z0-9]+),(\d+_\d+)", Path(path).name)
    style = "it" if delimiter == ";" else "en"
    rows = []
    for n, rec in data:
        fields = {}
        for c, cell in zip(codes, rec):
            if c is None or c in fields:
                continue
            cell = cell.strip()
            if c not in ("OBS_VALUE", "OBSERVATION", "VALUE", "VALORE") and re.match(r"^[^:]+: ", cell):
                cell = cell.split(": ", 1)[0]  # "A: Annual" in SDMX-CSV with labels
            fields[c] = cell
        fields["OBS_VALUE"] = rec[value_col]
        flow = fields.get("DATAFLOW") or fields.get("STRUCTURE_ID") or ""
        flow = re.sub(r"^[^:]*:|\(.*\)$", "", flow)
        flow = flow or (flow_from_name[1] if flow_from_name else default_measure or Path(path).stem)
        flags = (fields.get("FLAGS") or "") + (fields.get("FLAG_CODES") or "")
        row = _sdmx_row(path, fields, flow, n, f"riga {n}", style)
        row["provvisorio"] = row["provvisorio"] or "p" in flags.lower() or "stima" in flags.lower()
        rows.append(row)
    return _dove(_frame(rows), _column(header, next(i for a in AREA_DIMS for i, c in enumerate(codes) if c == a)))


def parse_istat_export(path: Path) -> pd.DataFrame:
    """I.Stat/esploradati CSV export (codes with or without labels): `parse_sdmx_csv`, measure istat_export."""
    return parse_sdmx_csv(path, default_measure="istat_export")


# --- demo.istat.it -----------------------------------------------------------------------------

def _norm(header: str) -> str:
    """Header text compared loosely: case, spaces, "1°"/"1", "Eta'"/"Età"."""
    h = re.sub(r"\s+", " ", header.strip().casefold()).replace("1°", "1").replace("eta'", "età")
    return h.replace("eta ", "età ") if h != "eta" else "età"


def _demo_table(path: Path) -> tuple[list[str], pd.DataFrame, str]:
    """demo.istat.it CSV: an optional title line above the header; returns header, cells
    (`lettura.tabella`), title."""
    text = read_text(path)
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines[:5]) if max(ln.count(","), ln.count(";")) >= 2), None)
    if start is None:
        _refuse(path, "non è una tabella di demo.istat.it: nessuna riga di intestazione con più colonne "
                      "separate da virgola o punto e virgola nelle prime righe")
    title = " ".join(ln.strip().strip('"') for ln in lines[:start])
    header, cells = lettura.tabella(path, text, lettura.sniff_delimiter(lines[start], ",;"), start)
    return header, cells, title


def _level(first_header: str) -> str:
    h = first_header.casefold()
    return "comune" if "comune" in h else "regione" if "regione" in h else "provincia"


_BILANCIO = {  # measure -> (accepted headers, period) ; the first two are required
    "popolazione_1_gennaio": (("popolazione al 1 gennaio - totale",), "{y}-01-01"),
    "popolazione_31_dicembre": (("popolazione al 31 dicembre - totale",
                                 "popolazione al 31 dicembre da censimento - totale"), "{y}-12-31"),
    "nati": (("nati - totale",), "{y}"),
    "morti": (("morti - totale",), "{y}"),
    "saldo_migratorio": (("saldo migratorio - totale",), "{y}"),
}


_SHOWN = {"popolazione_1_gennaio": "Popolazione al 1° Gennaio - Totale", "nati": "Nati - Totale",
          "morti": "Morti - Totale", "popolazione_31_dicembre": "Popolazione al 31 Dicembre - Totale"}


def parse_demo_bilancio(path: Path) -> pd.DataFrame:
    """demo.istat.it "Bilancio demografico" by province, region or comune: one year per file (in its name).

    Layouts: to 2018 (`,`, "Popolazione al 1° Gennaio - Totale", "Saldo Migratorio - Totale") and
    from 2019 (`;`, quoted, "1° gennaio", "Popolazione al 31 dicembre da censimento - Totale", no
    total migration balance: that measure is then absent, never computed here).
    """
    header, cells, _ = _demo_table(path)
    year = re.search(r"(\d{4})", Path(path).stem)
    if not year:
        _refuse(path, "l'anno del bilancio demografico deve stare nel nome del file (es. province_bd2016.csv)")
    y = year[1]
    index = {_norm(h): i for i, h in enumerate(header)}
    columns = {m: next((index[h] for h in names if h in index), None) for m, (names, _) in _BILANCIO.items()}
    required = ["popolazione_1_gennaio", "nati", "morti", "popolazione_31_dicembre"]
    missing = [_SHOWN[m] for m in required if columns[m] is None]
    if missing:
        _refuse(path, f"mancano le colonne {', '.join(missing)}: non è un bilancio demografico di demo.istat.it "
                      f"(trovate: {_found(header)})", riga=1)
    level = _level(header[0])
    present = {m: j for m, j in columns.items() if j is not None}
    if all(_conformi(cells[j], INTERO_CON_SEGNO).all() for j in present.values()):  # every cell a whole number
        territory = cells[0].str.strip()
        return _dove(_intreccia([_colonne(cells, territorio=territory, livello=level, periodo=_BILANCIO[m][1].format(y=y),
                                    dimensione="totale", valore_dimensione="Totale", misura=m,
                                    valore=cells[j].str.strip().astype("int64").astype("float64"), unita="n",
                                    provvisorio=False) for m, j in present.items()]), _column(header, 0))
    out = []
    for n, rec in _righe(cells):  # a cell that is not a whole number: refused naming its row
        for measure, (_, period) in _BILANCIO.items():
            j = columns[measure]
            if j is None:
                continue
            cell = rec[j].strip()
            if not re.fullmatch(r"-?\d+", cell):
                _refuse(path, f"«{cell[:20]}» non è un numero intero", riga=n, colonna=header[j])
            out.append({"territorio": rec[0].strip(), "livello": level, "periodo": period.format(y=y),
                        "dimensione": "totale", "valore_dimensione": "Totale", "misura": measure,
                        "valore": float(cell), "unita": "n", "provvisorio": False, "_riga": n})
    return _dove(_frame(out), _column(header, 0))


def parse_demo_popolazione_eta(path: Path) -> pd.DataFrame:
    """demo.istat.it resident population by single year of age and sex at 1 January (title gives the year).

    Layouts: 2006-2010 (Latin-1, age column `Eta'`, space-padded cells) and 2011 on (UTF-8, `Età`).
    """
    header, cells, title = _demo_table(path)
    year = re.search(r"(\d{4})", title) or re.search(r"(\d{2})$", Path(path).stem)
    if not year:
        _refuse(path, "manca l'anno: atteso nella riga del titolo («Popolazione residente al 1° Gennaio 2017 …») "
                      "o in fondo al nome del file (province17.csv)", riga=1)
    y = year[1] if len(year[1]) == 4 else f"20{year[1]}"
    index = {_norm(h): i for i, h in enumerate(header)}
    age_col, males, females = index.get("età"), index.get("totale maschi"), index.get("totale femmine")
    if age_col is None or males is None or females is None:
        _refuse(path, "non è una tabella della popolazione per età di demo.istat.it: attese le colonne Età (o Eta'), "
                      f"Totale Maschi, Totale Femmine; trovate: {_found(header)}", riga=2)
    level = _level(header[0])
    ages = cells[age_col].str.strip()
    kept = _conformi(ages, INTERO)
    rows = cells[kept]
    if (kept == ages.str.isdigit()).all() and _conformi(rows[males], INTERO).all() and _conformi(rows[females], INTERO).all():
        territory, age = rows[0].str.strip(), rows[age_col].str.strip().astype("int64").astype("str")
        return _dove(_intreccia([_colonne(rows, territorio=territory, livello=level, periodo=f"{y}-01-01",
                                    dimensione="sesso|eta", valore_dimensione=f"{sex}|" + age, misura="popolazione",
                                    valore=rows[j].str.strip().astype("int64").astype("float64"), unita="n",
                                    provvisorio=False)
                           for sex, j in (("maschi", males), ("femmine", females))]), _column(header, 0))
    out = []
    for n, rec in _righe(cells):  # a count that is not a whole number: refused naming its row
        age = rec[age_col].strip()
        if not age.isdigit():  # "Totale" rows are derived, not stored
            continue
        for sex, j in (("maschi", males), ("femmine", females)):
            cell = rec[j].strip()
            if not cell.isdigit():
                _refuse(path, f"«{cell[:20]}» non è un numero intero", riga=n, colonna=header[j])
            out.append({"territorio": rec[0].strip(), "livello": level, "periodo": f"{y}-01-01", "dimensione": "sesso|eta",
                        "valore_dimensione": f"{sex}|{int(age)}", "misura": "popolazione", "valore": float(cell),
                        "unita": "n", "provvisorio": False, "_riga": n})
    return _dove(_frame(out), _column(header, 0))


# --- InfoCamere, MEF ---------------------------------------------------------------------------

def parse_infocamere_stock(path: Path) -> pd.DataFrame:
    """InfoCamere open data: active companies by province and ATECO code (the most detailed code given).

    The code is ATECO 2025 in the stocks from April 2025 (sections up to V), ATECO 2007 before: the
    version follows the stock date (data/catalog/classificazioni.csv, used by marts.contesto_variazioni).

    Each row counts the companies classified exactly at that code, so rows add up to the total.
    The stock date is the file name's leading date (2025-06-30-Stock-Imprese-Attive-Italia.csv).
    """
    date = re.match(r"(\d{4}-\d{2}-\d{2})", Path(path).name)
    if not date:
        _refuse(path, "il nome del file deve iniziare con la data dello stock (AAAA-MM-GG), come lo pubblica InfoCamere")
    header, cells = lettura.tabella(path, read_text(path), ";")
    expected = ["Regione", "Provincia", "Settore", "Divisione", "Classe", "Sottocategoria", "Imprese Attive"]
    if header != expected:
        _refuse(path, f"intestazione inattesa: attese le colonne {', '.join(expected)}; trovate: {_found(header)}", riga=1)
    if _conformi(cells[6], INTERO).all():
        province = cells[1].str.strip()
        undefined = province.str.casefold() == "territorio non definito"
        province = province.where(~undefined, province + " (" + cells[0].str.strip() + ")")
        return _dove(_colonne(cells, territorio=province, livello="provincia", periodo=date[1],
                        dimensione="sezione_ateco|ateco",
                        valore_dimensione=cells[2].str.strip() + "|" + cells[5].str.strip(),
                        misura="imprese_attive", valore=cells[6].str.strip().astype("int64").astype("float64"),
                        unita="n", provvisorio=False), _column(header, 1))
    out = []
    for n, rec in _righe(cells):  # a count that is not a number: refused naming its row
        if not rec[6].strip().isdigit():
            _refuse(path, f"«{rec[6][:20]}» non è un numero di imprese", riga=n, colonna="G (Imprese Attive)")
        province = rec[1].strip()
        if province.casefold() == "territorio non definito":  # one per region: keep the region in the name
            province = f"{province} ({rec[0].strip()})"
        out.append({"territorio": province, "livello": "provincia", "periodo": date[1], "dimensione": "sezione_ateco|ateco",
                    "valore_dimensione": f"{rec[2].strip()}|{rec[5].strip()}", "misura": "imprese_attive",
                    "valore": float(rec[6]), "unita": "n", "provvisorio": False, "_riga": n})
    return _dove(_frame(out), _column(header, 1))


def parse_mef_irpef(path: Path) -> pd.DataFrame:
    """MEF - Dipartimento delle Finanze, IRPEF statistics by comune (';', one row per comune).

    The per-CAP edition ("su base subcomunale", a CAP column, several rows per comune) is
    recognised and refused by name: its rows are not comuni, and summing them is not ours to do.
    """
    header, cells = lettura.tabella(path, read_text(path), ";")
    if "CAP" in header:
        _refuse(path, "è l'edizione del MEF per CAP («su base subcomunale»: una riga per codice di avviamento "
                      "postale, colonna CAP), non quella per comune che questa fonte legge; scaricare "
                      "«Redditi e principali variabili IRPEF su base comunale»", riga=1, colonna="CAP")
    need = ["Anno di imposta", "Codice Istat Comune", "Numero contribuenti", "Reddito imponibile - Ammontare in euro"]
    missing = [c for c in need if c not in header]
    if missing:
        _refuse(path, f"non è il file IRPEF comunale del MEF: manca la colonna «{missing[0]}» "
                      f"(trovate: {_found(header)})", riga=1)
    col = {c: header.index(c) for c in need}
    measures = (("contribuenti", "Numero contribuenti", "n"), ("reddito_imponibile", "Reddito imponibile - Ammontare in euro", "euro"))
    year = cells[col["Anno di imposta"]].str.strip()
    comune = cells[col["Codice Istat Comune"]].str.strip().str.zfill(6)
    values = {c: cells[col[c]].str.strip() for _, c, _ in measures}
    missing = {c: v.str.casefold().isin(MISSING) for c, v in values.items()}
    decimal = {c: _conformi(v, DECIMALE) for c, v in values.items()}
    if (_conformi(year, "[0-9]{4}").all() and _conformi(comune, "[0-9]{6}").all()
            and all((missing[c] | decimal[c]).all() for c in values)):
        return _dove(_intreccia([_colonne(cells, territorio=comune, livello="comune", periodo=year, dimensione="totale",
                                    valore_dimensione="Totale", misura=measure,
                                    valore=pd.to_numeric(values[c].where(decimal[c] & ~missing[c])).astype("float64"),
                                    unita=unit, provvisorio=False) for measure, c, unit in measures]), _column(header, col["Codice Istat Comune"]))
    out = []
    for n, rec in _righe(cells):  # a code, year or value that needs a message: refused naming its row
        year, comune = rec[col["Anno di imposta"]].strip(), rec[col["Codice Istat Comune"]].strip().zfill(6)
        if not re.fullmatch(r"\d{4}", year) or not re.fullmatch(r"\d{6}", comune):
            _refuse(path, "anno d'imposta (AAAA) o codice Istat del comune (6 cifre) non validi", riga=n)
        for measure, c, unit in (("contribuenti", "Numero contribuenti", "n"),
                                 ("reddito_imponibile", "Reddito imponibile - Ammontare in euro", "euro")):
            out.append({"territorio": comune, "livello": "comune", "periodo": year, "dimensione": "totale",
                        "valore_dimensione": "Totale", "misura": measure,
                        "valore": number(path, rec[col[c]], n, c, "en"), "unita": unit,
                        "provvisorio": False, "_riga": n})
    return _dove(_frame(out), _column(header, col["Codice Istat Comune"]))


PARSERS = {
    "sdmx_ml": parse_sdmx_ml,
    "sdmx_csv": parse_sdmx_csv,
    "istat_export": parse_istat_export,
    "demo_bilancio": parse_demo_bilancio,
    "demo_popolazione_eta": parse_demo_popolazione_eta,
    "infocamere_stock": parse_infocamere_stock,
    "mef_irpef": parse_mef_irpef,
}
