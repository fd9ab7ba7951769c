"""Downloadable tables for analysts: XLSX following the UK statistical spreadsheet conventions
(GSS "Releasing statistics in spreadsheets": a cover sheet with title, source, cut-off and notes; the
table on its own sheet starting in A1 with one header row of readable names with units, numbers
stored as numbers with a display format, territory names beside codes, no merged cells, an Excel
table so filters and pivots work) and CSV with plain numbers plus a CSVW sidecar
(W3C "Metadata Vocabulary for Tabular Data") describing columns, dialect and source.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# Labels (with units) for the data columns the chapter's tables share; a table adds its own in
# `etichette`. A column without a label is refused: analysts never meet `valore_dimensione`.
EPOCA = dt.datetime(1980, 1, 1)  # the earliest date a zip can hold: files written without an edition date

ETICHETTE_COMUNI = {
    "territorio": "Territorio",
    "territorio_id": "Codice territorio",
    "anno": "Anno",
    "periodo": "Periodo",
    "valore": "Valore",
    "serie": "Serie",
    "categoria": "Categoria",
    "pannello": "Pannello",
    "indicatore": "Codice indicatore",
    "nome": "Indicatore",
}
# the columns that say which row a figure is on (its period; a chart's series, category and panel),
# even when they hold numbers: labels of a figure, never figures themselves (pipelines/confronto.py)
COLONNE_ETICHETTA = {"anno", "periodo", "serie", "categoria", "pannello"}
# a header that still looks like a column name or a code (valore_dimensione, P046, R09)
NOME_TECNICO = re.compile(r"^([a-z0-9]+(_[a-z0-9]+)+|[A-Z]{1,2}\d{2,3}|[a-z]+)$")


@dataclass
class Foglio:
    """One downloadable table: data (unformatted), Italian title, "Fonte:" line, notes, labels."""
    nome: str
    titolo: str
    dati: pd.DataFrame
    fonte: str
    nota: str | None = None  # several notes one a line ("\n")
    etichette: dict[str, str] = field(default_factory=dict)
    decimali: dict[str, int] = field(default_factory=dict)


def etichetta(f: Foglio, colonna: str) -> str:
    """The readable Italian header (with unit) of `colonna`; raises ValueError when none is known."""
    label = f.etichette.get(colonna) or ETICHETTE_COMUNI.get(colonna)
    if label is None:
        if not NOME_TECNICO.match(str(colonna)):
            return str(colonna)  # already a readable header
        raise ValueError(f"Tabella «{f.nome}»: manca l'intestazione leggibile della colonna «{colonna}».")
    return label


def _intero(s: pd.Series) -> bool:
    vals = pd.to_numeric(s, errors="coerce").dropna()
    return len(vals) > 0 and bool(((vals - vals.round()).abs() < 1e-9).all())


def dati_puliti(df: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers (no ",0"), binary noise rounded away (6 decimals), missing as empty. A column of
    numbers with gaps that pandas left as objects (e.g. a rank that is None where a value is n.d.) is numeric."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_bool_dtype(out[c]):
            continue
        if out[c].dtype == object and pd.api.types.infer_dtype(out[c], skipna=True) in (
                "integer", "floating", "mixed-integer-float", "decimal"):
            out[c] = pd.to_numeric(out[c])
        if pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].astype("Float64").round(6)
            if _intero(out[c]):
                out[c] = out[c].round().astype("Int64")
    return out


# the CSVW sidecar's annotation of a numeric column with the decimals the edition prints it with (XLSX
# display format, `osservatorio edizione confronta`): SDMX-RDF's attribute "decimals", as CSVW wants a
# non-core property named by an absolute URL
DECIMALI_CSVW = "http://purl.org/linked-data/sdmx/2009/attribute#decimals"


def decimali_stampa(s: pd.Series, decimali: int | None) -> int:
    """The decimals a numeric column is printed with: the table's own (`decimali`), else 0 for whole
    numbers and 1 for the others."""
    if _intero(s) and not decimali:
        return 0
    return 1 if decimali is None else decimali


def _formato(s: pd.Series, decimali: int | None) -> str:
    d = decimali_stampa(s, decimali)
    return "#,##0" + ("." + "0" * d if d else "")


def scrivi_xlsx(f: Foglio, path: Path, copertina: dict[str, str], quando: dt.datetime = EPOCA) -> Path:
    """Cover sheet ("Copertina": title, what the table shows, source, cut-off, notes, column list)
    and the table ("Tabella": header in A1, number formats, an Excel table for filters)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    df = dati_puliti(f.dati)
    headers = [etichetta(f, c) for c in df.columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"Tabella «{f.nome}»: intestazioni ripetute {headers}.")
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Copertina"
    lines: list[tuple[str, bool]] = [(f.titolo, True), ("", False)]
    for key, value in copertina.items():
        lines += [(key, True), (value, False), ("", False)]
    lines += [("Fonte", True), (f.fonte, False), ("", False)]
    if f.nota:
        lines += [("Note", True), *[(n, False) for n in f.nota.split("\n")], ("", False)]  # one note a line
    lines += [("Contenuto del foglio «Tabella»", True),
              ("Una riga di intestazione in A1, poi una riga per osservazione; celle vuote = dato non disponibile.", False)]
    lines += [(f"{h}", False) for h in headers]
    for text, bold in lines:
        cover.append([text])
        if bold:
            cover.cell(cover.max_row, 1).font = Font(bold=True, size=14 if text == f.titolo else 11)
    cover.column_dimensions["A"].width = 110
    for row in cover.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet("Tabella")
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        ws.cell(1, c).font = Font(bold=True)
        ws.cell(1, c).alignment = Alignment(wrap_text=True, vertical="top")
    for row in df.itertuples(index=False):
        ws.append([None if v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)) else
                   (v.item() if hasattr(v, "item") else v) for v in row])
    for j, col in enumerate(df.columns, start=1):
        letter = get_column_letter(j)
        if pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            fmt = _formato(df[col], f.decimali.get(col))
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        width = max([len(headers[j - 1]) * 0.9] + [len(str(v)) for v in df[col].astype(str)]) + 2
        ws.column_dimensions[letter].width = min(max(width, 10), 60)
    ws.freeze_panes = "A2"
    if len(df):
        ref = f"A1:{get_column_letter(len(headers))}{len(df) + 1}"
        table = Table(displayName=re.sub(r"\W", "_", f"T_{f.nome}")[:250], ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    wb.properties.created = wb.properties.modified = quando  # a rebuilt edition is the same file
    wb.save(path)
    return zip_riproducibile(path, quando)


def zip_riproducibile(path: Path, quando: dt.datetime) -> Path:
    """Rewrite a zip (XLSX) with every member dated `quando`: zipfile stamps members with the current
    time, so the same workbook saved twice would differ by its dates alone."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename == "docProps/core.xml":  # openpyxl writes the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + quando.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=quando.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            out.writestr(fixed, data)
    return path


def scrivi_csv(f: Foglio, path: Path, copertina: dict[str, str]) -> tuple[Path, Path]:
    """CSV in the Italian Excel dialect (';', decimal comma, UTF-8 with BOM) with plain numbers, and
    its CSVW sidecar `<nome>.csv-metadata.json` (columns with titles, types, source, notes)."""
    df = dati_puliti(f.dati)
    df.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    columns = []
    for c in df.columns:
        if pd.api.types.is_bool_dtype(df[c]):
            base = {"base": "boolean"}
        elif pd.api.types.is_integer_dtype(df[c]):
            base = {"base": "integer"}
        elif pd.api.types.is_numeric_dtype(df[c]):
            base = {"base": "decimal", "format": {"decimalChar": ","}}
        else:
            base = {"base": "string"}
        column = {"name": str(c), "titles": etichetta(f, c), "datatype": base}
        if base["base"] in ("integer", "decimal"):
            column[DECIMALI_CSVW] = decimali_stampa(df[c], f.decimali.get(c))
        columns.append(column)
    meta = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "it"}],
        "url": path.name,
        "dc:title": f.titolo,
        "dc:source": f.fonte,
        "dc:description": "; ".join(f"{k}: {v}" for k, v in copertina.items()),
        "notes": f.nota.split("\n") if f.nota else [],
        "dialect": {"delimiter": ";", "encoding": "utf-8", "header": True},
        "tableSchema": {"columns": columns},
    }
    sidecar = path.with_name(path.name + "-metadata.json")
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return path, sidecar


def scrivi(f: Foglio, cartella: Path, copertina: dict[str, str], quando: dt.datetime = EPOCA) -> dict[str, Path]:
    """The table as XLSX, CSV and CSVW sidecar in `cartella`; returns {formato: path}."""
    cartella.mkdir(parents=True, exist_ok=True)
    csv_path, sidecar = scrivi_csv(f, cartella / f"{f.nome}.csv", copertina)
    return {"csv": csv_path, "json": sidecar, "xlsx": scrivi_xlsx(f, cartella / f"{f.nome}.xlsx", copertina, quando)}
