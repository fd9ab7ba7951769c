"""Charts of the chapter and of the health report: one house style, Italian number formats,
colours readable in print and by colour-blind readers (Okabe-Ito), written as interactive HTML
(plotly.js shipped beside it, no CDN) and as SVG and PNG through kaleido and the system Chromium,
one browser for all the figures of a run.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale by lightness
COLORI = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
EVIDENZA = "#D55E00"   # the Camera's own territory
NEUTRO = "#8c8c8c"
FONT = "DejaVu Sans, Arial, sans-serif"

STILE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=13, color="#222"),
    colorway=COLORI,
    separators=",.",  # decimal comma, thousands dot
    paper_bgcolor="white",
    plot_bgcolor="white",
    margin=dict(l=70, r=30, t=60, b=60),
    xaxis=dict(showgrid=False, linecolor="#444", ticks="outside"),
    yaxis=dict(gridcolor="#e5e5e5", linecolor="#444", zeroline=True, zerolinecolor="#444"),
    legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
    title=dict(x=0, xanchor="left", font=dict(size=15)),
))


@dataclass
class Grafico:
    nome: str          # file name, e.g. "fig01_valore_aggiunto_province"
    titolo: str        # Italian title, as in the chapter
    alt: str           # alternative text for screen readers: what the chart shows, with the key figures
    fonte: str         # the "Fonte:" line
    figura: go.Figure
    numero: int = 0    # set when the chapter numbers its figures


def stile(fig: go.Figure, titolo: str) -> go.Figure:
    fig.update_layout(template=STILE, title_text=titolo, width=900, height=480)
    return fig


def browser_path() -> str:
    """The system Chromium (Debian's package); never a downloaded browser."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium non trovato: installarlo con `apt-get install chromium` "
                           "(i comandi del README lo fanno) oppure indicare BROWSER_PATH.")
    os.environ["BROWSER_PATH"] = path
    return path


def scrivi(grafici: list[Grafico], cartella: Path) -> dict[str, dict[str, Path]]:
    """Write every chart as HTML, SVG and PNG; one Chromium for all (kaleido's sync server, MathJax off)."""
    import kaleido

    cartella.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Path]] = {}
    for g in grafici:
        html = cartella / f"{g.nome}.html"
        g.figura.write_html(html, include_plotlyjs="directory", full_html=True,
                            config={"locale": "it", "displaylogo": False})
        out[g.nome] = {"html": html, "svg": cartella / f"{g.nome}.svg", "png": cartella / f"{g.nome}.png"}
    browser_path()
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        figs = [g.figura for g in grafici]
        pio.write_images(figs, [out[g.nome]["svg"] for g in grafici])
        pio.write_images(figs, [out[g.nome]["png"] for g in grafici], scale=2)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return out
