"""Publishing an edition: charts (HTML, SVG, PNG, CSV of the plotted values), tables (XLSX, CSV with
CSVW sidecar), the chapter in accessible HTML and in PDF printed from that HTML by the same system
Chromium (charts stay vector), with page numbers and an index that gives the page of each section.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import subprocess
import tempfile
from pathlib import Path

import jinja2

from pipelines import edizioni
from pipelines import italiano as it
from pipelines import tabelle
from pipelines.capitolo import costruisci
from pipelines.chromium import consigli, esegui, limite_secondi
from pipelines.grafici import LARGHEZZA, browser_path, dati_grafico, scrivi
from pipelines.istantanea import cartella_atomica, relocate
from pipelines.settings import DATA_DIR


def stampa_pdf(html: Path, pdf: Path) -> Path:
    """Print the HTML to PDF with the system Chromium, headless, no network, no browser header or
    footer (the page numbers come from the page's own CSS), under the time limit of pipelines.chromium
    (raises ChromiumBloccato, Italian, naming the page)."""
    browser = browser_path()
    limite = limite_secondi()
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()]
        result = esegui(cmd, limite, lambda: f"Stampa PDF interrotta: Chromium non ha prodotto {pdf.name} da {html.name} "
                                             f"entro {limite:g} secondi. " + consigli(browser))
    if result.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"Chromium non ha prodotto il PDF ({result.returncode}): {result.stderr[-800:]}")
    return pdf


def testo_pagine(pdf: Path) -> list[str]:
    """The text of each page of `pdf` (poppler's pdftotext), in order."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pagine_titoli(pdf: Path, titoli: list[str]) -> dict[str, int]:
    """The page (1-based) where each heading of `titoli` is printed: the first line equal to the heading
    (index lines carry a page number after it, so they never match)."""
    found: dict[str, int] = {}
    for n, page in enumerate(testo_pagine(pdf), start=1):
        lines = {re.sub(r"\s+", " ", ln).strip() for ln in page.splitlines()}
        for t in titoli:
            if t not in found and t in lines:
                found[t] = n
    return found


def _copertina(ed: dict) -> dict[str, str]:
    camera = ed["camera_obj"]
    return {"Documento": f"{camera.nome} – {ed['documento']}, «{ed['titolo']}»",
            "Dati aggiornati al": it.data(edizioni.data_aggiornamento(ed)),
            "Edizione del": it.data(ed["data_edizione"])}


IMPRONTA = ".impronta.json"


def impronta(ed: dict, sezioni: list) -> str:
    """Fingerprint of everything an edition prints: its sentences, every table (cells, caption, source line,
    note) and chart (figure, title, alt text), the page templates and the code that renders them."""
    digest = hashlib.sha256(repr(sorted((k, str(v)) for k, v in ed.items())).encode("utf-8"))
    code = [Path(__file__), Path(tabelle.__file__), Path(scrivi.__code__.co_filename),
            *sorted((DATA_DIR / "modelli").glob("*"))]
    for path in code:
        digest.update(path.read_bytes())
    for s in sezioni:
        digest.update(repr({k: v for k, v in vars(s).items() if k not in ("tabelle", "grafici")}).encode("utf-8"))
        for t in s.tabelle:
            digest.update(repr({k: v for k, v in vars(t).items() if k != "dati"}).encode("utf-8"))
            digest.update(t.dati.to_csv(index=False).encode("utf-8"))
        for g in s.grafici:
            digest.update(repr({k: v for k, v in vars(g).items() if k != "figura"}).encode("utf-8"))
            digest.update(g.figura.to_json().encode("utf-8"))
    return digest.hexdigest()


def _to_json(obj):
    if isinstance(obj, Path):
        return {"__path__": str(obj)}
    if isinstance(obj, dict):
        return {k: _to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_to_json(v) for v in obj]
    return obj


def _from_json(obj):
    if isinstance(obj, dict):
        return Path(obj["__path__"]) if set(obj) == {"__path__"} else {k: _from_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_from_json(v) for v in obj]
    return obj


def _paths(obj) -> list[Path]:
    if isinstance(obj, Path):
        return [obj]
    if isinstance(obj, dict):
        return [p for v in obj.values() for p in _paths(v)]
    if isinstance(obj, (list, tuple)):
        return [p for v in obj for p in _paths(v)]
    return []


def _edizione_gia_scritta(cartella: Path, firma: str) -> dict | None:
    """The outputs of the edition in `cartella` if it was written from the same fingerprint and every file is there."""
    marker = cartella / IMPRONTA
    if not marker.exists():
        return None
    saved = json.loads(marker.read_text(encoding="utf-8"))
    out = _from_json(saved.get("uscite"))
    if saved.get("firma") != firma or not all(p.exists() for p in _paths(out)):
        return None
    return out


def pubblica(conn, edizione_id: str | dict, cartella: Path) -> dict:
    """Build the whole edition (an id, or an edition dict of pipelines.edizioni) in `cartella` (rebuilt
    whole, never patched): charts, tables, HTML, PDF. Returns the paths written: {"html", "pdf",
    "grafici": {nome: {formato: path}}, "tabelle": {...}, "sezioni": [titoli], "pagine": {titolo: pagina},
    "mancanti": [capitolo.Mancanza: what the chapter left out for lack of data, and why], "rilasci_successivi":
    the Italian note of a dated edition whose health figures include releases later than its date
    (rapporto_salute.nota_rilasci), else None} and "ricostruita".
    When nothing the edition prints changed since the edition in `cartella` was written (same fingerprint,
    every file there), the folder is left as it is ("ricostruita": False). Raises RuntimeError when Chromium
    fails; never on missing data."""
    from pipelines.rapporto_salute import nota_rilasci

    ed, sezioni = costruisci(conn, edizione_id)
    firma = impronta(ed, sezioni)
    notes = {"mancanti": ed["mancanti"],
             "rilasci_successivi": nota_rilasci(ed["rilasci_successivi"]) if ed.get("rilasci_successivi") else None}
    written = _edizione_gia_scritta(cartella, firma)
    if written is not None:
        return {**written, **notes, "ricostruita": False}
    # written beside the edition's folder and swapped in whole: a killed run leaves the previous edition
    with cartella_atomica(cartella) as tmp:
        out = _scrivi_edizione(ed, sezioni, firma, tmp, cartella)
    return {**out, **notes, "ricostruita": True}


def scrivi_tabelle(ed: dict, sezioni: list, cartella: Path) -> dict[str, dict[str, Path]]:
    """Every table of a built chapter (`capitolo.costruisci`) as XLSX, CSV and CSVW sidecar in `cartella`,
    dated by the edition (never by today: the same edition written again is the same files).
    Returns {nome: {formato: path}}."""
    copertina, quando = _copertina(ed), dt.datetime.combine(ed["data_edizione"], dt.time())
    out = {}
    for s in sezioni:
        for t in s.tabelle:
            foglio = tabelle.Foglio(t.nome, f"Tabella {t.numero} – {t.titolo}", t.dati, t.fonte, t.nota,
                                    t.etichette, t.decimali)
            out[t.nome] = tabelle.scrivi(foglio, cartella, copertina, quando)
    return out


def _scrivi_edizione(ed: dict, sezioni: list, firma: str, tmp: Path, cartella: Path) -> dict:
    """Write the whole edition into `tmp`; return its outputs as paths inside `cartella` (where it will be)."""
    grafici = [g for s in sezioni for g in s.grafici]
    paths = scrivi(grafici, tmp / "grafici")
    copertina = _copertina(ed)
    for g in grafici:
        foglio = tabelle.Foglio(g.nome, f"Figura {g.numero} – {g.titolo}: valori del grafico", dati_grafico(g.figura),
                                g.fonte, g.nota)
        csv_path, sidecar = tabelle.scrivi_csv(foglio, tmp / "grafici" / f"{g.nome}.csv", copertina)
        paths[g.nome].update(csv=csv_path, json=sidecar)
    tab = scrivi_tabelle(ed, sezioni, tmp / "tabelle")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(DATA_DIR / "modelli"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    illustrativi = any(t.nota and "illustrativ" in t.nota for s in sezioni for t in s.tabelle) or \
        any(g.nota and "illustrativ" in g.nota for g in grafici)
    env.filters["groupby_piccolo"] = lambda gs: [(k, list(v)) for k, v in itertools.groupby(
        gs, key=lambda g: (g.figura.layout.width or LARGHEZZA) < LARGHEZZA)]
    titoli = [f"{n}. {s.titolo}" for n, s in enumerate(sezioni, start=1)]

    def render(pagine: dict[str, int]) -> Path:
        html = env.get_template("capitolo.html.j2").render(
            ed=ed, camera=ed["camera_obj"], sezioni=sezioni, illustrativi=illustrativi, titoli=titoli, pagine=pagine,
            taglio=it.data(edizioni.data_aggiornamento(ed)), data_edizione=it.data(ed["data_edizione"]),
            generato_il=it.data(ed["data_edizione"]),  # not today: an edition rebuilt later is the same document
            immagini={g.nome: f"grafici/{g.nome}.svg" for g in grafici},
            larghezze={g.nome: g.figura.layout.width for g in grafici})
        path = tmp / "capitolo.html"
        path.write_text(html, encoding="utf-8")
        return path

    # the index's page numbers: print once with placeholders of the same width, read where each
    # heading fell, print again with the numbers (the index does not change length, so neither do they)
    html_path = render({t: 0 for t in titoli})
    pdf_path = stampa_pdf(html_path, tmp / "capitolo.pdf")
    pagine = pagine_titoli(pdf_path, titoli)
    render(pagine)
    pdf_path = stampa_pdf(html_path, tmp / "capitolo.pdf")
    if pagine_titoli(pdf_path, titoli) != pagine:
        raise RuntimeError("Le pagine dell'indice non corrispondono a quelle del PDF dopo la seconda stampa.")
    out = relocate({"html": html_path, "pdf": pdf_path, "grafici": paths, "tabelle": tab,
                    "sezioni": [s.titolo for s in sezioni], "pagine": pagine}, tmp, cartella)
    # last: an interrupted build leaves no fingerprint and is redone next time
    (tmp / IMPRONTA).write_text(json.dumps({"firma": firma, "uscite": _to_json(out)}), encoding="utf-8")
    return out
