"""Charts of the chapter and of the health report: one house style, Italian number formats,
colours readable in print and by colour-blind readers (Okabe-Ito), written as interactive HTML
(plotly.js shipped beside it, no CDN, Italian toolbar), as SVG and PNG through kaleido and the
system Chromium (one browser for all the figures of a run), and as CSV of the plotted values.

The title of a chart is its caption in the document ("Figura 3 – ..."): never drawn inside the
image, so a chart has one title. Every value axis says its unit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go

from pipelines.settings import DATA_DIR

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale by lightness
COLORI = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
EVIDENZA = "#D55E00"   # the Camera's own territory
NEUTRO = "#8c8c8c"
FONT = "DejaVu Sans, Arial, sans-serif"
LARGHEZZA = 760        # px; the printed column is about 670 CSS px, so text keeps a readable size
ALTEZZA = 400

STILE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=13, color="#222"),
    colorway=COLORI,
    separators=",.",  # decimal comma, thousands dot
    paper_bgcolor="white",
    plot_bgcolor="white",
    margin=dict(l=20, r=20, t=40, b=20),
    xaxis=dict(showgrid=False, linecolor="#444", ticks="outside", automargin=True, title=dict(standoff=8)),
    yaxis=dict(gridcolor="#e5e5e5", linecolor="#444", zeroline=True, zerolinecolor="#444", automargin=True,
               title=dict(standoff=8)),
    legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
))

# SVG text must stay searchable in the PDF: no "ﬁ"/"ﬃ" ligature glyphs
_NO_LIGATURE = ('<style>text{font-variant-ligatures:none;'
                'font-feature-settings:"liga" 0,"clig" 0,"dlig" 0}</style>')


@dataclass
class Grafico:
    nome: str          # file name, e.g. "valore_aggiunto_province"
    titolo: str        # Italian title, as in the chapter's caption (the only title of the chart)
    alt: str           # alternative text for screen readers: what the chart shows, with the key figures
    fonte: str         # the "Fonte:" line
    figura: go.Figure
    numero: int = 0    # set when the chapter numbers its figures
    nota: str | None = None
    extra: dict = field(default_factory=dict)


def stile(fig: go.Figure, titolo: str | None = None, altezza: int | None = None, piccolo: bool = False) -> go.Figure:
    """The house style on `fig` (returned). `titolo` is kept as the figure's name for screen readers
    (plotly's `meta`), not drawn: the caption is the title. `altezza` in px (default 400): charts
    are sized to their content by the callers (e.g. `altezza_barre`). `piccolo`: half width, for
    small multiples laid out two a row."""
    fig.update_layout(template=STILE, width=LARGHEZZA // 2 if piccolo else LARGHEZZA, height=altezza or fig.layout.height or ALTEZZA,
                      title_text=None, meta={"titolo": titolo} if titolo else None)
    return fig


def tacche(fig: go.Figure, valori, decimali: int, asse: str = "y", quante: int = 6) -> go.Figure:
    """Ticks of a value axis at a round step (1, 2 or 5 times a power of ten) never finer than the
    `decimali` printed, labelled in Italian, so two ticks cannot print the same label (7,3 7,3 when the
    axis spans a few tenths). `valori`: the values plotted. Returns `fig`."""
    import math

    from pipelines import italiano as it

    vals = [float(v) for v in valori if v is not None and not pd.isna(v)]
    if not vals:
        return fig
    lo, hi = min(vals), max(vals)
    finest = 10 ** -decimali
    raw = max((hi - lo) / (quante - 1), finest)
    power = 10 ** math.floor(math.log10(raw))
    step = max(next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9)), finest)
    start, end = math.floor(lo / step) * step, math.ceil(hi / step) * step
    end = end if end > start else start + step
    ticks = [round(start + k * step, decimali + 3) for k in range(round((end - start) / step) + 1)]
    getattr(fig, f"update_{asse}axes")(tickvals=ticks, ticktext=[it.numero(x, decimali) for x in ticks],
                                       range=[start - step / 4, end + step / 4])
    return fig


def altezza_barre(n_barre: int, minimo: int = 220, per_barra: int = 26) -> int:
    """Height (px) of a horizontal bar chart with `n_barre` bars in all: `per_barra` px a bar plus axes."""
    return max(minimo, 90 + per_barra * n_barre)


def asse_valori(fig: go.Figure) -> list[str]:
    """The titles of the value axes of `fig` (y for vertical bars and lines, x for horizontal bars):
    every chart must say its unit there."""
    names = set()
    for t in fig.data:
        horizontal = getattr(t, "orientation", None) == "h"
        ref = (getattr(t, "xaxis", None) or "x") if horizontal else (getattr(t, "yaxis", None) or "y")
        names.add(("xaxis" if horizontal else "yaxis") + ref[1:])
    return [(fig.layout[n].title.text or "") for n in sorted(names)]


def dati_grafico(fig: go.Figure) -> pd.DataFrame:
    """The values a chart plots, tidy (serie, categoria, valore), for its downloadable CSV."""
    rows = []
    for t in fig.data:
        horizontal = getattr(t, "orientation", None) == "h"
        cats, vals = (t.y, t.x) if horizontal else (t.x, t.y)
        if vals is None:
            continue
        custom = getattr(t, "customdata", None)
        for i, v in enumerate(vals):
            if custom is not None and horizontal and v is not None and v < 0:
                v = custom[i] if not hasattr(custom[i], "__len__") else custom[i][0]  # mirrored pyramid side
            rows.append({"serie": t.name or "", "categoria": None if cats is None else cats[i], "valore": v,
                         "pannello": getattr(t, "xaxis", "x") if not horizontal else getattr(t, "yaxis", "y")})
    df = pd.DataFrame(rows, columns=["serie", "categoria", "valore", "pannello"])
    # the panel (plotly's axis id: x, x2, ...) only where series and category do not already tell the rows apart
    if df["pannello"].nunique() <= 1 or not df.duplicated(["serie", "categoria"]).any():
        df = df.drop(columns="pannello")
    return df


def browser_path() -> str:
    """The system Chromium (Debian's package); never a downloaded browser."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium non trovato: installarlo con `apt-get install chromium` "
                           "(i comandi del README lo fanno) oppure indicare BROWSER_PATH.")
    os.environ["BROWSER_PATH"] = path
    return path


def _pagina_interattiva(g: Grafico, env: jinja2.Environment) -> str:
    div = g.figura.to_html(include_plotlyjs=False, full_html=False, default_width="100%", div_id=f"grafico_{g.nome}",
                           config={"locale": "it", "displaylogo": False, "responsive": True})
    locale = (DATA_DIR / "modelli" / "plotly_locale_it.json").read_text(encoding="utf-8")
    return env.get_template("grafico.html.j2").render(g=g, grafico=div, locale=json.loads(locale))


def senza_legature(svg: Path, nome: str) -> None:
    """Add the no-ligature rule to a written SVG (after its opening tag), and replace plotly's random id
    of the figure (`defs-<6 hex>`, repeated in its clip paths and legend) and of each trace (`trace<6 hex>`)
    with ones derived from the chart's name, so the same chart exported twice is the same file."""
    text = svg.read_text(encoding="utf-8")
    if _NO_LIGATURE not in text:
        text = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + _NO_LIGATURE, text, count=1)
    uid = re.search(r'<defs id="defs-([0-9a-f]{6})"', text)
    if uid:
        fixed = hashlib.sha1(nome.encode("utf-8")).hexdigest()[:6]
        text = re.sub(rf"(defs-|clip|legend){uid.group(1)}", rf"\g<1>{fixed}", text)
    for n, trace in enumerate(dict.fromkeys(re.findall(r"\btrace([0-9a-f]{6})\b", text))):  # each trace's random uid
        text = re.sub(rf"\btrace{trace}\b", "trace" + hashlib.sha1(f"{nome}:{n}".encode("utf-8")).hexdigest()[:6], text)
    svg.write_text(text, encoding="utf-8")


def scrivi(grafici: list[Grafico], cartella: Path) -> dict[str, dict[str, Path]]:
    """Write every chart as an Italian HTML page (plotly.js beside it), SVG and PNG;
    one Chromium for all (kaleido's sync server, MathJax off), under the time limit of pipelines.chromium
    (raises ChromiumBloccato naming the chart it was on). Returns {nome: {formato: path}}."""
    from pipelines.chromium import esporta_immagini

    cartella.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(DATA_DIR / "modelli"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    js = cartella / "plotly.min.js"
    if not js.exists():
        from plotly.offline import get_plotlyjs
        js.write_text(get_plotlyjs(), encoding="utf-8")
    out: dict[str, dict[str, Path]] = {}
    if not grafici:  # a chapter whose data allow no chart
        return out
    for g in grafici:
        html = cartella / f"{g.nome}.html"
        html.write_text(_pagina_interattiva(g, env), encoding="utf-8")
        out[g.nome] = {"html": html, "svg": cartella / f"{g.nome}.svg", "png": cartella / f"{g.nome}.png"}
    esporta_immagini([(g.nome, g.figura, out[g.nome]) for g in grafici], cartella, browser_path())
    for g in grafici:
        senza_legature(out[g.nome]["svg"], g.nome)
    return out
