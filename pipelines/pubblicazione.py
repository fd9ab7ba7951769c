"""Publishing an edition: charts (HTML, SVG, PNG), tables (XLSX, CSV), the chapter in accessible
HTML and in PDF printed from that HTML by the same system Chromium (charts stay vector).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import jinja2

from pipelines import italiano as it
from pipelines.capitolo import costruisci
from pipelines.grafici import browser_path, scrivi
from pipelines.settings import DATA_DIR


def scrivi_tabella(t, cartella: Path) -> tuple[Path, Path]:
    """A table as CSV (Italian Excel dialect: ';' and decimal comma) and as XLSX with its caption and source."""
    import openpyxl
    from openpyxl.styles import Font

    cartella.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = cartella / f"{t.nome}.csv", cartella / f"{t.nome}.xlsx"
    t.dati.to_csv(csv_path, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tabella"
    ws.append([f"Tabella {t.numero} – {t.titolo}"])
    ws["A1"].font = Font(bold=True)
    ws.append(list(t.dati.columns))
    for row in t.dati.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
    ws.append([])
    ws.append([t.fonte])
    if t.nota:
        ws.append([t.nota])
    wb.save(xlsx_path)
    return csv_path, xlsx_path


def stampa_pdf(html: Path, pdf: Path) -> Path:
    """Print the HTML to PDF with the system Chromium, headless, no network, no header or footer."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser_path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if result.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"Chromium non ha prodotto il PDF ({result.returncode}): {result.stderr[-800:]}")
    return pdf


def pubblica(conn, edizione_id: str, cartella: Path) -> dict:
    """Build the whole edition in `cartella`; return the paths written."""
    ed, sezioni = costruisci(conn, edizione_id)
    if cartella.exists():
        shutil.rmtree(cartella)  # an edition is rebuilt whole, never patched
    grafici = [g for s in sezioni for g in s.grafici]
    paths = scrivi(grafici, cartella / "grafici")
    tabelle = {}
    for s in sezioni:
        for t in s.tabelle:
            tabelle[t.nome] = scrivi_tabella(t, cartella / "tabelle")
    campione = bool(conn.execute("SELECT bool_or(campione) FROM staging.stg_contesto_osservazioni").fetchone()[0]) \
        or bool(conn.execute("SELECT bool_or(campione) FROM raw.bilancio_voci").fetchone()[0])
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(DATA_DIR / "modelli"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    html = env.get_template("capitolo.html.j2").render(
        ed=ed, camera=ed["camera_obj"], sezioni=sezioni, campione=campione,
        taglio=it.data(ed["data_taglio"]), data_edizione=it.data(ed["data_edizione"]),
        generato_il=it.data(dt.date.today()),
        immagini={g.nome: f"grafici/{g.nome}.svg" for g in grafici})
    html_path = cartella / "capitolo.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = stampa_pdf(html_path, cartella / "capitolo.pdf")
    return {"html": html_path, "pdf": pdf_path, "grafici": paths, "tabelle": tabelle,
            "sezioni": [s.titolo for s in sezioni]}
