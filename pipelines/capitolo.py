"""The chapter "Analisi del contesto" and the health report, built from the marts of one edition.

Every sentence is built from the same rows as the table beside it, so text and table cannot
disagree; a sentence whose data are missing is left out, never filled with a placeholder. Tables
and figures are numbered in order and carry their "Fonte:" line from the source registry, with
the release the edition used ("Ottobre 2018").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import yaml

from pipelines import italiano as it
from pipelines.grafici import EVIDENZA, NEUTRO, Grafico, altezza_barre, stile
from pipelines.settings import DATA_DIR, camere


# charts every edition may have (the health report adds one per indicator and the panel chart)
GRAFICI_FISSI = ["valore_aggiunto_province", "imprese_status", "turismo_provenienza", "natalita", "piramide_eta",
                 "avviamenti_contratto"]


@dataclass
class Tabella:
    nome: str
    titolo: str
    colonne: list[str]
    righe: list[list[str]]
    fonte: str
    dati: pd.DataFrame  # the same figures, unformatted, for XLSX and CSV
    nota: str | None = None
    numero: int = 0
    etichette: dict[str, str] = field(default_factory=dict)  # data column -> readable header with unit
    decimali: dict[str, int] = field(default_factory=dict)   # data column -> decimals shown in XLSX


@dataclass
class Sezione:
    titolo: str
    paragrafi: list[str] = field(default_factory=list)
    tabelle: list[Tabella] = field(default_factory=list)
    grafici: list[Grafico] = field(default_factory=list)


def carica_edizione(edizione_id: str) -> dict:
    with open(DATA_DIR / "edizioni" / f"{edizione_id}.yaml", encoding="utf-8") as fh:
        ed = yaml.safe_load(fh)
    ed["camera_obj"] = camere()[ed["camera"]]
    return ed


class Dati:
    """Read-only queries on the marts, each figure taken from the release the edition could use."""

    def __init__(self, conn, edizione: dict):
        self.conn = conn
        self.data_edizione = edizione["data_edizione"]

    def q(self, table: str, where: str, params: list, key: str) -> pd.DataFrame:
        sql = (f"SELECT * FROM {table} WHERE {where} QUALIFY row_number() OVER (PARTITION BY {key} "
               "ORDER BY rilascio <= ? DESC, CASE WHEN rilascio <= ? THEN rilascio END DESC NULLS LAST, rilascio) = 1 "
               f"ORDER BY {key}")  # the same rows in the same order every time: the same data, the same chapter
        return self.conn.execute(sql, [*params, self.data_edizione, self.data_edizione]).df()

    def fonte(self, fonte_id: str, rilascio=None, natura: str | None = None) -> str:
        text = self.conn.execute("SELECT fonte_testo FROM meta.fonti WHERE id = ?", [fonte_id]).fetchone()[0]
        if rilascio is not None and not pd.isna(rilascio):
            text += f" ({it.mese_anno(pd.Timestamp(rilascio).date())})"
        return text


def _territorio(conn, camera) -> tuple[str, str, str]:
    """The territory the chapter describes (the province, or the Camera's own for merged Camere)."""
    tid = f"P{camera.province[0]}" if len(camera.province) == 1 else f"CCIAA_{camera.codice}"
    nome, regione = conn.execute("SELECT nome, regione_id FROM marts.dim_territorio WHERE territorio_id = ?",
                                 [tid]).fetchone()
    return tid, nome, regione


def _nota_campione(df: pd.DataFrame) -> str | None:
    """The one note for sample data: only values built for the example are marked; figures as the
    publishers printed them (natura = pubblicato) are their own and carry no note."""
    if "natura" in df.columns and (df["natura"] == "illustrativo").any():
        return "Valori illustrativi (non pubblicati): servono a mostrare il calcolo."
    return None


# --- sections ---------------------------------------------------------------------------------

def valore_aggiunto(d: Dati, ed: dict, tid: str, nome: str, regione: str) -> Sezione:
    sez = Sezione("Il valore aggiunto")
    anno = ed["periodi"]["valore_aggiunto"]
    va = d.q("marts.contesto_osservazioni",
             "misura = 'va_prezzi_correnti' AND periodo = ? AND valore_dimensione = 'Totale' AND dimensione = 'branca'",
             [anno], "territorio_id")
    if va.empty or tid not in set(va["territorio_id"]):
        return sez
    ranks = d.q("marts.contesto_ranghi", "misura = 'va_prezzi_correnti' AND periodo = ? AND valore_dimensione = 'Totale'",
                [anno], "territorio_id")
    quote = d.q("marts.contesto_quote", "misura = 'va_prezzi_correnti' AND periodo = ? AND valore_dimensione = 'Totale' "
                "AND quota_su = 'regione'", [anno], "territorio_id")
    var = d.q("marts.contesto_osservazioni",
              "misura = 'va_prezzi_costanti_var_pct' AND periodo = ? AND valore_dimensione = 'Totale'", [anno], "territorio_id")
    row = va.set_index("territorio_id").loc[tid]
    fonte = d.fonte("prometeia", row["rilascio"])
    share = quote.set_index("territorio_id")["quota_pct"]
    sentence = (f"Nel {anno} la ricchezza prodotta dal sistema economico della provincia di {nome}, espressa in termini "
                f"di valore aggiunto a prezzi correnti, è stimata pari a {it.numero(row['valore'])} milioni di euro")
    if tid in share.index:
        sentence += f", {it.il(share[tid])}{it.percentuale(share[tid])} del valore aggiunto complessivamente prodotto in Toscana"
    r = ranks.set_index("territorio_id")
    if tid in r.index:
        ahead = r.loc[tid, "precedenti_regione"]
        pos = int(r.loc[tid, "rango_regione"])
        sentence += f", che colloca la provincia al {it.ordinale(pos)} posto in regione"
        if len(ahead):
            names = {v: k for k, v in va.set_index("territorio_id")["territorio"].items()}
            parts = [f"{p} ({it.numero(va.set_index('territorio').loc[p, 'valore'])}; "
                     f"{it.percentuale(share.get(names.get(p), float('nan')))})" for p in ahead]
            sentence += f", dopo {it.elenco(parts)}"
    sez.paragrafi.append(sentence + ".")
    v = var.set_index("territorio_id")["valore"]
    if tid in v.index:
        text = f"A prezzi costanti il valore aggiunto provinciale risulta {it.andamento(v[tid])} rispetto all'anno precedente"
        bench = [(n, v[k]) for n, k in (("regionale", regione), ("nazionale", "IT")) if k in v.index]
        if bench:
            text += ", " + " e ".join(f"{it.confronto(v[tid], b)} media {n} ({it.variazione(b)})" for n, b in bench)
        sez.paragrafi.append(text + ".")

    prov = va[va["livello"].isin(["provincia", "regione", "italia"])].copy()
    prov["quota"] = prov["territorio_id"].map(share)
    prov["var"] = prov["territorio_id"].map(v)
    prov["ordine"] = prov["livello"].map({"provincia": 0, "regione": 1, "italia": 2})
    prov = prov.sort_values(["ordine", "valore"], ascending=[True, False])
    sez.tabelle.append(Tabella(
        "valore_aggiunto_territorio",
        f"Valore aggiunto anno {anno} per territorio. Valori in milioni di euro a prezzi correnti, quota % sulla "
        "Toscana e variazione % a prezzi costanti",
        ["Territorio", "Milioni di euro", "Quota % su Toscana", "Var. % a prezzi costanti"],
        [[t, it.numero(x), "" if pd.isna(q) else it.numero(q, 1), "" if pd.isna(g) else it.variazione(g)]
         for t, x, q, g in prov[["territorio", "valore", "quota", "var"]].itertuples(index=False)],
        fonte, prov[["territorio", "territorio_id", "valore", "quota", "var"]].rename(columns={
            "valore": "va_mln_euro", "quota": "quota_regione_pct", "var": "var_pct_prezzi_costanti"}),
        _nota_campione(va),
        etichette={"va_mln_euro": "Valore aggiunto a prezzi correnti (milioni di euro)",
                   "quota_regione_pct": "Quota sul totale della regione (%)",
                   "var_pct_prezzi_costanti": "Variazione sull'anno precedente a prezzi costanti (%)"},
        decimali={"quota_regione_pct": 1, "var_pct_prezzi_costanti": 1}))
    bars = prov[prov["livello"] == "provincia"]
    fig = go.Figure(go.Bar(
        x=bars["territorio"], y=bars["valore"],
        marker_color=[EVIDENZA if t == tid else NEUTRO for t in bars["territorio_id"]],
        hovertemplate="%{x}: %{y:,.0f} milioni di euro<extra></extra>"))
    fig.update_yaxes(title_text="milioni di euro", tickformat=",.0f")
    top = bars.iloc[0]
    sez.grafici.append(Grafico(
        "valore_aggiunto_province", f"Valore aggiunto a prezzi correnti per provincia. Anno {anno} (milioni di euro)",
        f"Grafico a barre del valore aggiunto {anno} delle province toscane: {top['territorio']} prima con "
        f"{it.numero(top['valore'])} milioni; {nome} {it.numero(row['valore'])} milioni.",
        fonte, stile(fig, f"Valore aggiunto per provincia, {anno} (milioni di euro)")))

    comp = d.q("marts.contesto_composizione", "misura = 'va_prezzi_correnti' AND periodo = ? AND radice "
               "AND territorio_id IN (?, ?)", [anno, tid, regione], "territorio_id, valore_dimensione")
    if not comp.empty:
        c = comp.pivot_table(index="valore_dimensione", columns="territorio_id", values="quota_pct")
        order = ["Agricoltura, silvicoltura e pesca", "Totale Industria", "Industria in senso stretto", "Costruzioni",
                 "Servizi"]
        c = c.reindex([o for o in order if o in c.index])
        if tid in c.columns:
            l = c[tid]
            parts = {k: l.get(k) for k in c.index}
            if all(v == v for v in parts.values()) and len(parts) == 5:
                serv, ind, agr = parts["Servizi"], parts["Totale Industria"], parts["Agricoltura, silvicoltura e pesca"]
                sez.paragrafi.append(
                    f"I servizi generano {it.il(serv)}{it.percentuale(serv)} del valore aggiunto provinciale, l'industria "
                    f"{it.il(ind)}{it.percentuale(ind)} (industria in senso stretto "
                    f"{it.percentuale(parts['Industria in senso stretto'])}, costruzioni {it.percentuale(parts['Costruzioni'])}), "
                    f"l'agricoltura {it.il(agr)}{it.percentuale(agr)}.")
        sez.tabelle.append(Tabella(
            "valore_aggiunto_branca", f"Composizione % del valore aggiunto a prezzi correnti per branca. Anno {anno}",
            ["Branca", *[comp.set_index("territorio_id")["territorio"].to_dict()[k] for k in c.columns]],
            [[b, *[it.numero(x, 1) for x in vals]] for b, vals in zip(c.index, c.values)],
            fonte, comp[["valore_dimensione", "territorio_id", "territorio", "quota_pct"]].rename(
                columns={"valore_dimensione": "branca"}), _nota_campione(comp),
            etichette={"branca": "Branca di attività economica",
                       "quota_pct": "Quota sul valore aggiunto del territorio (%)"}, decimali={"quota_pct": 1}))
    return sez


def imprese(d: Dati, ed: dict, tid: str, nome: str) -> Sezione:
    sez = Sezione("Le imprese")
    data = ed["periodi"]["imprese"]
    st = d.q("marts.contesto_osservazioni", "misura = 'sedi_impresa' AND dimensione = 'status_impresa' "
             "AND periodo = ? AND territorio_id = ?", [data, tid], "valore_dimensione")
    if st.empty:
        return sez
    comp = d.q("marts.contesto_composizione", "misura = 'sedi_impresa' AND periodo = ? AND territorio_id = ? AND radice",
               [data, tid], "valore_dimensione").set_index("valore_dimensione")["quota_pct"]
    s = st.set_index("valore_dimensione")["valore"]
    quando = it.data(dt.date.fromisoformat(data))
    fonte = d.fonte("infocamere_stockview")
    registered = s.get("Totale registrate")
    if registered is not None and "Attive" in s:
        cessande = s.get("con Procedure concorsuali", 0) + s.get("in Scioglimento o Liquidazione", 0)
        sez.paragrafi.append(
            f"Al {quando} le sedi d'impresa iscritte al Registro delle Imprese della provincia di {nome} sono "
            f"{it.numero(registered)}, di cui {it.numero(s['Attive'])} attive ({it.percentuale(comp.get('Attive'))}). "
            f"Le unità con procedure concorsuali o in scioglimento e liquidazione sono "
            f"{it.il(100 * cessande / registered)}{it.percentuale(100 * cessande / registered)} delle imprese iscritte.")
    order = ["Attive", "Sospese", "Inattive", "con Procedure concorsuali", "in Scioglimento o Liquidazione",
             "Totale registrate"]
    rows = [[k, it.numero(s[k]), it.numero(comp.get(k, 100.0 if k == "Totale registrate" else float("nan")), 1)]
            for k in order if k in s]
    sez.tabelle.append(Tabella("imprese_status", f"Sedi d'impresa per status al {quando}. Valori assoluti e composizione %",
                               ["Status d'impresa", "Sedi d'impresa", "Composizione %"], rows, fonte,
                               st[["valore_dimensione", "valore"]].rename(columns={"valore_dimensione": "status", "valore": "sedi"}),
                               _nota_campione(st), etichette={"status": "Status d'impresa",
                                                              "sedi": "Sedi d'impresa (numero)"}))
    parts = st[st["valore_dimensione"] != "Totale registrate"]
    fig = go.Figure(go.Bar(x=parts["valore"], y=parts["valore_dimensione"], orientation="h", marker_color=EVIDENZA,
                           hovertemplate="%{y}: %{x:,.0f} sedi<extra></extra>"))
    fig.update_xaxes(tickformat=",.0f", title_text="sedi d'impresa (numero)")
    sez.grafici.append(Grafico("imprese_status", f"Sedi d'impresa per status al {quando}",
                               f"Barre orizzontali delle sedi d'impresa per status al {quando}: "
                               f"{it.numero(s.get('Attive', 0))} attive su {it.numero(registered or 0)} registrate.",
                               fonte, stile(fig, f"Sedi d'impresa per status, {quando}", altezza_barre(len(parts)))))
    return sez


def turismo(d: Dati, ed: dict, tid: str, nome: str) -> Sezione:
    sez = Sezione("Il turismo")
    anno = ed["periodi"]["turismo"]
    t = d.q("marts.contesto_osservazioni", "misura IN ('arrivi', 'presenze') AND dimensione = 'tipo_esercizio|provenienza' "
            "AND periodo = ? AND territorio_id = ?", [anno, tid], "valore_dimensione, misura")
    if t.empty:
        return sez
    w = t.pivot_table(index="valore_dimensione", columns="misura", values="valore")
    fonte = d.fonte("regione_toscana_turismo")
    if "Totale|Totale" in w.index:
        tot = w.loc["Totale|Totale"]
        text = (f"Nel {anno} le strutture ricettive della provincia di {nome} hanno registrato "
                f"{it.numero(tot['arrivi'])} arrivi e {it.numero(tot['presenze'])} presenze, per una permanenza media "
                f"di {it.numero(tot['presenze'] / tot['arrivi'], 1)} notti")
        if "Totale|Stranieri" in w.index:
            share = 100 * w.loc["Totale|Stranieri", "arrivi"] / tot["arrivi"]
            text += f"; i turisti stranieri sono {it.il(share)}{it.percentuale(share)} degli arrivi"
        sez.paragrafi.append(text + ".")
    rows, data = [], []
    for key in ["Totale|Totale", "Totale|Italiani", "Totale|Stranieri", "Alberghiero|Totale", "Extra-alberghiero|Totale"]:
        if key in w.index:
            a, p = w.loc[key, "arrivi"], w.loc[key, "presenze"]
            label = key.replace("Totale|Totale", "Totale").replace("Totale|", "").replace("|Totale", "")
            rows.append([label, it.numero(a), it.numero(p), it.numero(p / a, 1)])
            data.append({"voce": label, "arrivi": a, "presenze": p, "permanenza_media": p / a})
    sez.tabelle.append(Tabella("turismo_arrivi_presenze", f"Arrivi e presenze turistiche in provincia di {nome}. Anno {anno}",
                               ["", "Arrivi", "Presenze", "Permanenza media (notti)"], rows, fonte, pd.DataFrame(data),
                               _nota_campione(t), etichette={"voce": "Tipo di esercizio o provenienza",
                                                             "arrivi": "Arrivi (numero)", "presenze": "Presenze (notti)",
                                                             "permanenza_media": "Permanenza media (notti)"},
                               decimali={"permanenza_media": 1}))
    sub = [k for k in ["Alberghiero|Italiani", "Alberghiero|Stranieri", "Extra-alberghiero|Italiani",
                       "Extra-alberghiero|Stranieri"] if k in w.index]
    if sub:
        fig = go.Figure()
        for i, origin in enumerate(["Italiani", "Stranieri"]):
            keys = [k for k in sub if k.endswith(origin)]
            fig.add_bar(name=origin, x=[k.split("|")[0] for k in keys], y=[w.loc[k, "presenze"] for k in keys],
                        hovertemplate="%{x}, " + origin.lower() + ": %{y:,.0f} presenze<extra></extra>")
        fig.update_layout(barmode="group")
        fig.update_yaxes(title_text="presenze", tickformat=",.0f")
        sez.grafici.append(Grafico("turismo_provenienza", f"Presenze turistiche per tipo di esercizio e provenienza. Anno {anno}",
                                   f"Barre delle presenze {anno} per tipo di esercizio, italiani e stranieri.",
                                   fonte, stile(fig, f"Presenze per tipo di esercizio e provenienza, {anno}")))
    return sez


def popolazione(d: Dati, ed: dict, tid: str, nome: str, regione: str) -> Sezione:
    sez = Sezione("La popolazione")
    anni = ed["periodi"]["natalita"]
    nat = d.q("marts.contesto_indicatori", "indicatore = 'tasso_natalita' AND territorio_id IN (?, ?) "
              f"AND periodo IN ({','.join('?' * len(anni))})", [tid, regione, *anni], "territorio_id, periodo")
    fonte = d.fonte("istat_demo_bilancio")
    if not nat.empty:
        p = nat.pivot_table(index="periodo", columns="territorio_id", values="valore")
        last = p.index.max()
        if tid in p.columns and regione in p.columns:
            sez.paragrafi.append(
                f"Il tasso di natalità (nati per mille abitanti) della provincia di {nome} è pari a "
                f"{it.numero(p.loc[last, tid], 1)} nel {last}, {it.confronto(p.loc[last, tid], p.loc[last, regione], articolo='quello')} "
                f"della Toscana ({it.numero(p.loc[last, regione], 1)}).")
        fig = go.Figure()
        for k, label in ((tid, nome), (regione, "Toscana")):
            if k in p.columns:
                fig.add_scatter(x=p.index, y=p[k], mode="lines+markers", name=label,
                                hovertemplate=label + " %{x}: %{y:.1f} per mille<extra></extra>")
        fig.update_yaxes(title_text="nati per mille abitanti", tickformat=".1f")
        fig.update_xaxes(type="category")
        sez.grafici.append(Grafico("natalita", f"Tasso di natalità in provincia di {nome} e in Toscana (per mille abitanti)",
                                   f"Linee del tasso di natalità {anni[0]}-{anni[-1]}: {nome} e Toscana.", fonte,
                                   stile(fig, "Tasso di natalità (per mille abitanti)")))
    data = ed["periodi"]["popolazione"]
    pir = d.q("marts.contesto_osservazioni", "dimensione = 'sesso|eta' AND misura = 'popolazione' AND periodo = ? "
              "AND territorio_id = ?", [data, tid], "valore_dimensione")
    if not pir.empty:
        pir[["sesso", "eta"]] = pir["valore_dimensione"].str.split("|", expand=True)
        pir["classe"] = (pir["eta"].astype(int).clip(upper=100) // 5 * 5)
        g = pir.groupby(["classe", "sesso"])["valore"].sum().unstack()
        labels = [f"{c}-{c + 4}" if c < 100 else "100+" for c in g.index]
        fig = go.Figure()
        fig.add_bar(y=labels, x=-g["maschi"], orientation="h", name="Maschi", customdata=g["maschi"],
                    hovertemplate="Maschi %{y}: %{customdata:,.0f}<extra></extra>")
        fig.add_bar(y=labels, x=g["femmine"], orientation="h", name="Femmine",
                    hovertemplate="Femmine %{y}: %{x:,.0f}<extra></extra>")
        fig.update_layout(barmode="relative", bargap=0.05)
        top = float(g.max().max())
        step = 10 ** math.floor(math.log10(top / 2)) if top > 0 else 1
        step *= 2 if top / step > 6 else 1
        ticks = [k * step for k in range(-int(top // step), int(top // step) + 1)]
        fig.update_xaxes(tickvals=ticks, ticktext=[it.numero(abs(x)) for x in ticks],
                         title_text="residenti (numero; maschi a sinistra, femmine a destra)")
        total = pir["valore"].sum()
        over64 = pir[pir["eta"].astype(int) >= 65]["valore"].sum()
        quando = it.data(dt.date.fromisoformat(data))
        women = 100 * pir[pir["sesso"] == "femmine"]["valore"].sum() / total
        old = 100 * over64 / total
        sez.paragrafi.append(f"Al {quando} i residenti in provincia sono {it.numero(total)}, {it.il(women)}"
                             f"{it.percentuale(women)} donne; gli over 64 sono {it.il(old)}{it.percentuale(old)} "
                             "della popolazione.")
        sez.grafici.append(Grafico("piramide_eta", f"Popolazione residente per genere e classe di età al {quando}",
                                   f"Piramide dell'età della provincia di {nome} al {quando}: {it.numero(total)} residenti.",
                                   d.fonte("istat_demo_popolazione"),
                                   stile(fig, f"Popolazione per genere ed età, {quando}", altezza_barre(len(labels)))))
    return sez


def lavoro(d: Dati, ed: dict, tid: str, nome: str) -> Sezione:
    sez = Sezione("Il mercato del lavoro")
    periodo = ed["periodi"]["avviamenti"]
    v = d.q("marts.contesto_variazioni", "misura = 'avviamenti' AND periodo = ? AND territorio_id = ?", [periodo, tid],
            "valore_dimensione")
    if v.empty:
        return sez
    fonte = d.fonte("sil_avviamenti")
    v = v.sort_values("valore", ascending=False)
    tot = v[v["valore_dimensione"] == "Totale"]
    if not tot.empty:
        t = tot.iloc[0]
        sez.paragrafi.append(
            f"Nei primi {it.mesi(int(periodo[-2:]))} del {periodo[:4]} le comunicazioni di avviamento delle aziende "
            f"della provincia sono state {it.numero(t['valore'])}, {it.andamento(t['variazione_pct'])} rispetto allo "
            f"stesso periodo dell'anno precedente, quando erano state {it.numero(t['valore_prec'])}.")
    rows = [[r.valore_dimensione, it.numero(r.valore_prec), it.numero(r.valore), it.variazione(r.variazione_pct)]
            for r in v.itertuples()]
    sez.tabelle.append(Tabella("avviamenti_contratto", f"Comunicazioni di avviamento per tipologia contrattuale. "
                               f"Gennaio-{it.data(dt.date(int(periodo[:4]), int(periodo[-2:]), 1), 'MMMM')} "
                               f"{int(periodo[:4]) - 1} e {periodo[:4]}",
                               ["Tipologia contrattuale", str(int(periodo[:4]) - 1), periodo[:4], "Var. %"], rows, fonte,
                               v[["valore_dimensione", "valore_prec", "valore", "variazione_pct"]].rename(
                                   columns={"valore_dimensione": "tipologia", "valore_prec": "avviamenti_anno_prec",
                                            "valore": "avviamenti"}), _nota_campione(v),
                               etichette={"tipologia": "Tipologia contrattuale",
                                          "avviamenti_anno_prec": f"Avviamenti {int(periodo[:4]) - 1} (numero)",
                                          "avviamenti": f"Avviamenti {periodo[:4]} (numero)",
                                          "variazione_pct": "Variazione (%)"}, decimali={"variazione_pct": 1}))
    parts = v[v["valore_dimensione"] != "Totale"]
    fig = go.Figure()
    fig.add_bar(name=str(int(periodo[:4]) - 1), y=parts["valore_dimensione"], x=parts["valore_prec"], orientation="h")
    fig.add_bar(name=periodo[:4], y=parts["valore_dimensione"], x=parts["valore"], orientation="h")
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickformat=",.0f", title_text="avviamenti (numero)")
    sez.grafici.append(Grafico("avviamenti_contratto", "Avviamenti per tipologia contrattuale",
                               f"Barre orizzontali degli avviamenti per tipologia contrattuale, {int(periodo[:4]) - 1} e {periodo[:4]}.",
                               fonte, stile(fig, "Avviamenti per tipologia contrattuale", altezza_barre(2 * len(parts)))))
    return sez


def salute(d: Dati, ed: dict, camera) -> list[Sezione]:
    """The health report, the benchmarking and the OIV appendix (pipelines/rapporto_salute.py)."""
    from pipelines import rapporto_salute as rs

    return [rs.sezione_salute(d, ed, camera), rs.sezione_benchmark(d, ed, camera), rs.appendice_oiv(d, ed, camera)]


def costruisci(conn, edizione_id: str) -> tuple[dict, list[Sezione]]:
    ed = carica_edizione(edizione_id)
    d = Dati(conn, ed)
    camera = ed["camera_obj"]
    tid, nome, regione = _territorio(conn, camera)
    sezioni = [valore_aggiunto(d, ed, tid, nome, regione), imprese(d, ed, tid, nome), turismo(d, ed, tid, nome),
               popolazione(d, ed, tid, nome, regione), lavoro(d, ed, tid, nome), *salute(d, ed, camera)]
    sezioni = [s for s in sezioni if s.paragrafi or s.tabelle or s.grafici]
    n_tab = n_fig = 0
    for s in sezioni:
        for t in s.tabelle:
            n_tab += 1
            t.numero = n_tab
        for g in s.grafici:
            n_fig += 1
            g.numero = n_fig
    ed["territorio"] = nome
    return ed, sezioni
