"""The health report as the Camera prints it, the benchmarking, and the appendix for the OIV.

Every figure comes from the marts (marts.salute_prospetto, marts.salute_esiti,
marts.benchmark_confronto, marts.salute_verifica_pubblicati); this module only lays them out:
the health table with its groups, units, targets as the Camera writes them, the last four years
and the assessment of the latest year; small-multiple charts (several indicators a figure) with the
target band only at the target year and the budget point labelled; one small benchmarking chart per
indicator with its table; the published-versus-recomputed table with the outcome in words.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pipelines import catalog
from pipelines import italiano as it
from pipelines.capitolo import ND, NOTA_ND, Dati, Sezione, Tabella
from pipelines.grafici import EVIDENZA, NEUTRO, Grafico, altezza_barre, stile
from pipelines.settings import camere

# the groups of the Camera's health table (001:1119, 001:1126), by the catalogue's famiglia
GRUPPI = {"struttura": "Indicatori di struttura, di liquidità e di solidità economica e patrimoniale",
          "efficienza": "Indicatori di efficienza di gestione"}
UNITA = {"pct": "%", "eur": "euro", "giorni": "giorni", "ore": "ore", "numero": "numero", "rapporto": "rapporto"}
NOTA_GRAFICO = "I valori segnati con l'asterisco nella tabella sono calcolati su dati illustrativi."
NOTA_ILLUSTRATIVO = ("* Valore calcolato su dati illustrativi (non pubblicati dall'Ente): serve a mostrare il "
                     "calcolo, non è un dato dell'Ente.")


def nome_grafico_benchmark(indicatore: str) -> str:
    return f"benchmark_{re.sub(r'[^a-z0-9]+', '_', str(indicatore).lower())}"


def nomi_grafici() -> list[str]:
    """Every chart the health report may draw (the chart assets of an edition)."""
    return [f"salute_{f}" for f in GRUPPI] + [nome_grafico_benchmark(i["id"]) for i in catalog.indicatori()]


def fmt(value, unita: str, decimali: int) -> str:
    """A health value as the Camera prints it: 398,2% / 24.827,0 / n.d."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "n.d."
    return it.percentuale(value, decimali) if unita == "pct" else it.numero(value, decimali)


def obiettivo_testo(operatore: str, lo, hi, unita: str) -> str:
    """The target as the Camera writes it: '380% - 390%', '<= 100%', '>= 30', '<= 26.000'."""
    def one(v):
        d = 0 if float(v).is_integer() else 1
        return it.percentuale(v, d) if unita == "pct" else it.numero(v, d)
    if operatore == "<=":
        return f"<= {one(hi)}"
    if operatore == ">=":
        return f">= {one(lo)}"
    return f"{one(lo)} - {one(hi)}"


def nome_breve(codice: str) -> str:
    camera = camere().get(codice)
    name = camera.nome if camera else codice
    return re.sub(r"^Camera di Commercio (di |della |dello |dell'|del |delle )?", "", name)


def _a_capo(text: str, width: int = 38) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + len(w) + 1 > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return "<br>".join(lines + [cur])


def rilasci_successivi(d: Dati, ed: dict, camera) -> dict | None:
    """The Camera's extracts whose latest release used by the health figures (marts.salute_rilasci) is later
    than a dated edition's date.

    Takes the chapter's data, the edition dict (pipelines.edizioni.carica: data_edizione, corrente) and the
    Camera (settings.Camera). Returns {"fonti": [source ids], "dati": ["i dati di bilancio", ...] as the note
    names them, "ultimo": datetime.date of the latest of those releases}, or None when every release is by
    the edition date, or for a current edition (`<codice>_corrente`, dated today: it follows the data).
    The health marts keep only the latest release of each key (sql/staging/stg_bilancio_voci.sql and the
    other ente staging models), so a dated edition cannot print its health figures as they stood on its
    date: it says so (README, "An edition with a date is frozen")."""
    if ed.get("corrente"):
        return None
    rows = d.conn.execute("SELECT fonte, dati, ultimo_rilascio FROM marts.salute_rilasci WHERE camera = ? "
                          "AND ultimo_rilascio > ? ORDER BY ordine", [camera.codice, ed["data_edizione"]]).fetchall()
    if not rows:
        return None
    return {"fonti": [r[0] for r in rows], "dati": [r[1] for r in rows],
            "ultimo": max(pd.Timestamp(r[2]).date() for r in rows)}


def nota_rilasci(dopo: dict) -> str:
    """The note under the health table of a dated edition whose figures include later releases
    (`rilasci_successivi`), in Italian."""
    dati = it.elenco(dopo["dati"])
    return (f"{dati[0].upper()}{dati[1:]} comprendono rilasci successivi alla data dell'edizione (ultimo: "
            f"{it.data(dopo['ultimo'])}): i valori possono differire da quelli dell'edizione originale.")


def sezione_salute(d: Dati, ed: dict, camera) -> Sezione:
    """'Lo stato di salute dell'Ente': the table as printed, then the small-multiple charts per group.
    In a dated edition whose figures include releases later than its date, a note under the table says so
    (`rilasci_successivi`, also left in ed["rilasci_successivi"] for the edition's metadata)."""
    sez = Sezione("Lo stato di salute dell'Ente")
    anni = sorted(ed["periodi"]["salute_anni"], reverse=True)[:4]
    target_year = ed["periodi"]["salute_obiettivo"]
    df = d.conn.execute("SELECT * FROM marts.salute_prospetto WHERE camera = ? AND famiglia IN ("
                        + ", ".join("?" * len(GRUPPI)) + ")", [camera.codice, *GRUPPI]).df()
    if df.empty:
        return sez
    ind = d.conn.execute("SELECT id, nome, famiglia, definizione, unita, decimali FROM meta.indicatori").df()
    ind = ind.set_index("id")
    targets = d.conn.execute("SELECT indicatore, operatore, valore_min, valore_max FROM staging.stg_obiettivi_salute "
                             "WHERE camera = ? AND anno = ?", [camera.codice, target_year]).df().set_index("indicatore")
    shown = [a for a in anni if a in set(df["anno"])]
    last = shown[0] if shown else None
    esiti = d.conn.execute("SELECT indicatore, esito FROM marts.salute_esiti WHERE camera = ? AND anno = ? "
                           "AND anno_obiettivo = ?", [camera.codice, last, target_year]).df().set_index("indicatore")
    kinds = df[df["anno"].isin(shown)].groupby("anno")["tipo"].first()
    order = {x["id"]: n for n, x in enumerate(catalog.indicatori())}
    rows, data, marked = [], [], False
    for famiglia, label in GRUPPI.items():
        ids = sorted(set(df.loc[df["famiglia"] == famiglia, "indicatore"]), key=lambda i: order.get(i, 999))
        if not ids:
            continue
        rows.append([label])
        for i in ids:
            meta, g = ind.loc[i], df[df["indicatore"] == i].set_index("anno")
            unit, dec = meta["unita"], int(meta["decimali"])
            name = meta["nome"] + (" (valore in euro)" if unit == "eur" else "")
            cells = []
            for a in shown:
                if a in g.index:
                    star = bool(g.loc[a, "da_segnalare_illustrativo"])
                    marked |= star
                    cells.append(fmt(g.loc[a, "valore"], unit, dec) + (" *" if star else ""))
                else:
                    cells.append("n.d.")
            target = obiettivo_testo(*targets.loc[i, ["operatore", "valore_min", "valore_max"]], unit) \
                if i in targets.index else "n.d."
            esito = esiti.loc[i, "esito"] if i in esiti.index else "n.d."
            rows.append([name, meta["definizione"], target, *cells, esito])
            for a in shown:
                if a in g.index:
                    data.append({"gruppo": label, "indicatore": i, "nome": meta["nome"], "unita": UNITA.get(unit, unit),
                                 "anno": int(a), "tipo": g.loc[a, "tipo"], "valore": g.loc[a, "valore"],
                                 "valore_pubblicato": g.loc[a, "valore_pubblicato"],
                                 "valore_illustrativo": bool(g.loc[a, "da_segnalare_illustrativo"]),
                                 "obiettivo": target, f"esito_{last}": esito})
    header = ["Indicatore", "Composizione", f"Obiettivo {target_year}",
              *[f"{'Preconsuntivo ' if kinds.get(a) == 'preconsuntivo' else ''}{a}" for a in shown],
              f"Esito {last} rispetto all'obiettivo"]
    fonte = d.fonte("bilancio")
    sez.paragrafi.append(
        f"La tabella riporta gli indicatori con cui l'Ente misura il proprio stato di salute negli anni dal "
        f"{shown[-1]} al {last} e i valori cui tenderà nel {target_year}; l'ultima colonna dice se il valore "
        f"del {last} rispetta già l'obiettivo.")
    missed = [ind.loc[i, "nome"].lower() for i in esiti.index if esiti.loc[i, "esito"] == "non raggiunto"]
    if missed:
        n = len(missed)
        sez.paragrafi.append(
            # "sono cinque gli indicatori": never two figures side by side ("Nel 2018 5 indicatori")
            f"Nel {last} {'un indicatore non rispetta' if n == 1 else f'sono {it.cardinale(n)} gli indicatori che non rispettano'} "
            f"il valore obiettivo del {target_year}: {it.elenco(missed)}.")
    dopo = rilasci_successivi(d, ed, camera)
    if dopo:
        ed["rilasci_successivi"] = dopo
    # two notes, two paragraphs: the asterisk's, then the releases'
    nota = "\n".join(n for n in (NOTA_ILLUSTRATIVO if marked else None, nota_rilasci(dopo) if dopo else None) if n)
    sez.tabelle.append(Tabella(
        "stato_salute", f"Stato di salute dell'Ente: indicatori, obiettivo {target_year} e valori {shown[-1]}-{last}",
        header, rows, fonte, pd.DataFrame(data), nota or None,
        etichette={"gruppo": "Gruppo di indicatori", "unita": "Unità di misura", "tipo": "Tipo di dato",
                   "valore": "Valore (nell'unità indicata)", "valore_pubblicato": "Valore pubblicato dall'Ente",
                   "valore_illustrativo": "Calcolato su dati illustrativi", "obiettivo": f"Obiettivo {target_year}",
                   f"esito_{last}": f"Esito {last} rispetto all'obiettivo"},
        decimali={"valore": 1, "valore_pubblicato": 1}))
    for famiglia, label in GRUPPI.items():
        fig_rows = df[(df["famiglia"] == famiglia) & (df["anno"].isin(shown + [target_year]))]
        if not fig_rows.empty:
            sez.grafici.append(_multipli(fig_rows, ind, targets, shown, target_year, famiglia, label, fonte, order))
    return sez


def _multipli(df, ind, targets, shown, target_year, famiglia, label, fonte, order) -> Grafico:
    ids = sorted(set(df["indicatore"]), key=lambda i: order.get(i, 999))
    cols = 2
    nrows = math.ceil(len(ids) / cols)
    fig = make_subplots(rows=nrows, cols=cols, subplot_titles=[_a_capo(ind.loc[i, "nome"]) for i in ids],
                        vertical_spacing=min(0.2, 0.7 / nrows), horizontal_spacing=0.16)
    years = sorted(set(shown) | {target_year})
    marked = False
    for k, i in enumerate(ids):
        r, c = k // cols + 1, k % cols + 1
        unit = ind.loc[i, "unita"]
        g = df[df["indicatore"] == i].sort_values("anno")
        past = g[g["anno"].isin(shown)]
        suffix = "%" if unit == "pct" else ""
        # each trace named (no legend shows it): the chart's values (CSV) and `edizione confronta` say which indicator
        fig.add_scatter(x=past["anno"], y=past["valore"], mode="lines+markers", line_color=EVIDENZA, showlegend=False,
                        name=ind.loc[i, "nome"],
                        row=r, col=c, hovertemplate="%{x}: %{y:,.1f}" + suffix + "<extra></extra>")
        marked |= bool(past["da_segnalare_illustrativo"].any())
        budget = g[g["anno"] == target_year]
        if not budget.empty:
            fig.add_scatter(x=budget["anno"], y=budget["valore"], mode="markers+text", marker_symbol="diamond-open",
                            marker_size=9, marker_color="#0072B2", text=[f"preventivo {target_year}"],
                            textposition="middle left", textfont_size=10, showlegend=False, row=r, col=c,
                            name=f"{ind.loc[i, 'nome']}, preventivo {target_year}",
                            hovertemplate="preventivo %{x}: %{y:,.1f}" + suffix + "<extra></extra>")
        values = list(g["valore"].dropna())
        if i in targets.index:
            t = targets.loc[i]
            lo = t["valore_min"] if not pd.isna(t["valore_min"]) else None
            hi = t["valore_max"] if not pd.isna(t["valore_max"]) else None
            span = (max(values + [x for x in (lo, hi) if x is not None]) - min(values + [x for x in (lo, hi) if x is not None])) or 1
            y0 = lo if lo is not None else min(values + [hi]) - 0.1 * span
            y1 = hi if hi is not None else max(values + [lo]) + 0.1 * span
            # the band only where the target applies: the target year
            fig.add_shape(type="rect", x0=target_year - 0.4, x1=target_year + 0.4, y0=y0, y1=y1, line_width=0,
                          fillcolor="#009E73", opacity=0.25, row=r, col=c)
        fig.update_xaxes(tickvals=years, ticktext=[str(y) for y in years], range=[years[0] - 0.5, years[-1] + 0.5],
                         row=r, col=c)
        fig.update_yaxes(title_text=UNITA.get(unit, unit), tickformat=",.0f" if unit != "rapporto" else ",.1f",
                         row=r, col=c)
    fig.update_annotations(font_size=11.5)
    stile(fig, label, altezza=100 + 240 * nrows)
    fig.update_layout(margin=dict(t=60))
    return Grafico(f"salute_{famiglia}", f"{label}: andamento {shown[-1]}-{shown[0]}, preventivo e obiettivo {target_year}",
                   f"{len(ids)} piccoli grafici, uno per indicatore, con i valori dal {shown[-1]} al {shown[0]}, il "
                   f"preventivo {target_year} e, in verde, la fascia dell'obiettivo {target_year} dove è fissato.",
                   fonte, fig, nota=NOTA_GRAFICO if marked else None)


def sezione_benchmark(d: Dati, ed: dict, camera) -> Sezione:
    """'Il confronto con le altre Camere': for the widest panel the Camera belongs to, one small chart
    per indicator (members, mean, median, in the indicator's unit) and one table."""
    sez = Sezione("Il confronto con le altre Camere")
    anno = ed["periodi"].get("benchmark")
    panels = d.conn.execute(
        "SELECT panel, any_value(panel_descrizione) AS descrizione, max(n_camere) AS n, bool_or(illustrativo) AS ill "
        "FROM marts.benchmark_confronto WHERE anno = ? AND panel IN (SELECT panel FROM marts.benchmark_confronto "
        "WHERE camera = ?) GROUP BY panel ORDER BY n DESC, panel", [anno, camera.codice]).fetchall()
    if not panels:
        return sez
    panel, descr, _, illustrativo = panels[0]
    b = d.conn.execute("SELECT * FROM marts.benchmark_confronto WHERE panel = ? AND anno = ? ORDER BY indicatore, valore",
                       [panel, anno]).df()
    origine = ("valori illustrativi costruiti per l'esempio" if illustrativo
               else d.fonte("benchmark_valori").removeprefix("Fonte: "))
    fonte = f"Fonte: panel «{descr}», {origine}; valore della Camera dai suoi dati"
    nota = "Valori illustrativi: il panel non è un dato pubblicato." if illustrativo else None
    rows, data, fuori = [], [], []
    for i, g in b.groupby("indicatore", sort=False):
        if camera.codice not in set(g["camera"]):
            continue
        meta = g.iloc[0]
        unit, dec = meta["unita"], int(meta["decimali"])
        mine = g[g["camera"] == camera.codice].iloc[0]
        if pd.isna(mine["valore"]) and "fuori dall'intervallo" in str(mine["esito_confronto"]):
            fuori.append(f"«{meta['nome']}»")  # the Camera's own value out of its range (stg_benchmark_valori, Q6)
        rows.append([meta["nome"], UNITA.get(unit, unit), fmt(mine["valore"], unit, dec), fmt(meta["media"], unit, dec),
                     fmt(meta["mediana"], unit, dec), fmt(meta["minimo"], unit, dec), fmt(meta["massimo"], unit, dec),
                     "n.d." if pd.isna(mine["rango"]) else f"{int(mine['rango'])} su {int(meta['n_camere'])}"])
        data.append({"indicatore": i, "nome": meta["nome"], "unita": UNITA.get(unit, unit), "valore_camera": mine["valore"],
                     "media": meta["media"], "mediana": meta["mediana"], "minimo": meta["minimo"],
                     "massimo": meta["massimo"], "rango": mine["rango"], "n_camere": meta["n_camere"]})
        labels = [nome_breve(c) for c in g["camera"]]
        fig = go.Figure(go.Bar(x=g["valore"], y=labels, orientation="h",
                               marker_color=[EVIDENZA if c == camera.codice else NEUTRO for c in g["camera"]],
                               hovertemplate="%{y}: %{x:,.1f}<extra></extra>", showlegend=False))
        for value, name, dash, pos in ((meta["media"], "media", "dot", "top"),
                                       (meta["mediana"], "mediana", "dash", "bottom")):
            fig.add_vline(x=value, line_dash=dash, line_color="#0072B2",
                          annotation_text=f"{name} {fmt(value, unit, dec)}", annotation_position=pos,
                          annotation_font_size=10)
        fig.update_xaxes(title_text=UNITA.get(unit, unit), tickformat=",.0f" if unit != "rapporto" else ",.1f")
        stile(fig, meta["nome"], altezza=altezza_barre(len(g), minimo=170, per_barra=17) + 30, piccolo=True)
        sez.grafici.append(Grafico(
            nome_grafico_benchmark(i),
            f"{meta['nome']}: {nome_breve(camera.codice)} e le Camere del panel. Anno {anno} ({UNITA.get(unit, unit)})",
            f"Barre orizzontali del valore di ogni Camera del panel per {meta['nome'].lower()}: "
            f"{nome_breve(camera.codice)} {fmt(mine['valore'], unit, dec)}, mediana {fmt(meta['mediana'], unit, dec)}.",
            fonte, fig, nota=nota))
    if rows:
        sez.paragrafi.append(
            f"Il confronto usa il panel «{descr}» per l'anno {anno}: per ogni indicatore la Camera è messa "
            "accanto alla media, alla mediana e ai valori delle altre Camere, nell'unità dell'indicatore.")
        # n.d. is explained once, under the table that prints it, and only for the Camera's own values: an
        # out-of-range value of another Camera is a bar left out of its chart, said by the finding (Q6)
        nota_nd = NOTA_ND
        if fuori:
            uno = len(fuori) == 1
            nota_nd = (f"{ND}: dato non disponibile perché " + ("il valore" if uno else "i valori")
                       + f" della Camera per {it.elenco(fuori)} "
                       + ("è fuori dall'intervallo ammesso dall'indicatore" if uno
                          else "sono fuori dall'intervallo ammesso dai rispettivi indicatori")
                       + " (per esempio una quota oltre il 100%): "
                       + ("è segnalato tra i rilievi di qualità e non è usato." if uno
                          else "sono segnalati tra i rilievi di qualità e non sono usati."))
            if any(ND in cell for row in rows if f"«{row[0]}»" not in fuori for cell in row):
                nota_nd = f"{nota_nd} {NOTA_ND}"
        sez.tabelle.insert(0, Tabella(
            "benchmark", f"Indicatori della Camera e del panel «{descr}». Anno {anno}",
            ["Indicatore", "Unità", nome_breve(camera.codice), "Media", "Mediana", "Minimo", "Massimo", "Posizione"],
            rows, fonte, pd.DataFrame(data), nota,
            etichette={"valore_camera": f"Valore {nome_breve(camera.codice)}", "media": "Media del panel",
                       "mediana": "Mediana del panel", "minimo": "Minimo del panel", "massimo": "Massimo del panel",
                       "rango": "Posizione (1 = migliore)", "n_camere": "Camere del panel (numero)",
                       "unita": "Unità di misura"},
            decimali={"valore_camera": 1, "media": 1, "mediana": 1, "minimo": 1, "massimo": 1}, nota_nd=nota_nd))
    return sez


# how many published values had each outcome, in words (singular, plural)
ESITI = {
    ("riprodotto", "dati_pubblicati"): ("è riprodotto dai dati pubblicati", "sono riprodotti dai dati pubblicati"),
    ("riprodotto", "illustrativo"): ("è riprodotto solo con valori illustrativi (non è una prova)",
                                     "sono riprodotti solo con valori illustrativi (non sono una prova)"),
    ("riprodotto_entro_arrotondamento_input", "dati_pubblicati"): ("differisce per un arrotondamento",
                                                                   "differiscono per un arrotondamento"),
    ("non_riprodotto", "dati_pubblicati"): ("non è riprodotto: errore del documento",
                                            "non sono riprodotti: errori del documento"),
    ("non_riprodotto", "illustrativo"): ("non è riprodotto con i valori illustrativi",
                                         "non sono riprodotti con i valori illustrativi"),
    ("non_calcolabile", "dati_pubblicati"): ("non è riproducibile", "non sono riproducibili"),
    ("non_calcolabile", "illustrativo"): ("non è riproducibile", "non sono riproducibili"),
}


def appendice_oiv(d: Dati, ed: dict, camera) -> Sezione:
    """'Appendice: verifica dei valori pubblicati': each published figure beside the recomputed one."""
    sez = Sezione("Appendice: verifica dei valori pubblicati", nuova_pagina=True)
    v = d.conn.execute("SELECT * FROM marts.salute_verifica_pubblicati WHERE camera = ?", [camera.codice]).df()
    if v.empty:
        return sez
    order = {x["id"]: n for n, x in enumerate(catalog.indicatori())}
    v = v.sort_values(["indicatore", "anno"], key=lambda s: s.map(order) if s.name == "indicatore" else s)
    counts = v.groupby(["esito", "prova"]).size().to_dict()
    keys = [k for k in ESITI if k in counts] + sorted(k for k in counts if k not in ESITI)
    parts = [f"{it.numero(counts[k])} " + (ESITI[k][0 if counts[k] == 1 else 1] if k in ESITI else f"con esito {k[0]}")
             for k in keys]
    sez.paragrafi.append(
        f"Per l'Organismo indipendente di valutazione, ogni valore degli indicatori pubblicato nei documenti "
        f"dell'Ente è ricalcolato dai dati di bilancio: dei {it.numero(len(v))} valori pubblicati "
        f"{it.elenco(parts)}.")
    # one table per group of indicators, so no table is longer than a page
    famiglie = dict(d.conn.execute("SELECT id, famiglia FROM meta.indicatori").fetchall())
    v["gruppo"] = v["indicatore"].map(famiglie).map(GRUPPI).fillna("Altri indicatori")
    for n, (gruppo, g) in enumerate(v.groupby("gruppo", sort=False), start=1):
        rows = []
        for nome_ind, gi in g.groupby("nome", sort=False):
            rows.append([nome_ind])  # the indicator as a group row: years below it
            rows += [[str(r.anno) + (" (preconsuntivo)" if r.tipo == "preconsuntivo" else ""),
                      fmt(r.valore_pubblicato, r.unita, int(r.decimali)),
                      fmt(r.valore_ricalcolato, r.unita, int(r.decimali)), r.esito_testo] for r in gi.itertuples()]
        sez.tabelle.append(Tabella(
            f"verifica_pubblicati_{n}", f"{gruppo}: valori pubblicati dall'Ente e valori ricalcolati, con l'esito della "
            "verifica", ["Indicatore e anno", "Pubblicato", "Ricalcolato", "Esito"], rows,
            "Fonte: documenti di programmazione dell'Ente (valori pubblicati); elaborazioni Ufficio Studi e Statistica "
            "(ricalcolo)",
            g[["indicatore", "nome", "anno", "tipo", "unita", "valore_pubblicato", "valore_ricalcolato", "riferimento",
               "esito_testo"]],
            etichette={"unita": "Unità di misura", "tipo": "Tipo di dato", "valore_pubblicato": "Valore pubblicato",
                       "valore_ricalcolato": "Valore ricalcolato", "riferimento": "Documento e riga",
                       "esito_testo": "Esito della verifica"},
            decimali={"valore_pubblicato": 1, "valore_ricalcolato": 1}, compatta=True))
    return sez
