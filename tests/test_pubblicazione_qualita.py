"""The published edition read as a reader would: the PDF (pages, fill, page numbers, index, searchable
text), the charts (units, one title, pyramid labels), the HTML on a phone, the tables for analysts
(XLSX by the GSS conventions, opened by LibreOffice; CSV with its CSVW sidecar), the health report as
the Camera prints it with the OIV appendix. `make test` leaves screenshots of the HTML (1280 and
390 px) and of every PDF page in output/schermate/ (or OSSERVATORIO_SCHERMATE)."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import PROJECT

LIGATURES = re.compile("[\ufb00-\ufb06]")
TECHNICAL = re.compile(r"^([a-z0-9]+(_[a-z0-9]+)+|[A-Z]{1,2}\d{2,3})$")


@pytest.fixture(scope="session")
def edition(lucca_warehouse) -> Path:
    return lucca_warehouse.parent.parent / "output" / "lucca_pp2019"


@pytest.fixture(scope="session")
def chapter(lucca_warehouse):
    import duckdb

    from pipelines.capitolo import costruisci

    conn = duckdb.connect(str(lucca_warehouse), read_only=True)
    try:
        yield costruisci(conn, "lucca_pp2019")
    finally:
        conn.close()


def pgm_fill(path: Path, top_mm: float = 16, bottom_mm: float = 18) -> float:
    """Share of a page's printable height that holds ink (lowest non-white row), from a grey PGM."""
    data = path.read_bytes()
    _, w, h, _, pixels = data.split(maxsplit=4)
    w, h = int(w), int(h)
    pixels = pixels[-w * h:]
    height_mm = 297 if h > w else 210  # A4, portrait or landscape
    top, bottom = int(h * top_mm / height_mm), h - int(h * bottom_mm / height_mm)
    last = top
    for y in range(top, bottom):
        if min(pixels[y * w:(y + 1) * w]) < 200:
            last = y
    return (last - top) / (bottom - top)


@pytest.fixture(scope="session")
def pdf_pages(edition, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pagine")
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(edition / "capitolo.pdf"), str(folder / "p")], check=True)
    return sorted(folder.glob("p*.pgm"))


def test_pdf_pages_numbered_filled_and_indexed(edition, pdf_pages):
    from pipelines.pubblicazione import pagine_titoli, testo_pagine

    pages = testo_pagine(edition / "capitolo.pdf")
    assert len(pages) == len(pdf_pages)
    assert 8 <= len(pages) <= 20, len(pages)  # 25 pages before, 13 of them half blank
    for n, text in enumerate(pages[1:], start=2):  # the first page carries no number
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        assert lines[-1] == str(n), (n, lines[-3:])
    # the index gives the page where each section starts
    raw = (edition / "capitolo.html").read_text(encoding="utf-8")
    titles = [htmllib.unescape(t) for t in re.findall(r'<h2 id="sez\d+-titolo">([^<]+)</h2>', raw)]
    index = dict(re.findall(r"^\s*(\d+\. .+?)\s{2,}(\d+)\s*$", pages[0], flags=re.M))
    where = pagine_titoli(edition / "capitolo.pdf", titles)
    assert set(where) == set(titles) and {t: int(index[t]) for t in titles} == where
    # no page under half full except a section's last page and the document's last
    assert pgm_fill(pdf_pages[-1]) >= 0.1, "ultima pagina quasi vuota"
    starts = set(where.values())
    for n, page in enumerate(pdf_pages, start=1):
        if n == len(pdf_pages) or (n + 1) in starts:
            continue
        assert pgm_fill(page) >= 0.5, f"pagina {n} piena solo al {pgm_fill(page):.0%}"


def test_no_table_or_figure_split_across_pages(edition):
    """A table's or figure's caption and its "Fonte:" line are on the same page."""
    from pipelines.pubblicazione import testo_pagine

    open_item, seen = None, 0
    for n, page in enumerate(testo_pagine(edition / "capitolo.pdf"), start=1):
        for line in page.splitlines():
            caption = re.match(r"\s*((Tabella|Figura) \d+) –", line)
            if caption:
                assert open_item is None, f"{open_item[0]} senza «Fonte:»"
                open_item = (caption.group(1), n)
            elif line.strip().startswith("Fonte:") and open_item:
                assert open_item[1] == n, f"{open_item[0]} divisa tra le pagine {open_item[1]} e {n}"
                open_item, seen = None, seen + 1
    assert open_item is None and seen >= 20


def test_pdf_text_is_searchable(edition):
    text = subprocess.run(["pdftotext", str(edition / "capitolo.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert not LIGATURES.search(text), LIGATURES.findall(text)[:5]
    # chart text is text, not outlines: the axis units of the charts can be found
    assert "milioni di euro" in text and "sedi d'impresa (numero)" in text
    for svg in (edition / "grafici").glob("*.svg"):
        assert "font-variant-ligatures:none" in svg.read_text(encoding="utf-8"), svg.name


def test_charts_one_title_units_and_pyramid(chapter):
    from pipelines.grafici import asse_valori

    _, sezioni = chapter
    charts = [g for s in sezioni for g in s.grafici]
    assert len(charts) >= 10
    for g in charts:
        assert not g.figura.layout.title.text, f"{g.nome}: titolo dentro l'immagine"
        assert all(asse_valori(g.figura)), f"{g.nome}: asse dei valori senza unità"
        for name in ("xaxis", "yaxis"):  # labels never cut: margins grow to fit them
            assert g.figura.layout.template.layout[name].automargin, (g.nome, name)
    pyramid = next(g for g in charts if g.nome == "piramide_eta")
    labels = pyramid.figura.layout.xaxis.ticktext
    assert labels and not any(t.startswith(("-", "−")) for t in labels)
    assert labels == labels[::-1]  # the same positive labels on both sides


def test_interactive_pages_italian_titled_one_link_each(edition, chapter):
    _, sezioni = chapter
    charts = [g for s in sezioni for g in s.grafici]
    raw = (edition / "capitolo.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="solo-schermo" href="grafici/([^"]+)\.html">([^<]+)</a>', raw)
    assert len(links) == len(charts) == len({text for _, text in links})
    assert "Versione interattiva" not in raw
    for name, _ in links:
        page = (edition / "grafici" / f"{name}.html").read_text(encoding="utf-8")
        assert '<html lang="it">' in page
        title = re.search(r"<title>([^<]*)</title>", page).group(1)
        assert len(title) > 15 and "Figura" in title
        assert '"locale": "it"' in page and "Scarica il grafico come PNG" in page
        assert (edition / "grafici" / f"{name}.csv").exists()


def _chromium(*args, timeout=120):
    from pipelines.grafici import browser_path

    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([browser_path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               f"--user-data-dir={profile}", "--hide-scrollbars", *args],
                              capture_output=True, text=True, timeout=timeout, check=True)


def _telefono(edition: Path, folder: Path, height: int = 800) -> Path:
    """A page showing the chapter in a 390 px wide frame (headless Chromium windows are at least 500 px)."""
    for sub in ("grafici", "tabelle"):
        if not (folder / sub).exists():
            (folder / sub).symlink_to(edition / sub)
    shutil.copy(edition / "capitolo.html", folder / "capitolo.html")
    frame = folder / "telefono.html"
    frame.write_text(
        f'<!DOCTYPE html><html lang="it"><head><title>telefono</title></head><body style="margin:0">'
        f'<iframe id="f" src="capitolo.html" style="width:390px;height:{height}px;border:0"></iframe>'
        "<script>document.getElementById('f').addEventListener('load', () => {"
        " const d = document.getElementById('f').contentDocument.documentElement;"
        " document.title = 'LARGHEZZA=' + d.scrollWidth + ' FINESTRA=' + d.clientWidth; });</script>"
        "</body></html>", encoding="utf-8")
    return frame


def test_html_fits_a_phone(edition, tmp_path):
    """At 390 px the page does not scroll sideways (wide tables scroll inside their own box)."""
    frame = _telefono(edition, tmp_path)
    dom = _chromium("--allow-file-access-from-files", "--window-size=500,800", "--virtual-time-budget=5000",
                    "--dump-dom", frame.as_uri()).stdout
    width, window = map(int, re.search(r"LARGHEZZA=(\d+) FINESTRA=(\d+)", dom).groups())
    assert window == 390 and width <= window, (width, window)
    raw = (edition / "capitolo.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in raw


def test_screenshots_for_people(edition, tmp_path):
    """Not a check: leaves the pictures anyone can look at (HTML at 1280 and 390 px, every PDF page)."""
    folder = Path(os.environ.get("OSSERVATORIO_SCHERMATE", PROJECT / "output" / "schermate"))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shot = folder / "capitolo_1280px.png"
    _chromium("--window-size=1280,4000", f"--screenshot={shot}", (edition / "capitolo.html").resolve().as_uri())
    phone = folder / "capitolo_390px.png"
    _chromium("--allow-file-access-from-files", "--window-size=500,7000", f"--screenshot={phone}",
              _telefono(edition, tmp_path, 7000).as_uri())
    assert shot.stat().st_size > 20_000 and phone.stat().st_size > 20_000
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(edition / "capitolo.pdf"), str(folder / "pdf_pagina")],
                   check=True)
    assert len(list(folder.glob("pdf_pagina*.png"))) >= 8


def test_xlsx_follow_the_spreadsheet_conventions(edition):
    import openpyxl

    files = sorted((edition / "tabelle").glob("*.xlsx"))
    assert len(files) >= 8
    for path in files:
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["Copertina", "Tabella"], path.name
        cover = [c.value for c in wb["Copertina"]["A"] if c.value]
        assert cover[0].startswith("Tabella ") and any(str(v).startswith("Fonte:") for v in cover)
        assert "Dati aggiornati al" in cover
        ws = wb["Tabella"]
        assert not ws.merged_cells.ranges and ws.tables, path.name
        headers = [c.value for c in ws[1]]
        assert all(h and not TECHNICAL.match(str(h)) for h in headers), (path.name, headers)
        numeric = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, (int, float))
                   and not isinstance(c.value, bool)]
        assert numeric, path.name
        assert all(c.number_format != "General" for c in numeric), path.name
        if "Territorio" in headers:
            assert "Codice territorio" in headers, path.name
    ws = openpyxl.load_workbook(edition / "tabelle" / "valore_aggiunto_territorio.xlsx")["Tabella"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "Lucca")
    assert row[1] == "P046" and row[2] == 9810 and round(row[3], 1) == 9.6


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice non installato (facoltativo: `make system-office`)")
def test_xlsx_open_in_libreoffice(edition, tmp_path):
    for name in ("valore_aggiunto_territorio", "stato_salute", "avviamenti_contratto"):
        # sheet 2 ("Tabella") as CSV, comma-separated, UTF-8 (LibreOffice filter options, token 12 = sheet)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profilo",
                        "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2',
                        "--outdir", str(tmp_path), str(edition / "tabelle" / f"{name}.xlsx")],
                       check=True, capture_output=True, timeout=180)
        out = next(tmp_path.glob(f"{name}*.csv"))
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert all(h and not TECHNICAL.match(h) for h in rows[0]), rows[0]
        numbers = [v for r in rows[1:] for v in r if re.fullmatch(r"-?[\d.]+(,\d+)?", v)]
        assert numbers, rows[:3]


def test_csv_plain_numbers_and_sidecar(edition):
    text = (edition / "tabelle" / "avviamenti_contratto.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == "Totale;63711;66201;3,908273"
    assert not re.search(r";\d+,0(;|$)", text, flags=re.M)
    for csv_path in (edition / "tabelle").glob("*.csv"):
        meta = json.loads(csv_path.with_name(csv_path.name + "-metadata.json").read_text(encoding="utf-8"))
        header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
        assert [c["name"] for c in meta["tableSchema"]["columns"]] == header
        assert meta["dc:source"].startswith("Fonte:") and meta["dialect"]["delimiter"] == ";"
        assert all(c["titles"] and not TECHNICAL.match(c["titles"]) for c in meta["tableSchema"]["columns"])


def _text(edition) -> str:
    raw = (edition / "capitolo.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)))


def test_health_table_as_the_camera_prints_it(chapter, edition):
    _, sezioni = chapter
    table = next(t for s in sezioni for t in s.tabelle if t.nome == "stato_salute")
    assert table.colonne[2:] == ["Obiettivo 2019", "Preconsuntivo 2018", "2017", "2016", "2015",
                                 "Esito 2018 rispetto all'obiettivo"]
    groups = [r[0] for r in table.righe if len(r) == 1]
    assert len(groups) == 2 and groups[0].startswith("Indicatori di struttura")
    rows = {r[0]: r for r in table.righe if len(r) > 1}
    assert rows["Margine di struttura finanziaria a breve"][2:8] == \
        ["380% - 390%", "398,2%", "399,4%", "415,0%", "91,2%", "non raggiunto"]
    assert rows["Costo medio di funzionamento per dipendente (valore in euro)"][2:4] == ["<= 26.000", "24.827,0"]
    assert rows["Solidità o indipendenza finanziaria"][-1] == "raggiunto"
    # the Camera's own published figures carry no mark; the one value that differs from it does
    stars = [(r[0], c) for r in table.righe for c in r if c.endswith(" *")]
    assert stars == [("Efficienza operativa (valore in euro)", "82,5 *")]
    assert table.nota and table.nota.count("illustrativ") == 1
    text = _text(edition)
    assert "non costituisce un dato dell'Ente" not in text and "pipeline" not in text and "magazzino" not in text
    assert "Nel 2018 sono cinque gli indicatori che non rispettano il valore obiettivo del 2019" in text


def test_oiv_appendix_and_benchmark(chapter, edition):
    _, sezioni = chapter
    titles = [s.titolo for s in sezioni]
    assert titles[-1] == "Appendice: verifica dei valori pubblicati"
    outcome, current = {}, None
    for r in (r for s in sezioni for t in s.tabelle if t.nome.startswith("verifica_pubblicati") for r in t.righe):
        if len(r) == 1:
            current = r[0]  # the indicator's group row
        else:
            outcome[(current, r[0])] = (r[1], r[2], r[3])
    assert outcome[("Efficienza operativa", "2018 (preconsuntivo)")][:2] == ("88,1", "82,5")
    assert outcome[("Efficienza operativa", "2018 (preconsuntivo)")][2].startswith("non riprodotto")
    assert outcome[("Equilibrio economico della gestione corrente", "2017")][2].startswith("differenza di arrotondamento")
    assert len(outcome) == 54
    text = _text(edition)
    # a value printed twice (001:320 and 001:1122) is one published value
    assert ("dei 54 valori pubblicati 13 sono riprodotti dai dati pubblicati, 39 sono riprodotti solo con valori "
            "illustrativi (non sono una prova), 1 differisce per un arrotondamento e 1 non è riprodotto con i valori "
            "illustrativi.") in text
    bench = next(s for s in sezioni if s.titolo == "Il confronto con le altre Camere")
    units = {g.titolo.rsplit("(", 1)[1].rstrip(")") for g in bench.grafici}
    assert {"giorni", "%", "euro", "ore"} <= units  # one chart per indicator, each in its own unit
    assert bench.tabelle and all("Unioncamere" not in g.fonte for g in bench.grafici)  # the panel is illustrative
    # Lucca's 101,8% (Q6) is n.d. in the table: said once, under the table, naming the indicator; no chart repeats it
    fuori = ("n.d.: dato non disponibile perché il valore della Camera per «Fatture pagate entro 30 giorni» è fuori "
             "dall'intervallo ammesso dall'indicatore")
    assert fuori in bench.tabelle[0].nota and "alla data di aggiornamento" not in bench.tabelle[0].nota
    assert text.count("fuori dall'intervallo") == 1
    assert not [g.titolo for g in bench.grafici if "n.d." in (g.nota or "")]


# --- the model chapters' inventory (data/catalog/capitolo_modello.csv) --------------------------

def _con_dati(conn, ed: dict, item: dict) -> bool:
    """The item's data for the edition's territory (or its sub-provincial areas) with a period ending by the
    edition's cut-off and published by the edition date (a declared release; a release equal to the day its
    file was loaded is unknown: the period's end plus the source's ritardo_mesi), asked of the warehouse
    directly (not through the chapter's own helper)."""
    import pandas as pd
    import yaml

    from pipelines.loading import reference_date

    lags = {k: v.get("ritardo_mesi") or 12 for k, v in yaml.safe_load(
        (PROJECT / "data" / "registry" / "fonti.yaml").read_text(encoding="utf-8"))["fonti"].items()}
    loads = set(conn.execute("SELECT DISTINCT fonte, CAST(caricato_il AS DATE) FROM meta.caricamenti").fetchall())

    def out(periodo, fonte, rilascio):
        ref = reference_date(periodo)
        if (fonte, rilascio) not in loads:
            return rilascio
        return min(rilascio, (pd.Timestamp(ref) + pd.DateOffset(months=lags[fonte])).date())

    tid = f"P{ed['camera_obj'].province[0]}"
    ids = [tid]
    if item["livello"] == "area":
        ids = [r[0] for r in conn.execute("SELECT territorio_id FROM marts.dim_territorio WHERE livello = 'area' "
                                          "AND provincia_id = ?", [tid]).fetchall()]
    extra = f" AND ({item['filtro']})" if item["filtro"] else ""
    rows = conn.execute(
        "SELECT DISTINCT periodo, fonte, CAST(rilascio AS DATE) FROM marts.contesto_osservazioni WHERE misura = ? "
        f"AND dimensione = ? AND territorio_id IN (SELECT unnest(?)){extra}", [item["misura"], item["dimensione"], ids]
    ).fetchall()
    return any((ref := reference_date(p)) is not None and ref <= ed["data_taglio"]
               and out(p, f, r) <= ed["data_edizione"] for p, f, r in rows)


@pytest.mark.parametrize("edizione,modello", [("lucca_pp2019", "001"), ("lucca_rpp2020", "003")])
def test_every_model_item_with_data_is_in_the_edition(lucca, edizione, modello):
    """Each table, chart and prose block of the model chapter (001: the 2019 plan, 003: the RPP 2020) whose
    data are in the bundled sample for the edition's cut-off is in the generated edition; each of the others
    is listed in the closing note "Informazioni non disponibili" with the data it lacks. Prints the list."""
    from pipelines.capitolo import costruisci

    ed, sezioni = costruisci(lucca, edizione)
    tables = {t.nome for s in sezioni for t in s.tabelle}
    charts = {g.nome for s in sezioni for g in s.grafici}
    text = " ".join(p for s in sezioni for p in s.paragrafi)
    noted = {(m.sezione, m.elemento.lower()): m.motivo for m in ed["mancanti"]}
    items = [i for i in csv.DictReader((PROJECT / "data" / "catalog" / "capitolo_modello.csv").open(encoding="utf-8"))
             if i["modello"] == modello]
    assert len(items) >= 25
    present, absent = [], []
    for item in items:
        kind, _, name = item["nostro"].partition(":")
        built = (name in tables if kind == "tabella" else name in charts if kind == "grafico"
                 else name in text if kind == "testo" else False)
        if _con_dati(lucca, ed, item):
            assert built, f"{item['id']} «{item['titolo']}»: i dati ci sono ma l'edizione non ha {item['nostro'] or 'nulla'}"
            present.append(item["id"])
        else:
            assert not built, f"{item['id']}: senza dati, eppure presente"
            # listed with its reason: by its section unit, or (no unit yet) by the model inventory
            reason = noted.get((item["sezione"], item["titolo"].lower()))
            assert reason or any(m.sezione == item["sezione"] for m in ed["mancanti"]), item["id"]
            absent.append(f"{item['id']} {item['titolo']}: {reason or 'vedi la nota della sezione'}")
    print(f"\n{edizione} (modello {modello}): {len(present)} elementi presenti, {len(absent)} mancanti")
    print("\n".join(absent))
    # 001: not L24, the spending on durables: the bundle has Findomestic's October 2019 release only
    expected = {"001": {"L01", "L02", "L03", "L05", "L07", "L09", "L11", "L15", "L16", "L17", "L18", "L19", "L20", "L21",
                        "L22", "L23", "L26", "L27"},
                "003": {"P01", "P01b", "C02", "T05", "T07", "P17", "T08", "T09", "P21", "P22"}}
    assert set(present) == expected[modello]


def test_a_numeric_column_with_gaps_is_written_as_numbers(tmp_path):
    """A rank left as None where the value is n.d. makes an object column: still numbers, with a format."""
    import openpyxl
    import pandas as pd

    from pipelines.tabelle import Foglio, scrivi_xlsx

    dati = pd.DataFrame({"Indicatore": ["a", "b", "c"], "Posizione": [1, None, 3]}, dtype=object)
    path = scrivi_xlsx(Foglio("prova", "Tabella 1 - Prova", dati, "Fonte: prova"), tmp_path / "prova.xlsx", {})
    ws = openpyxl.load_workbook(path)["Tabella"]
    cells = [ws.cell(r, 2) for r in (2, 3, 4)]
    assert [c.value for c in cells] == [1, None, 3]
    assert all(c.number_format == "#,##0" for c in cells if c.value is not None)


def test_chart_values_name_series_and_keep_a_panel_only_when_needed():
    """A chart's values (its CSV) name each series by its trace; plotly's axis ids (x, x2) appear only
    when series and category alone would not tell two rows apart."""
    from plotly.subplots import make_subplots

    from pipelines.grafici import dati_grafico

    def small_multiples(names: tuple[str, str]):
        fig = make_subplots(rows=1, cols=2)
        for col, name in enumerate(names, start=1):
            fig.add_scatter(x=[2015, 2016], y=[1.5, 2.5], name=name or None, row=1, col=col)
        return fig

    named = dati_grafico(small_multiples(("Indicatore A", "Indicatore B")))
    assert list(named.columns) == ["serie", "categoria", "valore"]
    assert sorted(set(named["serie"])) == ["Indicatore A", "Indicatore B"]
    unnamed = dati_grafico(small_multiples(("", "")))
    assert list(unnamed.columns) == ["serie", "categoria", "valore", "pannello"]
