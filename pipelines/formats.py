"""Parsers for the formats the context sources really publish, each returning tidy observations.

Periods: AAAA, AAAA-MM-GG, AAAAQn, AAAAHn, AAAAMaa-Mbb, AAAA-AAAA (a span of years).
Tidy columns: territorio (a code or name as the source writes it, resolved later against the
territory dimension), livello (the territorial level of that code when the format tells it:
provincia, regione, comune; "09" is a region in one file and could be a province elsewhere), periodo (YYYY, YYYY-MM-DD, YYYYQn, YYYYMaa-Mbb), dimensione and
valore_dimensione ('|'-joined when several), misura, valore, unita, provvisorio, _riga.
Formats: Istat SDMX-ML (generic and structure-specific) and SDMX-CSV from the esploradati web
service; I.Stat/esploradati CSV exports with labels; demo.istat.it CSVs (title line above the
header, UTF-8 or Latin-1); the InfoCamere open-data stock of active companies; MEF IRPEF by comune.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from pipelines.errors import ErroreEstratto, Problema

TIDY = ["territorio", "livello", "periodo", "dimensione", "valore_dimensione", "misura", "valore", "unita", "provvisorio", "_riga"]
AREA_DIMS = ("REF_AREA", "ITTER107")
SKIP_DIMS = {"FREQ", "TIME_PERIOD"} | set(AREA_DIMS)


def read_text(path: Path) -> str:
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise ErroreEstratto([Problema(Path(path).name, "il file è vuoto")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("cp1252 decodes any byte string")


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=TIDY)
    frame["provvisorio"] = frame["provvisorio"].fillna(False).astype(bool)
    return frame


def istat_period(value: str) -> str:
    """SDMX/I.Stat periods to ours: 2019 -> 2019, 2019-Q1 -> 2019Q1, 2019-03 -> 2019M03-M03."""
    value = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return f"{m[1]}Q{m[2]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        return f"{m[1]}M{m[2]}-M{m[2]}"
    return value


# --- SDMX -------------------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sdmx_ml(path: Path, dataflow: str | None = None) -> pd.DataFrame:
    """SDMX-ML 2.1 data messages, generic or structure-specific (Istat NSI web service)."""
    try:
        root = ET.fromstring(read_text(path).encode("utf-8"))
    except ET.ParseError as exc:
        raise ErroreEstratto([Problema(Path(path).name, f"non è un messaggio SDMX-ML leggibile ({exc})")]) from None
    flow = dataflow
    for el in root.iter():
        if _local(el.tag) == "Ref" and el.get("id") and flow is None:
            flow = el.get("id")
    rows, n = [], 0
    for series in (el for el in root.iter() if _local(el.tag) == "Series"):
        key = dict(series.attrib)
        for child in series:
            if _local(child.tag) == "SeriesKey":  # generic message
                key.update({v.get("id"): v.get("value") for v in child})
        for obs in (o for o in series if _local(o.tag) == "Obs"):
            n += 1
            attrs = dict(obs.attrib)
            for child in obs:
                name = _local(child.tag)
                if name == "ObsDimension":
                    attrs["TIME_PERIOD"] = child.get("value")
                elif name == "ObsValue":
                    attrs["OBS_VALUE"] = child.get("value")
                elif name == "Attributes":
                    attrs.update({v.get("id"): v.get("value") for v in child})
            rows.append(_sdmx_row({**key, **attrs}, flow, n))
    if not rows:
        raise ErroreEstratto([Problema(Path(path).name, "il messaggio SDMX non contiene osservazioni")])
    return _frame(rows)


def parse_sdmx_csv(path: Path) -> pd.DataFrame:
    """SDMX-CSV 1.0 (Accept: application/vnd.sdmx.data+csv;version=1.0.0)."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    rows = []
    for n, rec in enumerate(reader, start=2):
        flow = rec.get("DATAFLOW", "")
        flow = re.sub(r"^[^:]*:|\(.*\)$", "", flow)
        rows.append(_sdmx_row(rec, flow, n))
    if not rows:
        raise ErroreEstratto([Problema(Path(path).name, "il file SDMX-CSV non contiene osservazioni")])
    return _frame(rows)


_SDMX_META = {"OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "UNIT_MEAS", "DATAFLOW", "BREAK", "CONF_STATUS",
              "OBS_PRE_BREAK", "BASE_PER", "METADATA_EN", "METADATA_IT", "NOTE_TEMPORAL_COVERAGE"}


def _sdmx_row(rec: dict, flow: str | None, n: int) -> dict:
    area = next((rec[d] for d in AREA_DIMS if rec.get(d)), None)
    dims = {k: v for k, v in rec.items() if k not in SKIP_DIMS | _SDMX_META and v not in (None, "")}
    value = rec.get("OBS_VALUE")
    number = None if value in (None, "", "NaN") else float(value) * 10 ** int(rec.get("UNIT_MULT") or 0)
    return {
        "territorio": area, "periodo": istat_period(rec.get("TIME_PERIOD", "")),
        "dimensione": "|".join(dims), "valore_dimensione": "|".join(dims.values()),
        "misura": flow or "", "valore": number, "unita": rec.get("UNIT_MEAS") or "n",
        "provvisorio": rec.get("OBS_STATUS") in ("p", "e"), "_riga": n,
    }


# --- I.Stat / esploradati exports ------------------------------------------------------------

def parse_istat_export(path: Path) -> pd.DataFrame:
    """I.Stat/esploradati CSV export: code and label column pairs, TIME, Value, flags."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text), delimiter=";" if text.split("\n", 1)[0].count(";") > 2 else ",")
    header = next(reader)
    value_col = next(i for i, h in enumerate(header) if h.strip().lower() in ("value", "valore", "obs_value"))
    time_col = next(i for i, h in enumerate(header) if h.strip().upper() in ("TIME", "TIME_PERIOD"))
    area_col = next((i for i, h in enumerate(header) if h.strip().upper() in AREA_DIMS), 0)
    # code columns are upper-case identifiers; the column after each is its label
    code_cols = [i for i, h in enumerate(header)
                 if re.fullmatch(r"[A-Z][A-Z0-9_]+", h.strip()) and i not in (area_col, time_col, value_col)]
    rows = []
    for n, rec in enumerate(reader, start=2):
        if not rec or not rec[value_col].strip():
            continue
        flags = rec[header.index("Flags")] if "Flags" in header else ""
        rows.append({
            "territorio": rec[area_col], "periodo": istat_period(rec[time_col]),
            "dimensione": "|".join(header[i] for i in code_cols), "valore_dimensione": "|".join(rec[i] for i in code_cols),
            "misura": "istat_export", "valore": float(rec[value_col]), "unita": "n",
            "provvisorio": "p" in flags.lower() or "stima" in flags.lower(), "_riga": n,
        })
    return _frame(rows)


# --- demo.istat.it -----------------------------------------------------------------------------

def _demo_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """demo.istat.it CSV: an optional title line above the header; returns header, rows, title."""
    lines = read_text(path).splitlines()
    title = ""
    start = 0
    if lines and lines[0].count(",") < 2:  # the title line ("Popolazione residente al 1° Gennaio 2017 ...")
        title, start = lines[0].strip(), 1
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = [h.strip() for h in next(reader)]
    return header, [(i + start + 2, r) for i, r in enumerate(reader) if r and any(c.strip() for c in r)], title


def parse_demo_bilancio(path: Path) -> pd.DataFrame:
    """demo.istat.it "Bilancio demografico" per provincia or regione: one year per file (in its name)."""
    header, rows, _ = _demo_table(path)
    year = re.search(r"(\d{4})", Path(path).stem)
    if not year:
        raise ErroreEstratto([Problema(Path(path).name, "l'anno del bilancio demografico deve stare nel nome del file")])
    year = year[1]
    level = "regione" if header[0].casefold() == "regione" else "provincia"
    wanted = {
        "Popolazione al 1° Gennaio - Totale": ("popolazione_1_gennaio", f"{year}-01-01"),
        "Nati - Totale": ("nati", year), "Morti - Totale": ("morti", year),
        "Saldo Migratorio - Totale": ("saldo_migratorio", year),
        "Popolazione al 31 Dicembre - Totale": ("popolazione_31_dicembre", f"{year}-12-31"),
    }
    index = {h.casefold(): i for i, h in enumerate(header)}
    missing = [c for c in wanted if c.casefold() not in index]
    if missing:
        raise ErroreEstratto([Problema(Path(path).name, f"mancano le colonne {', '.join(missing)}", riga=1)])
    out = []
    for n, rec in rows:
        for column, (measure, period) in wanted.items():
            cell = rec[index[column.casefold()]].strip()
            if not re.fullmatch(r"-?\d+", cell):
                raise ErroreEstratto([Problema(Path(path).name, f"«{cell}» non è un numero intero", riga=n, colonna=column)])
            out.append({"territorio": rec[0].strip(), "livello": level, "periodo": period, "dimensione": "totale",
                        "valore_dimensione": "Totale", "misura": measure, "valore": float(cell), "unita": "n",
                        "provvisorio": False, "_riga": n})
    return _frame(out)


def parse_demo_popolazione_eta(path: Path) -> pd.DataFrame:
    """demo.istat.it resident population by single year of age and sex at 1 January (title gives the year)."""
    header, rows, title = _demo_table(path)
    year = re.search(r"(\d{4})", title) or re.search(r"(\d{2})$", Path(path).stem)
    if not year:
        raise ErroreEstratto([Problema(Path(path).name, "manca l'anno nella riga del titolo", riga=1)])
    y = year[1] if len(year[1]) == 4 else f"20{year[1]}"
    index = {h: i for i, h in enumerate(header)}
    level = "regione" if header[0].casefold() == "regione" else "provincia"
    age_col = index.get("Età")
    if age_col is None or "Totale Maschi" not in index or "Totale Femmine" not in index:
        raise ErroreEstratto([Problema(Path(path).name, "attese le colonne Età, Totale Maschi, Totale Femmine", riga=2)])
    out = []
    for n, rec in rows:
        age = rec[age_col].strip()
        if not age.isdigit():  # "Totale" rows are derived, not stored
            continue
        for sex, col in (("maschi", "Totale Maschi"), ("femmine", "Totale Femmine")):
            out.append({"territorio": rec[0].strip(), "livello": level, "periodo": f"{y}-01-01", "dimensione": "sesso|eta",
                        "valore_dimensione": f"{sex}|{int(age)}", "misura": "popolazione", "valore": float(rec[index[col]]),
                        "unita": "n", "provvisorio": False, "_riga": n})
    return _frame(out)


# --- InfoCamere, MEF ---------------------------------------------------------------------------

def parse_infocamere_stock(path: Path) -> pd.DataFrame:
    """InfoCamere open data: active companies by province and ATECO 2007 (the most detailed code given).

    Each row counts the companies classified exactly at that code, so rows add up to the total.
    The stock date is the file name's leading date (2025-06-30-Stock-Imprese-Attive-Italia.csv).
    """
    date = re.match(r"(\d{4}-\d{2}-\d{2})", Path(path).name)
    if not date:
        raise ErroreEstratto([Problema(Path(path).name, "il nome del file deve iniziare con la data dello stock (AAAA-MM-GG)")])
    reader = csv.reader(io.StringIO(read_text(path)), delimiter=";")
    header = next(reader)
    expected = ["Regione", "Provincia", "Settore", "Divisione", "Classe", "Sottocategoria", "Imprese Attive"]
    if [h.strip() for h in header] != expected:
        raise ErroreEstratto([Problema(Path(path).name, f"intestazione inattesa: attese le colonne {', '.join(expected)}", riga=1)])
    out = []
    for n, rec in enumerate(reader, start=2):
        if not rec:
            continue
        if not rec[6].strip().isdigit():
            raise ErroreEstratto([Problema(Path(path).name, f"«{rec[6]}» non è un numero di imprese", riga=n, colonna="G (Imprese Attive)")])
        province = rec[1].strip()
        if province.casefold() == "territorio non definito":  # one per region: keep the region in the name
            province = f"{province} ({rec[0].strip()})"
        out.append({"territorio": province, "livello": "provincia", "periodo": date[1], "dimensione": "sezione_ateco|ateco",
                    "valore_dimensione": f"{rec[2].strip()}|{rec[5].strip()}", "misura": "imprese_attive",
                    "valore": float(rec[6]), "unita": "n", "provvisorio": False, "_riga": n})
    return _frame(out)


def parse_mef_irpef(path: Path) -> pd.DataFrame:
    """MEF - Dipartimento delle Finanze, IRPEF statistics by comune (';', one row per comune)."""
    reader = csv.reader(io.StringIO(read_text(path)), delimiter=";")
    header = [h.strip() for h in next(reader)]
    need = {"Anno di imposta": None, "Codice Istat Comune": None, "Numero contribuenti": None,
            "Reddito imponibile - Ammontare in euro": None}
    for name in need:
        if name not in header:
            raise ErroreEstratto([Problema(Path(path).name, f"manca la colonna «{name}»", riga=1)])
        need[name] = header.index(name)
    out = []
    for n, rec in enumerate(reader, start=2):
        if len(rec) < len(header) // 2:
            continue
        year, comune = rec[need["Anno di imposta"]], rec[need["Codice Istat Comune"]].zfill(6)
        for measure, col, unit in (("contribuenti", "Numero contribuenti", "n"),
                                   ("reddito_imponibile", "Reddito imponibile - Ammontare in euro", "euro")):
            cell = rec[need[col]].strip()
            out.append({"territorio": comune, "livello": "comune", "periodo": year, "dimensione": "totale", "valore_dimensione": "Totale",
                        "misura": measure, "valore": float(cell) if cell else None, "unita": unit,
                        "provvisorio": False, "_riga": n})
    return _frame(out)


PARSERS = {
    "sdmx_ml": parse_sdmx_ml,
    "sdmx_csv": parse_sdmx_csv,
    "istat_export": parse_istat_export,
    "demo_bilancio": parse_demo_bilancio,
    "demo_popolazione_eta": parse_demo_popolazione_eta,
    "infocamere_stock": parse_infocamere_stock,
    "mef_irpef": parse_mef_irpef,
}
