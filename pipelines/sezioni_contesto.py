"""The other sections of the model chapters (001:367-800, the 2019 plan; 003:1049-2532, the RPP 2020), as
section units registered after (or inside) the sections of pipelines.capitolo, in the model's order:

- "Il valore aggiunto": the change at constant prices by branch (001:433-457);
- "Il reddito": household disposable income per head (001:472) and IRPEF taxable income (001:480);
- "Le imprese": active companies by sector (001:509-522) and the sectors of specialisation (001:536-555);
- "Il commercio estero": exports by destination (003:1596-1620) and of the main sectors (001:588-618);
- "Il turismo": tourism companies (001:622-637), the main kind of accommodation (001:645), the
  sub-provincial areas (001:677-685, 003:2084-2100);
- "La popolazione": residents and their share of the region, with the old-age index (001:689-724);
- "I consumi delle famiglie": spending on durables by kind (001:734-742, 003:1998-2030);
- "Il mercato del lavoro": the hours of Cassa Integrazione Guadagni (001:795-800);
- "Il credito": the lending rates by kind of risk (003:2290-2310).

Each unit reads a section mart (sql/marts/sezione_*.sql) or the shared marts that
marts.contesto_riconciliazione reads (contesto_osservazioni, _quote, _ranghi, _composizione, _variazioni,
_indicatori): no figure is computed here, only formatted. Each part raises DatiMancanti when the edition
has no data for it, so it is left out and listed, with the reason, under "Informazioni non disponibili".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from pipelines import italiano as it
from pipelines.capitolo import Capitolo, DatiMancanti, Mancanza, Sezione, Tabella, _nota_campione, cella, sezione
from pipelines.grafici import EVIDENZA, NEUTRO, Grafico, altezza_barre, stile, tacche

# how the chapter names the kinds of accommodation of the tourism data
STRUTTURE = {"Alberghiero": "strutture alberghiere", "Extra-alberghiero": "strutture extra-alberghiere"}


def _al(value: float) -> str:
    """'al ', 'all'' or 'allo ' before a printed percentage (al 17,4%, all'11,2%, allo 0,4%)."""
    return it.articolata_numero("a", value)


def _quando_mesi(periodo: str) -> tuple[str, str | None]:
    """'2018M01-M09' -> ('nei primi nove mesi del 2018', 'Gennaio-settembre 2018'); '2018' -> ('nel 2018', None)."""
    anno = periodo[:4]
    if "M01-M" in periodo:
        mesi = int(periodo[-2:])
        return (f"nei primi {it.mesi(mesi)} del {anno}",
                f"Gennaio-{it.data(dt.date(int(anno), mesi, 1), 'MMMM')} {anno}")
    return f"nel {anno}", None


def _data(periodo: str) -> str:
    return it.data(dt.date.fromisoformat(periodo))


# --- Il valore aggiunto: change at constant prices by branch (001:433-457) ----------------------

BRANCHE = ["Agricoltura, silvicoltura e pesca", "Industria in senso stretto", "Costruzioni", "Totale Industria",
           "Servizi", "Totale"]


@sezione("valore_aggiunto", "Il valore aggiunto", dopo="valore_aggiunto", elemento="variazioni per branca")
def valore_aggiunto_branche(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = "misura = 'va_prezzi_costanti_var_pct' AND dimensione = 'branca' AND valore_dimensione <> 'Totale'"
    anno = cap.periodo("valore_aggiunto_branche", "marts.contesto_osservazioni", sel, [])
    prima = str(int(anno) - 1)
    v = d.q("marts.contesto_osservazioni", "misura = 'va_prezzi_costanti_var_pct' AND dimensione = 'branca' "
            "AND periodo IN (?, ?)", [anno, prima], "territorio_id, valore_dimensione, periodo")
    mine = v[v["territorio_id"] == t.id].pivot_table(index="valore_dimensione", columns="periodo", values="valore")
    if anno not in mine.columns:
        raise DatiMancanti(f"manca la variazione del valore aggiunto per branca {t.nome.di} nel {anno}")
    fonte = d.fonte(v["fonte"].iloc[0], v["rilascio"].max())

    def frase():
        parts = []
        # adjacent clauses never repeat the verb (singular, plural)
        verbs = [("ha segnato", "hanno segnato"), ("ha registrato", "hanno registrato"),
                 ("ha evidenziato", "hanno evidenziato"), ("ha mostrato", "hanno mostrato")]
        for branca, label in (("Agricoltura, silvicoltura e pesca", f"l'agricoltura {t.nome.aggettivo}"),
                              ("Industria in senso stretto", "l'industria in senso stretto"),
                              ("Costruzioni", "le costruzioni"), ("Servizi", "i servizi")):
            if branca not in mine.index or pd.isna(mine.loc[branca, anno]):
                continue
            x = mine.loc[branca, anno]
            singolare, plurale = verbs[len(parts) % len(verbs)]
            verb = singolare if label.startswith("l'") else plurale
            text = f"{label} {verb} {it.cambiamento(x)}"
            text += "" if parts else " a prezzi costanti"
            if prima in mine.columns and pd.notna(mine.loc[branca, prima]):
                prev = mine.loc[branca, prima]
                what = "il recupero" if prev > 0 else "il calo" if prev < 0 else "la stabilità"
                text += f" dopo {what} dell'anno precedente ({it.variazione(prev)})"
            parts.append(text)
        if not parts:
            raise DatiMancanti(f"nessuna branca con la variazione {anno} {t.nome.di}")
        sez.paragrafi.append(f"Nel {anno} {it.elenco(parts)}.")

    def tabella():
        rows_v = v[v["periodo"] == anno]
        keep = rows_v[(rows_v["livello"] == "provincia") & rows_v["regione_id"].isin(t.regioni)
                      | rows_v["territorio_id"].isin([t.id, *t.regioni, "IT"])]
        p = keep.pivot_table(index=["territorio_id", "territorio", "livello"], columns="valore_dimensione",
                             values="valore").reset_index()
        cols = [b for b in BRANCHE if b in p.columns]
        p["ordine"] = p["livello"].map({"provincia": 0, "camera": 1, "regione": 2, "italia": 3})
        p = p.sort_values(["ordine", "territorio"])
        sez.tabelle.append(Tabella(
            "valore_aggiunto_branca_variazioni",
            f"Andamento del valore aggiunto a prezzi costanti per branca di attività economica. Variazione % {anno}/{prima}",
            ["Territorio", *cols], [[r["territorio"], *[cella(r[c], it.variazione) for c in cols]] for _, r in p.iterrows()],
            fonte, p[["territorio", "territorio_id", *cols]], _nota_campione(keep),
            etichette={"territorio": "Territorio", **{c: f"{c}: variazione a prezzi costanti (%)" for c in cols}},
            decimali={c: 1 for c in cols}, compatta=True))

    cap.parte("frase sulle variazioni per branca", frase)
    cap.parte("tabella delle variazioni per branca", tabella)


# --- Il reddito: disposable income (001:472) and IRPEF (001:480) --------------------------------

@sezione("reddito", "Il reddito delle famiglie", dopo="valore_aggiunto")
def reddito(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t

    def disponibile():
        sel = "misura = 'reddito_disponibile_procapite_var_pct' AND dimensione = 'totale'"
        anno = cap.periodo("reddito_disponibile", "marts.contesto_osservazioni", sel, [])
        var = d.q("marts.contesto_osservazioni", f"{sel} AND periodo = ?", [anno], "territorio_id")
        lvl = d.q("marts.contesto_osservazioni", "misura = 'reddito_disponibile_procapite' AND periodo = ? "
                  "AND territorio_id = ?", [anno, t.id], "territorio_id")
        v = var.set_index("territorio_id")
        if t.id not in v.index:
            raise DatiMancanti(f"manca la variazione del reddito disponibile {t.nome.di} nel {anno}")
        mine = v.loc[t.id, "valore"]
        text = f"Il reddito disponibile pro-capite delle famiglie {t.nome.di}"
        if not lvl.empty:
            text += (f" si è portato a quota {it.euro(lvl['valore'].iloc[0])} nel {anno}, con un {it.variazione(mine)} "
                     "rispetto a un anno prima")
        else:
            text += f" nel {anno} è {it.andamento(mine)} rispetto a un anno prima"
        bench = [(n, v.loc[k, "valore"]) for n, k in (("quella regionale", t.regione), ("quella nazionale", "IT"))
                 if k in v.index]
        if bench:
            text += ". Tale dinamica risulta " + it.confronti(mine, [("quella", n.split()[1], b, it.variazione(b))
                                                                    for n, b in bench])
        sez.paragrafi.append(text + ".")
        prov = var[(var["livello"] == "provincia") & var["regione_id"].isin(t.regioni)].copy()
        if t.regione in v.index and len(prov) > 1:
            ref = it.arrotonda(v.loc[t.regione, "valore"], 1)
            prov["shown"] = prov["valore"].round(1)
            groups = [(x, sorted(g["territorio"])) for x, g in prov.groupby("shown", sort=False)]
            groups.sort(key=lambda g: -g[0])
            above = [g for g in groups if g[0] > ref]
            below = [g for g in groups if g[0] < ref]
            if above:
                first, rest = above[0], above[1:]
                s = (f"A livello territoriale {it.elenco(first[1])} {'ha' if len(first[1]) == 1 else 'hanno'} messo a "
                     f"segno la ripresa reddituale più sostenuta ({it.variazione(first[0])})")
                if rest:
                    s += ", seguita da " + it.elenco([f"{it.elenco(n)} ({it.variazione(x)})" for x, n in rest])
                sez.paragrafi.append(s + ".")
            if below:
                sez.paragrafi.append(f"Al di sotto della media {t.nome_regione.aggettivo} si posizionano "
                                     + it.elenco([f"{it.elenco(n)} ({it.variazione(x)})" for x, n in below]) + ".")
            bars = prov.sort_values("valore")
            fig = go.Figure(go.Bar(
                x=bars["valore"], y=bars["territorio"], orientation="h", text=[it.variazione(x) for x in bars["valore"]],
                textposition="outside", cliponaxis=False,
                marker_color=[EVIDENZA if p in t.province else NEUTRO for p in bars["territorio_id"]],
                hovertemplate="%{y}: %{x:+.1f}%<extra></extra>"))
            fig.update_xaxes(title_text="variazione sull'anno precedente (%)", ticksuffix="%")
            sez.grafici.append(Grafico(
                "reddito_disponibile_province",
                f"Reddito disponibile pro-capite delle famiglie consumatrici: variazione % {anno} sull'anno precedente",
                f"Barre orizzontali della variazione del reddito disponibile pro-capite {anno} delle province "
                f"{t.nome_regione.di}: {t.nome.breve} {it.variazione(mine)}.",
                d.fonte(var["fonte"].iloc[0], var["rilascio"].max()),
                stile(fig, "Reddito disponibile pro-capite, variazione %", altezza_barre(len(bars))),
                nota=_nota_campione(var)))

    def irpef():
        anno = cap.periodo("irpef", "marts.sezione_irpef", "true", [])
        ir = d.q("marts.sezione_irpef", "periodo = ? AND territorio_id IN (?, ?, 'IT')", [anno, t.id, t.regione],
                 "territorio_id").set_index("territorio_id")
        if t.id not in ir.index:
            raise DatiMancanti(f"mancano i contribuenti IRPEF {t.nome.di} per l'anno d'imposta {anno}")
        r = ir.loc[t.id]
        text = (f"I contribuenti residenti {t.nome.in_} che hanno presentato la dichiarazione dei redditi IRPEF per "
                f"l'anno d'imposta {anno} sono stati {it.numero(r['contribuenti'])}")
        if t.regione in ir.index:
            text += f" su {it.numero(ir.loc[t.regione, 'contribuenti'])} {t.nome_regione.di}"
        text += (f", con un reddito imponibile complessivo di {it.numero(r['reddito_imponibile'] / 1e6)} milioni di "
                 f"euro. Il reddito imponibile per contribuente è pari a {it.euro(r['reddito_per_contribuente'])}")
        bench = [(n, ir.loc[k, "reddito_per_contribuente"]) for n, k in (("media regionale", t.regione),
                                                                           ("media nazionale", "IT")) if k in ir.index]
        if bench:
            text += ", " + it.confronti(r["reddito_per_contribuente"], [("la", n, b, it.euro(b)) for n, b in bench], 0)
        text += "."
        # the rank among the provinces of the region, only when every province of the region has the figure
        if pd.notna(r["rango_regione"]) and r["n_regione"] == r["n_province_regione"]:
            text += (f" In un'ideale graduatoria {t.nome_regione.aggettivo} del reddito imponibile per contribuente, "
                     f"i contribuenti {t.nome.di} si collocano in {it.ordinale(int(r['rango_regione']), femminile=True)} "
                     "posizione")
            ahead = list(r["precedenti_regione"])
            text += f" dopo {it.elenco(ahead)}." if ahead else "."
        sez.paragrafi.append(text)

    cap.parte("reddito disponibile (frase e grafico)", disponibile)
    cap.parte("contribuenti e reddito imponibile IRPEF", irpef)


# --- Le imprese: sectors (001:509-522) and specialisation (001:536-555) -------------------------

@sezione("imprese", "Le imprese", dopo="imprese", elemento="imprese attive per settore")
def imprese_settori(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    data = cap.periodo("imprese_settori", "marts.sezione_imprese_settori", "quota_pct IS NOT NULL", [])
    s = d.q("marts.sezione_imprese_settori", "territorio_id = ? AND periodo = ?", [t.id, data], "settore")
    cap.richiedi(s[s["rango"] == 1], f"imprese attive per settore {t.nome.di} al {_data(data)}")
    quando = it.data(dt.date.fromisoformat(data), "MMMM yyyy")
    top = s[s["rango"] == 1].iloc[0]
    text = (f"A livello settoriale il più elevato numero di unità produttive {t.nome.in_} a fine {quando} si concentra "
            f"nel comparto {top['settore']} ({it.numero(top['imprese_attive'])} imprese attive, "
            f"{it.il(top['quota_pct'])}{it.percentuale(top['quota_pct'])} del totale).")
    children = s[s["settore_padre"] == top["settore"]].sort_values("imprese_attive", ascending=False)
    if not children.empty:
        parts = [f"{c.settore.split(' - ', 1)[1].lower()} ({it.numero(c.imprese_attive)}; {it.percentuale(c.quota_pct)})"
                 for c in children.itertuples()]
        text += f" All'interno del settore si distinguono {it.elenco(parts)}."
    sez.paragrafi.append(text)
    others = s[s["rango"] > 1].sort_values("rango")
    if not others.empty:
        second = others.iloc[0]
        text = (f"Al {it.ordinale(int(second['rango']))} posto per numerosità imprenditoriale si collocano le imprese "
                f"del settore {second['settore']} ({it.numero(second['imprese_attive'])}), con una quota pari "
                f"{_al(second['quota_pct'])}{it.percentuale(second['quota_pct'])} delle imprese attive")
        rest = [f"{r.settore} ({it.numero(r.imprese_attive)}; {it.percentuale(r.quota_pct)})"
                for r in others.iloc[1:].itertuples()]
        sez.paragrafi.append(text + (f"; seguono {it.elenco(rest)}." if rest else "."))
    roots = s[s["settore_padre"].isna()].sort_values("imprese_attive")
    fig = go.Figure(go.Bar(x=roots["imprese_attive"], y=roots["settore"], orientation="h", marker_color=EVIDENZA,
                           text=[it.percentuale(q) for q in roots["quota_pct"]], textposition="outside",
                           cliponaxis=False, hovertemplate="%{y}: %{x:,.0f} imprese attive<extra></extra>"))
    fig.update_xaxes(title_text="imprese attive (numero)", tickformat=",.0f")
    sez.grafici.append(Grafico(
        "imprese_settore", f"Imprese attive per settore al {_data(data)}. Valori assoluti e quote % sul totale delle "
        "imprese attive",
        f"Barre orizzontali delle imprese attive per settore: {top['settore']} primo con "
        f"{it.numero(top['imprese_attive'])} imprese ({it.percentuale(top['quota_pct'])}).",
        d.fonte(s["fonte"].iloc[0]), stile(fig, "Imprese attive per settore", altezza_barre(len(roots))),
        nota=_nota_campione(s)))


@sezione("imprese", "Le imprese", dopo="imprese", elemento="settori di specializzazione")
def specializzazione(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    data = cap.periodo("specializzazione", "marts.sezione_specializzazione", "comparto", [])
    s = d.q("marts.sezione_specializzazione", "territorio_id = ? AND periodo = ?", [t.id, data], "settore")
    whole = cap.richiedi(s[s["comparto"]], f"settori di specializzazione {t.nome.di} al {_data(data)}").iloc[0]
    parts = s[~s["comparto"]].sort_values("imprese_attive", ascending=False)
    quando = _data(data)
    comparto = whole["settore"].lower()
    sez.paragrafi.append(
        f"Il comparto {comparto} {t.nome.di} al {quando} risulta composto da {it.numero(whole['imprese_attive'])} "
        f"imprese attive per complessive {it.numero(whole['unita_locali'])} unità locali. "
        f"{it.CARDINALI.get(len(parts), str(len(parts))).capitalize()} sono i principali settori di specializzazione "
        f"produttiva: {it.elenco([it.con_articolo(p) for p in parts['settore']])}.")
    if not parts.empty:
        first = parts.iloc[0]
        most = "unità produttive" if first["unita_locali"] == parts["unita_locali"].max() else "imprese"
        text = (f"Il settore {it.articolata('di', it.articolo(first['settore']), first['settore'].lower())}, con "
                f"{it.numero(first['imprese_attive'])} imprese attive e "
                f"{it.numero(first['unita_locali'])} unità locali (UL) al {quando}, risulta il settore di "
                f"specializzazione con il più elevato numero di {most}, arrivando a rappresentare "
                f"{it.il(first['quota_unita_locali_pct'])}{it.percentuale(first['quota_unita_locali_pct'])} delle unità "
                f"locali dell'intero comparto {comparto}.")
        rest = [f"{it.con_articolo(r.settore)} ({it.numero(r.imprese_attive)} imprese attive e {it.numero(r.unita_locali)} UL)"
                for r in parts.iloc[1:].itertuples()]
        sez.paragrafi.append(text + (f" Seguono {it.elenco(rest)}." if rest else ""))
    table = pd.concat([parts, s[s["comparto"]]])
    sez.tabelle.append(Tabella(
        "specializzazione", f"Imprese attive e unità locali nei principali settori produttivi {t.nome.di}. "
        f"Valori al {quando}",
        ["Settore", "Imprese attive", "Unità locali", f"Quota % delle unità locali del comparto {comparto}"],
        [[r.settore, cella(r.imprese_attive), cella(r.unita_locali), cella(r.quota_unita_locali_pct, it.numero, 1)]
         for r in table.itertuples()],
        d.fonte(s["fonte"].iloc[0]),
        table[["settore", "territorio_id", "territorio", "imprese_attive", "unita_locali", "quota_unita_locali_pct"]],
        _nota_campione(s),
        etichette={"settore": "Settore di specializzazione", "imprese_attive": "Imprese attive (numero)",
                   "unita_locali": "Unità locali (numero)",
                   "quota_unita_locali_pct": "Quota sulle unità locali del comparto (%)"},
        decimali={"quota_unita_locali_pct": 1}))


# --- Il commercio estero: destinations (003:1596-1620) and main sectors (001:588-618) -----------

@sezione("commercio_estero", "Il commercio estero", dopo="imprese")
def commercio_estero(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t

    def aree():
        sel = "misura = 'export' AND dimensione = 'area_destinazione' AND radice"
        anno = cap.periodo("export_aree", "marts.contesto_composizione", sel, [])
        comp = d.q("marts.contesto_composizione", f"{sel} AND periodo = ? AND territorio_id = ?", [anno, t.id],
                   "valore_dimensione")
        cap.richiedi(comp, f"esportazioni per area di destinazione {t.nome.di} nel {anno}")
        top = comp[comp["distanza"] == 1].sort_values("valore", ascending=False)
        parts = [f"{r.valore_dimensione.capitalize() if r.valore_dimensione.isupper() else r.valore_dimensione} "
                 f"({it.percentuale(r.quota_pct)})" for r in top.itertuples()]
        total = comp["valore_padre_numero"].iloc[0]
        quando, _ = _quando_mesi(anno)
        first = top.iloc[0]
        name = first["valore_dimensione"].capitalize() if first["valore_dimensione"].isupper() else first["valore_dimensione"]
        sez.paragrafi.append(
            f"{quando.capitalize()} le esportazioni {t.nome.di} sono state pari a {it.numero(total / 1e6)} milioni di "
            f"euro. La prima area di destinazione dell'export {t.nome.aggettivo} è {name}, con "
            f"{it.numero(first['valore'] / 1e6)} milioni di euro, {it.il(first['quota_pct'])}"
            f"{it.percentuale(first['quota_pct'])} del totale; seguono {it.elenco(parts[1:])}.")
        order = comp.sort_values(["distanza", "valore"], ascending=[True, False])
        rows, keep = [], []
        for r in top.itertuples():
            rows.append([r.valore_dimensione, cella(r.valore / 1e6), cella(r.quota_pct, it.numero, 1)])
            keep.append(r.Index)
            subs = order[(order["distanza"] == 2) & order["valore_dimensione"].isin(
                d.q("marts.contesto_composizione", "misura = 'export' AND dimensione = 'area_destinazione' AND "
                    "periodo = ? AND territorio_id = ? AND valore_padre = ?", [anno, t.id, r.valore_dimensione],
                    "valore_dimensione")["valore_dimensione"])]
            for s in subs.itertuples():
                rows.append([f"  {s.valore_dimensione}", cella(s.valore / 1e6), cella(s.quota_pct, it.numero, 1)])
                keep.append(s.Index)
        data = comp.loc[keep, ["valore_dimensione", "territorio_id", "territorio", "valore", "quota_pct"]].rename(
            columns={"valore_dimensione": "area", "valore": "export_euro"})
        sez.tabelle.append(Tabella(
            "export_aree", f"Esportazioni per area di destinazione {t.nome.di}. Anno {anno}. Valori in milioni di euro e "
            "quote % sul totale", ["Area di destinazione", "Milioni di euro", "Quota %"], rows,
            d.fonte(comp["fonte"].iloc[0]), data, _nota_campione(comp),
            etichette={"area": "Area di destinazione", "export_euro": "Esportazioni (euro)",
                       "quota_pct": "Quota sulle esportazioni totali (%)"}, decimali={"quota_pct": 1}))
        bars = top.sort_values("valore")
        fig = go.Figure(go.Bar(x=bars["quota_pct"], y=bars["valore_dimensione"], orientation="h", marker_color=EVIDENZA,
                               text=[it.percentuale(q) for q in bars["quota_pct"]], textposition="outside",
                               cliponaxis=False, hovertemplate="%{y}: %{x:.1f}%<extra></extra>"))
        fig.update_xaxes(title_text="quota sulle esportazioni (%)", ticksuffix="%")
        sez.grafici.append(Grafico(
            "export_aree", f"Esportazioni {t.nome.di} per area di destinazione. Anno {anno}. Composizione %",
            f"Barre orizzontali delle quote delle esportazioni {anno} per area: {top.iloc[0]['valore_dimensione']} "
            f"{it.percentuale(top.iloc[0]['quota_pct'])}.", d.fonte(comp["fonte"].iloc[0]),
            stile(fig, "Esportazioni per area di destinazione", altezza_barre(len(bars))), nota=_nota_campione(comp)))

    def settori():
        sel = "misura = 'export' AND dimensione = 'settore_export'"
        periodo = cap.periodo("export_settori", "marts.contesto_osservazioni", sel, [])
        obs = d.q("marts.contesto_osservazioni", f"{sel} AND periodo = ? AND territorio_id IN (?, ?)",
                  [periodo, t.id, t.regione], "territorio_id, valore_dimensione")
        quote = d.q("marts.contesto_quote", f"{sel} AND periodo = ? AND territorio_id = ? AND quota_su = 'regione'",
                    [periodo, t.id], "valore_dimensione")
        mine = cap.richiedi(obs[obs["territorio_id"] == t.id], f"esportazioni per settore {t.nome.di} ({periodo})")
        mine = mine.sort_values("riga") if "riga" in mine.columns else mine
        reg = obs[obs["territorio_id"] == t.regione].set_index("valore_dimensione")["valore"]
        share = quote.set_index("valore_dimensione")["quota_pct"]
        quando, periodo_txt = _quando_mesi(periodo)
        periodo_txt = periodo_txt or f"Anno {periodo}"
        top = mine.sort_values("valore", ascending=False).iloc[0]
        text = (f"{quando.capitalize()} le esportazioni del comparto {top['valore_dimensione'].lower()} {t.nome.di} "
                f"sono state pari a {it.numero(top['valore'])} milioni di euro")
        if top["valore_dimensione"] in share.index:
            q = share[top["valore_dimensione"]]
            text += f", {it.il(q)}{it.percentuale(q)} di quelle {t.nome_regione.di}"
        sez.paragrafi.append(text + ".")
        rows = [[r.valore_dimensione, cella(r.valore), cella(reg.get(r.valore_dimensione)),
                 cella(share.get(r.valore_dimensione), it.numero, 1)] for r in mine.itertuples()]
        dati = mine[["valore_dimensione", "territorio_id", "territorio", "valore"]].rename(
            columns={"valore_dimensione": "settore", "valore": "export_mln_euro"})
        dati["export_regione_mln_euro"] = dati["settore"].map(reg)
        dati["quota_regione_pct"] = dati["settore"].map(share)
        fonte = d.fonte(mine["fonte"].iloc[0])
        sez.tabelle.append(Tabella(
            "export_settori", f"L'export dei principali settori {t.nome.di}. {periodo_txt}. Valori in milioni di euro e "
            f"quote % sul totale {t.nome_regione.di}",
            ["Settore", f"{t.nome.breve} (milioni di euro)", f"{t.nome_regione.breve} (milioni di euro)",
             f"Quota % di {t.nome.breve}"], rows, fonte, dati, _nota_campione(mine),
            etichette={"settore": "Settore", "export_mln_euro": "Esportazioni (milioni di euro)",
                       "export_regione_mln_euro": "Esportazioni della regione (milioni di euro)",
                       "quota_regione_pct": "Quota sulle esportazioni della regione (%)"},
            decimali={"quota_regione_pct": 1}))
        bars = mine[~mine["valore_dimensione"].str.startswith("di cui")]
        bars = bars[bars["valore"] < bars["valore"].max()].sort_values("valore") if len(bars) > 2 else bars
        fig = go.Figure(go.Bar(x=bars["valore"], y=bars["valore_dimensione"], orientation="h", marker_color=EVIDENZA,
                               hovertemplate="%{y}: %{x:,.0f} milioni di euro<extra></extra>"))
        fig.update_xaxes(title_text="milioni di euro", tickformat=",.0f")
        sez.grafici.append(Grafico(
            "export_settori", f"Esportazioni dei principali settori {t.nome.di}. {periodo_txt} (milioni di euro)",
            f"Barre orizzontali delle esportazioni per settore; {top['valore_dimensione'].lower()} "
            f"{it.numero(top['valore'])} milioni di euro in tutto.", fonte,
            stile(fig, "Esportazioni per settore", altezza_barre(len(bars))), nota=_nota_campione(mine)))

    cap.parte("esportazioni per area di destinazione", aree)
    cap.parte("esportazioni dei principali settori", settori)


# --- Il turismo: companies (001:622-637), accommodation (001:645), areas (001:677-685) ----------

@sezione("turismo", "Il turismo", prima="turismo", elemento="imprese del comparto turistico")
def imprese_turistiche(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = ("misura = 'imprese_attive' AND dimensione = 'tipologia_turistica' AND valore_prec IS NOT NULL "
           "AND starts_with(valore_dimensione, 'Totale')")
    data = cap.periodo("imprese_turistiche", "marts.contesto_variazioni", sel, [])
    v = d.q("marts.contesto_variazioni", "misura = 'imprese_attive' AND dimensione = 'tipologia_turistica' "
            "AND territorio_id = ? AND periodo = ?", [t.id, data], "valore_dimensione")
    # the parts of the total the model's table shows: the total's own label family (not the wider totals)
    tot = v[v["valore_dimensione"] == "Totale"]
    tot = tot if not tot.empty else v[v["valore_dimensione"].str.startswith("Totale")]
    tot = cap.richiedi(tot, f"imprese turistiche {t.nome.di} al {_data(data)}")
    r = tot.iloc[0]
    date = dt.date.fromisoformat(data)
    delta = r["variazione_assoluta"]
    sez.paragrafi.append(
        f"Il numero d'imprese iscritte al Registro delle Imprese e operative nel settore turistico-ricettivo "
        f"{t.nome.in_} si è portato a quota {it.numero(r['valore'])} unità attive a fine "
        f"{it.data(date, 'MMMM yyyy')} con "
        f"{it.cambiamento(delta, 0, ' unità', 'un incremento', 'un calo', 'nessuna variazione')} nel corso dell'ultimo anno.")
    prev = d.q("marts.contesto_variazioni", "misura = 'imprese_attive' AND dimensione = 'tipologia_turistica' "
               "AND territorio_id = ? AND periodo = ?", [t.id, r["periodo_prec"]], "valore_dimensione")
    p2 = prev.set_index("valore_dimensione")["valore_prec"]
    parts = v[~v["valore_dimensione"].str.startswith("Totale") & v["valore_prec"].notna()]
    parts = parts.sort_values("valore", ascending=False)
    rows_df = pd.concat([parts, tot.iloc[[0]]])
    y0, y1 = date.replace(year=date.year - 2), date.replace(year=date.year - 1)

    def fmt_d(x):
        return it.data(x, "d/M/yyyy")

    rows = [[x.valore_dimensione, cella(p2.get(x.valore_dimensione)), cella(x.valore_prec), cella(x.valore),
             cella(x.variazione_assoluta, it.variazione, 0, "")] for x in rows_df.itertuples()]
    dati = rows_df[["valore_dimensione", "territorio_id", "territorio", "valore_prec", "valore", "variazione_assoluta"]]
    dati = dati.rename(columns={"valore_dimensione": "tipologia", "valore_prec": "imprese_anno_prec",
                                "valore": "imprese_attive"})
    dati.insert(3, "imprese_due_anni_prima", dati["tipologia"].map(p2))
    sez.tabelle.append(Tabella(
        "imprese_turistiche", f"Consistenza delle imprese attive nel comparto turistico {t.nome.in_}. Valori "
        "assoluti e variazione nell'ultimo anno",
        ["Tipologia", fmt_d(y0), fmt_d(y1), fmt_d(date), "Variazione nell'ultimo anno"], rows,
        d.fonte(v["fonte"].iloc[0]), dati, _nota_campione(v),
        etichette={"tipologia": "Tipologia di impresa",
                   "imprese_due_anni_prima": f"Imprese attive al {fmt_d(y0)} (numero)",
                   "imprese_anno_prec": f"Imprese attive al {fmt_d(y1)} (numero)",
                   "imprese_attive": f"Imprese attive al {fmt_d(date)} (numero)",
                   "variazione_assoluta": "Variazione nell'ultimo anno (numero)"}))


@sezione("turismo", "Il turismo", dopo="turismo", elemento="strutture e ambiti turistici")
def turismo_strutture_aree(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t

    def strutture():
        anno = cap.periodi.get("turismo")
        if not anno:
            raise DatiMancanti("nessun anno di arrivi e presenze")
        comp = d.q("marts.contesto_composizione", "misura IN ('arrivi', 'presenze') AND dimensione = "
                   "'tipo_esercizio|provenienza' AND componente = 'tipo_esercizio' AND periodo = ? AND territorio_id = ? "
                   "AND radice", [anno, t.id], "valore_dimensione, misura")
        kinds = comp[comp["valore_dimensione"].str.endswith("|Totale") & (comp["misura"] == "arrivi")]
        cap.richiedi(kinds, f"arrivi per tipo di esercizio {t.nome.di} nel {anno}")
        main = kinds.sort_values("quota_pct", ascending=False).iloc[0]
        pres = comp[(comp["valore_dimensione"] == main["valore_dimensione"]) & (comp["misura"] == "presenze")]
        cap.richiedi(pres, f"presenze per tipo di esercizio {t.nome.di} nel {anno}")
        a, p = main["quota_pct"], pres.iloc[0]["quota_pct"]
        kind = main["valore_dimensione"].split("|")[0]
        sez.paragrafi.append(
            f"{it.il(a).capitalize()}{it.percentuale(a)} dei turisti che hanno visitato {t.nome.richiamo} ha soggiornato "
            f"presso {STRUTTURE.get(kind, kind.lower())}, che hanno raccolto {it.il(p)}{it.percentuale(p)} delle "
            "presenze.")

    def aree():
        anno = cap.periodo("turismo_aree", "marts.sezione_turismo_aree", "quota_arrivi_provincia_pct IS NOT NULL", [],
                           territori=cap.conn.execute("SELECT list(territorio_id) FROM marts.dim_territorio WHERE "
                                                      "livello = 'area' AND provincia_id IN (SELECT unnest(?))",
                                                      [list(t.province)]).fetchone()[0] or ["-"])
        a = d.q("marts.sezione_turismo_aree", "provincia_id IN (SELECT unnest(?)) AND periodo = ?",
                [list(t.province), anno], "territorio_id, provenienza")
        tot = cap.richiedi(a[a["provenienza"] == "Totale"].sort_values("arrivi", ascending=False),
                           f"arrivi per ambito turistico {t.nome.di} nel {anno}")
        # a Camera of several provinces: the areas are those of the provinces that have them, named as such
        nomi = dict(zip(t.province, t.nomi_province))
        con_aree = [p for p in t.province if p in set(a["provincia_id"])]
        if t.provinciale:
            dove, di, provinciali = "in provincia", t.nome.di, "provinciali"
        else:
            names = it.elenco([nomi[p] for p in con_aree])
            dove = f"in provincia di {names}" if len(con_aree) == 1 else f"nelle province di {names}"
            di = f"della provincia di {names}" if len(con_aree) == 1 else f"delle province di {names}"
            provinciali = di
            senza = [nomi[p] for p in t.province if p not in con_aree]
            per = f"per la provincia di {names}" if len(con_aree) == 1 else f"per le province di {names}"
            sez.paragrafi.append(f"I dati per ambito turistico sono disponibili solo {per}.")
            if senza:
                cap.mancanti.append(Mancanza(cap._sezione, "turismo per ambito territoriale "
                                            + (f"della provincia di {senza[0]}" if len(senza) == 1
                                               else f"delle province di {it.elenco(senza)}"),
                                            f"mancano arrivi e presenze per ambito turistico nel {anno}"))
        for r in tot.itertuples():
            qa, qp = r.quota_arrivi_provincia_pct, r.quota_presenze_provincia_pct
            words_a, words_p = it.quota_in_parole(qa), it.quota_in_parole(qp)
            if qa >= 50 and words_a.startswith(("quasi", "poco")) and words_p.startswith(("quasi", "poco")):
                # the area holding most of the province's tourists, said in words (001:677-679)
                nights = (f"{words_p.replace(' su ', ' pernottamenti su ')} ({it.percentuale(qp)})" if " su " in words_p
                          else f"{words_p} dei pernottamenti ({it.percentuale(qp)})")
                text = (f"Nel {anno} l'ambito {r.territorio} ha registrato {it.numero(r.arrivi)} arrivi e "
                        f"{it.numero(r.presenze)} presenze, con una permanenza media di "
                        f"{it.numero(r.permanenza_media, 1)} notti. L'ambito ha ospitato {words_a} "
                        f"({it.percentuale(qa)} degli arrivi) dei turisti giunti {dove}, e in termini di presenze "
                        f"{nights} sono avvenuti nell'area.")
            else:
                text = (f"L'ambito {r.territorio} nel {anno} ha ospitato {it.il(qa)}{it.percentuale(qa)} degli arrivi "
                        f"({it.numero(r.arrivi)}) e {it.il(qp)}{it.percentuale(qp)} delle presenze "
                        f"({it.numero(r.presenze)}) {provinciali}, con una permanenza media di "
                        f"{it.numero(r.permanenza_media, 1)} notti.")
            parts = a[(a["territorio_id"] == r.territorio_id) & (a["provenienza"] != "Totale")
                      & a["quota_arrivi_area_pct"].notna()]
            said = [f"i turisti {p.provenienza.lower()}{' rappresentano' if n == 0 else ''} {it.il(p.quota_arrivi_area_pct)}"
                    f"{it.percentuale(p.quota_arrivi_area_pct)} degli arrivi ({it.numero(p.arrivi)}) e "
                    f"{it.il(p.quota_presenze_area_pct)}{it.percentuale(p.quota_presenze_area_pct)} delle presenze "
                    f"({it.numero(p.presenze)}){' nell' + chr(39) + 'area' if n == 0 else ''}" for n, p in enumerate(parts.itertuples())]
            if said:
                text += f" Per provenienza, {'; '.join(said)}."
            sez.paragrafi.append(text)
        rows, keep = [], []
        for r in tot.itertuples():
            for prov in ("Totale", "Italiani", "Stranieri"):
                x = a[(a["territorio_id"] == r.territorio_id) & (a["provenienza"] == prov)]
                if x.empty:
                    continue
                x = x.iloc[0]
                keep.append(x.name)
                rows.append([r.territorio if prov == "Totale" else f"  {prov}", cella(x["arrivi"]), cella(x["presenze"]),
                             cella(x["permanenza_media"], it.numero, 1), cella(x["quota_arrivi_provincia_pct"], it.numero, 1),
                             cella(x["quota_presenze_provincia_pct"], it.numero, 1)])
        cols = ["territorio", "territorio_id", "provenienza", "arrivi", "presenze", "permanenza_media",
                "quota_arrivi_provincia_pct", "quota_presenze_provincia_pct"]
        sez.tabelle.append(Tabella(
            "turismo_aree", f"Arrivi e presenze nelle strutture ricettive per ambito turistico e nazionalità {di}. "
            f"Anno {anno}", ["Ambito e provenienza", "Arrivi", "Presenze", "Permanenza media (notti)",
                             "Quota % arrivi provincia", "Quota % presenze provincia"], rows,
            d.fonte(a["fonte"].iloc[0]), a.loc[keep, cols], _nota_campione(a),
            etichette={"territorio": "Ambito turistico", "provenienza": "Provenienza", "arrivi": "Arrivi (numero)",
                       "presenze": "Presenze (notti)", "permanenza_media": "Permanenza media (notti)",
                       "quota_arrivi_provincia_pct": "Quota sugli arrivi della provincia (%)",
                       "quota_presenze_provincia_pct": "Quota sulle presenze della provincia (%)"},
            decimali={"permanenza_media": 1, "quota_arrivi_provincia_pct": 1, "quota_presenze_provincia_pct": 1}))

    cap.parte("quota delle strutture alberghiere", strutture)
    cap.parte("turismo per ambito territoriale", aree)


# --- La popolazione: residents (001:689-700) and the old-age index (001:713-722) ----------------

@sezione("popolazione", "La popolazione", prima="popolazione", elemento="popolazione residente")
def popolazione_residente(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    data = cap.periodo("popolazione_residente", "marts.sezione_popolazione", "true", [])
    p = d.q("marts.sezione_popolazione", "periodo = ? AND territorio_id IN (?, ?, 'IT')", [data, t.id, t.regione],
            "territorio_id").set_index("territorio_id")
    if t.id not in p.index:
        raise DatiMancanti(f"manca la popolazione {t.nome.di} al {_data(data)}")
    r = p.loc[t.id]
    text = f"La popolazione residente {t.nome.in_} al {_data(data)} si attesta a {it.numero(r['residenti'])} unità"
    if pd.notna(r["quota_regione_pct"]):
        text += f", {it.il(r['quota_regione_pct'])}{it.percentuale(r['quota_regione_pct'])} del totale regionale"
    text += (f"; le donne sono {it.il(r['quota_femmine_pct'])}{it.percentuale(r['quota_femmine_pct'])} dei residenti "
             f"e gli over 64 {it.il(r['quota_over64_pct'])}{it.percentuale(r['quota_over64_pct'])} della popolazione")
    sez.paragrafi.append(text + ".")
    order = [k for k in (t.id, t.regione, "IT") if k in p.index]
    rows = [[p.loc[k, "territorio"], cella(p.loc[k, "residenti"]), cella(p.loc[k, "quota_regione_pct"], it.numero, 1),
             cella(p.loc[k, "quota_femmine_pct"], it.numero, 1), cella(p.loc[k, "quota_over64_pct"], it.numero, 1),
             cella(p.loc[k, "indice_vecchiaia"], it.numero, 1)] for k in order]
    rows = [[c if c != "n.d." or i != 2 or k == t.id else "" for i, c in enumerate(row)] for row, k in zip(rows, order)]
    cols = ["territorio", "residenti", "quota_regione_pct", "quota_femmine_pct", "quota_over64_pct", "indice_vecchiaia"]
    sez.tabelle.append(Tabella(
        "popolazione_residente", f"Popolazione residente {t.nome.in_}, {t.nome_regione.in_} e in Italia al {_data(data)}",
        ["Territorio", "Residenti", f"Quota % su {t.nome_regione.breve}", "% donne", "% over 64", "Indice di vecchiaia"],
        rows, d.fonte(p["fonte"].iloc[0]),
        p.loc[order].reset_index()[["territorio_id", *cols]], _nota_campione(p),
        etichette={"territorio": "Territorio", "residenti": "Residenti (numero)",
                   "quota_regione_pct": "Quota sulla regione (%)", "quota_femmine_pct": "Donne sul totale (%)",
                   "quota_over64_pct": "Residenti con più di 64 anni (%)",
                   "indice_vecchiaia": "Indice di vecchiaia (over 64 ogni 100 under 15)"},
        decimali={c: 1 for c in cols[2:]}))


@sezione("popolazione", "La popolazione", dopo="popolazione", elemento="indice di vecchiaia")
def vecchiaia(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    anni = cap.periodo("vecchiaia", "marts.sezione_popolazione", "indice_vecchiaia IS NOT NULL", [], quanti=12)
    anni = anni if isinstance(anni, list) else [anni]
    v = d.q("marts.sezione_popolazione", f"territorio_id IN (?, ?) AND periodo IN ({','.join('?' * len(anni))})",
            [t.id, t.regione, *anni], "territorio_id, periodo")
    p = v.pivot_table(index="periodo", columns="territorio_id", values="indice_vecchiaia")
    if t.id not in p.columns or len(p) < 2:
        raise DatiMancanti(f"meno di due date con l'indice di vecchiaia {t.nome.di}")
    first, last = p.index.min(), p.index.max()

    def inizio(x):
        return f"inizio {x[:4]}" if x.endswith("-01-01") else _data(x)

    text = (f"L'indice di vecchiaia (popolazione over 64 ogni 100 under 15) {t.nome.di} è passato dai "
            f"{it.numero(p.loc[first, t.id], 1)} residenti over 64 ogni 100 under 15 di {inizio(first)} ai "
            f"{it.numero(p.loc[last, t.id], 1)} di {inizio(last)}")
    if t.regione in p.columns and p[t.regione].notna().all():
        a, b = p.loc[first, t.regione], p.loc[last, t.regione]
        gap = it.arrotonda(b, 1) - it.arrotonda(a, 1)
        moto = "è salito" if gap > 0 else "è sceso" if gap < 0 else "è rimasto"
        text += (f"; quello {t.nome_regione.di} nello stesso periodo {moto} da {it.numero(a, 1)} a {it.numero(b, 1)}"
                 if moto != "è rimasto" else f"; quello {t.nome_regione.di} è rimasto a {it.numero(b, 1)}")
    sez.paragrafi.append(text + ".")
    fig = go.Figure()
    for k, label in ((t.id, t.nome.breve), (t.regione, t.nome_regione.breve)):
        if k in p.columns:
            fig.add_scatter(x=[inizio(x) for x in p.index], y=p[k], mode="lines+markers", name=label,
                            hovertemplate=label + " %{x}: %{y:.1f}<extra></extra>")
    fig.update_yaxes(title_text="over 64 ogni 100 under 15")
    tacche(fig, p[[k for k in (t.id, t.regione) if k in p.columns]].values.ravel(), 0)
    fig.update_xaxes(type="category")
    sez.grafici.append(Grafico(
        "indice_vecchiaia", f"Indice di vecchiaia {t.nome.in_} e {t.nome_regione.in_}. Valori al 1° gennaio",
        f"Linee dell'indice di vecchiaia: {t.nome.breve} da {it.numero(p.loc[first, t.id], 1)} a "
        f"{it.numero(p.loc[last, t.id], 1)}.", d.fonte(v["fonte"].iloc[0]),
        stile(fig, "Indice di vecchiaia", altezza=300)))


# --- I consumi delle famiglie: durables (001:734-742, 003:1998-2030) ----------------------------

@sezione("consumi", "I consumi delle famiglie", dopo="popolazione")
def consumi(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = "misura = 'spesa_beni_durevoli' AND dimensione = 'comparto' AND variazione_pct IS NOT NULL"
    anno = cap.periodo("consumi", "marts.contesto_variazioni", sel, [])
    v = d.q("marts.contesto_variazioni", f"{sel} AND periodo = ? AND territorio_id IN (?, ?, 'IT')",
            [anno, t.id, t.regione], "territorio_id, valore_dimensione")
    mine = cap.richiedi(v[v["territorio_id"] == t.id], f"spesa per beni durevoli {t.nome.di} nel {anno}")
    tot = v[v["valore_dimensione"] == "Totale"].set_index("territorio_id")
    fonte = d.fonte(v["fonte"].iloc[0], v["rilascio"].max())

    def frase():
        if t.id not in tot.index:
            raise DatiMancanti(f"manca la spesa totale per beni durevoli {t.nome.di} nel {anno}")
        x = tot.loc[t.id]
        text = (f"Nel {anno} i consumi di beni durevoli delle famiglie {t.nome.di} si sono attestati a "
                f"{it.numero(x['valore'])} milioni di euro a prezzi correnti, {it.andamento(x['variazione_pct'])} "
                f"rispetto ai {it.numero(x['valore_prec'])} milioni dell'anno precedente")
        bench = [(n, tot.loc[k, "variazione_pct"]) for n, k in (("regionale", t.regione), ("nazionale", "IT"))
                 if k in tot.index]
        if bench:
            text += ", " + it.confronti(x["variazione_pct"], [("la", f"media {n}", b, it.variazione(b)) for n, b in bench])
        sez.paragrafi.append(text + ".")
        parts = mine[mine["valore_dimensione"] != "Totale"].sort_values("variazione_pct", ascending=False)
        up = [f"{r.valore_dimensione.lower()} ({it.variazione(r.variazione_pct)})" for r in parts.itertuples()
              if it.arrotonda(r.variazione_pct, 1) > 0]
        down = [f"{r.valore_dimensione.lower()} ({it.variazione(r.variazione_pct)})" for r in parts.itertuples()
                if it.arrotonda(r.variazione_pct, 1) < 0]
        if up or down:
            s = []
            if up:
                s.append(f"in crescita la spesa per {it.elenco(up)}")
            if down:
                s.append(f"in calo quella per {it.elenco(down)}")
            sez.paragrafi.append(f"Per comparto, {'; '.join(s)}.".replace("Per comparto, in", "Per comparto è in", 1))

    def tabella():
        rows_df = pd.concat([mine[mine["valore_dimensione"] != "Totale"], mine[mine["valore_dimensione"] == "Totale"]])
        prima = str(int(anno) - 1)
        others = {k: v[v["territorio_id"] == k].set_index("valore_dimensione")["variazione_pct"]
                  for k in (t.regione, "IT")}
        # a benchmark column only when it has the parts too (else its total is in the sentence)
        names = {k: n for k, n in zip(v["territorio_id"], v["territorio"])
                 if k in others and len(others[k].drop("Totale", errors="ignore"))}
        cols = [f"{t.nome.breve} {prima} (mln di euro)", f"{t.nome.breve} {anno} (mln di euro)",
                f"Var. % {t.nome.breve}"] + [f"Var. % {names[k]}" for k in (t.regione, "IT") if k in names]
        rows = [[r.valore_dimensione, cella(r.valore_prec), cella(r.valore), cella(r.variazione_pct, it.variazione),
                 *[cella(others[k].get(r.valore_dimensione), it.variazione) for k in (t.regione, "IT") if k in names]]
                for r in rows_df.itertuples()]
        sez.tabelle.append(Tabella(
            "spesa_beni_durevoli", f"Spesa delle famiglie per l'acquisto di beni durevoli {t.nome.di}. Anni {prima} e "
            f"{anno}. Valori in milioni di euro e variazioni %", ["Comparto", *cols], rows, fonte,
            v[["territorio_id", "territorio", "valore_dimensione", "valore_prec", "valore", "variazione_pct"]].rename(
                columns={"valore_dimensione": "comparto", "valore_prec": "spesa_anno_prec_mln_euro",
                         "valore": "spesa_mln_euro"}), _nota_campione(v),
            etichette={"comparto": "Comparto", "spesa_anno_prec_mln_euro": f"Spesa {prima} (milioni di euro)",
                       "spesa_mln_euro": f"Spesa {anno} (milioni di euro)", "variazione_pct": "Variazione (%)"},
            decimali={"variazione_pct": 1}))

    cap.parte("frase sulla spesa per beni durevoli", frase)
    cap.parte("tabella della spesa per beni durevoli", tabella)


# --- Il mercato del lavoro: Cassa Integrazione Guadagni (001:795-800) ---------------------------

@sezione("lavoro", "Il mercato del lavoro", dopo="lavoro", elemento="Cassa Integrazione Guadagni")
def cassa_integrazione(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = "misura = 'ore_autorizzate' AND dimensione = 'tipo_intervento' AND valore_dimensione = 'Totale'"
    periodo = cap.periodo("cig", "marts.contesto_osservazioni", sel, [])
    o = d.q("marts.contesto_osservazioni", f"{sel} AND periodo = ? AND territorio_id = ?", [periodo, t.id], "territorio_id")
    r = cap.richiedi(o, f"ore di Cassa Integrazione Guadagni {t.nome.di} ({periodo})").iloc[0]
    quando, _ = _quando_mesi(periodo)
    var = d.q("marts.contesto_variazioni", f"{sel} AND periodo = ? AND territorio_id = ?", [periodo, t.id], "territorio_id")
    text = (f"{quando.capitalize()} le ore autorizzate di Cassa Integrazione Guadagni {t.nome.in_} sono state "
            f"{it.numero(r['valore'])}")
    if not var.empty and pd.notna(var["variazione_pct"].iloc[0]):
        x = var.iloc[0]
        text += (f", {it.andamento(x['variazione_pct'])} rispetto allo stesso periodo dell'anno precedente, quando "
                 f"erano state {it.numero(x['valore_prec'])}")
    sez.paragrafi.append(text + ".")


# --- Il credito: lending rates (003:2290-2310) ------------------------------------------------

@sezione("credito", "Il credito", dopo="lavoro")
def credito(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = "misura = 'tasso_attivo' AND dimensione = 'categoria_rischio|settore'"
    data = cap.periodo("credito", "marts.contesto_osservazioni", sel, [])
    o = d.q("marts.contesto_osservazioni", f"{sel} AND periodo = ? AND territorio_id IN (?, ?, 'IT')",
            [data, t.id, t.regione], "territorio_id, valore_dimensione")
    mine = cap.richiedi(o[o["territorio_id"] == t.id], f"tassi attivi {t.nome.di} al {_data(data)}")
    o = o.copy()
    o[["rischio", "settore"]] = o["valore_dimensione"].str.split("|", expand=True)
    w = o.pivot_table(index="territorio_id", columns=["rischio", "settore"], values="valore")
    order = [k for k in (t.id, t.regione, "IT") if k in w.index]
    names = dict(zip(o["territorio_id"], o["territorio"]))
    cols = list(w.columns)
    me = mine.set_index("valore_dimensione")["valore"]
    parts = [f"{r.split('|')[0].lower()} {it.percentuale(x)}" for r, x in me.items() if r.endswith("|Totale")]
    if parts:
        sez.paragrafi.append(f"Al {_data(data)} i tassi attivi sui finanziamenti a imprese e famiglie {t.nome.di} sono "
                             f"pari, per categoria di rischio, a: {it.elenco(parts)}.")
    sez.tabelle.append(Tabella(
        "tassi_attivi", f"Tassi attivi al {_data(data)} per finanziamenti a imprese e famiglie (valori %)",
        ["Territorio", *[f"{r}: {s}" for r, s in cols]],
        [[names[k], *[cella(w.loc[k, c], it.numero, 1) for c in cols]] for k in order],
        d.fonte(o["fonte"].iloc[0]),
        o[["territorio_id", "territorio", "rischio", "settore", "valore"]].rename(columns={"valore": "tasso_pct"}),
        _nota_campione(o), etichette={"rischio": "Categoria di rischio", "settore": "Settore della clientela",
                                      "tasso_pct": "Tasso attivo (%)"}, decimali={"tasso_pct": 1}, compatta=True))

