"""The chapter "Analisi del contesto" and the health report, built from the marts of one edition.

A chapter is a list of sections; a section is a small unit (a function registered with `@sezione`)
made of parts: sentences, tables, charts. Every part is optional. A part whose data are missing for
the edition raises `DatiMancanti` inside `Capitolo.parte`, is left out, and is listed with its reason
in the note "Informazioni non disponibili" at the end of the document; a section left with no part
is left out whole. A table cell without a value prints "n.d." with a footnote. Nothing is ever
filled with a placeholder.

Every sentence is built from the same rows as the table beside it, so text and table cannot
disagree. The territory is named by `italiano.Nome` (a province, or a Camera spanning several
provinces), the comparison region is the region of the Camera's provinces, names come from the
territory dimension and data/camere/: no territory is written here. The periods each section
describes are derived from the data available at the edition's cut-off (`Capitolo.periodo`).
Tables and figures are numbered in order and carry their "Fonte:" line from the source registry,
with the release the edition used ("Ottobre 2018").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from pipelines import edizioni
from pipelines import italiano as it
from pipelines.grafici import EVIDENZA, NEUTRO, Grafico, altezza_barre, stile, tacche
from pipelines.loading import reference_date

# publication lag assumed for a source whose registry entry declares none (months after the period's end)
RITARDO_PREDEFINITO_MESI = 12

# charts every edition may have (the health report adds one per indicator)
GRAFICI_FISSI = ["valore_aggiunto_province", "reddito_disponibile_province", "imprese_status", "imprese_settore",
                 "export_aree", "export_settori", "turismo_provenienza", "natalita", "indice_vecchiaia", "piramide_eta",
                 "avviamenti_contratto"]
ND = "n.d."
NOTA_ND = "n.d.: dato non disponibile alla data di aggiornamento dell'edizione."


@dataclass
class Tabella:
    nome: str
    titolo: str
    colonne: list[str]
    righe: list[list[str]]
    fonte: str
    dati: pd.DataFrame  # the same figures, unformatted, for XLSX and CSV
    nota: str | None = None  # printed under the table; several notes one a line ("\n"), one paragraph each
    numero: int = 0
    etichette: dict[str, str] = field(default_factory=dict)  # data column -> readable header with unit
    decimali: dict[str, int] = field(default_factory=dict)   # data column -> decimals shown in XLSX
    compatta: bool = False  # printed in small type (long reference tables), so it fits one page
    nota_nd: str = NOTA_ND  # what "n.d." means in this table, added to the note when a cell is n.d.

    def __post_init__(self):
        if any(ND in cell for row in self.righe for cell in row) and self.nota_nd not in (self.nota or ""):
            self.nota = f"{self.nota}\n{self.nota_nd}" if self.nota else self.nota_nd


@dataclass
class Sezione:
    titolo: str
    paragrafi: list[str] = field(default_factory=list)
    tabelle: list[Tabella] = field(default_factory=list)
    grafici: list[Grafico] = field(default_factory=list)
    nuova_pagina: bool = False  # printed from the top of a page (an appendix)

    def vuota(self) -> bool:
        return not (self.paragrafi or self.tabelle or self.grafici)


@dataclass
class Mancanza:
    """Something the chapter left out, and why (printed in "Informazioni non disponibili")."""

    sezione: str
    elemento: str
    motivo: str


class DatiMancanti(Exception):
    """The data a part of the chapter needs are missing for this edition: the part is left out."""


def cella(value, formatter: Callable = it.numero, *args) -> str:
    """A table cell: the formatted value, or "n.d." when there is none (the table adds the footnote)."""
    if value is None or (isinstance(value, float) and value != value) or pd.isna(value):
        return ND
    return formatter(value, *args)


def carica_edizione(edizione_id: str) -> dict:
    """The edition as data (see pipelines.edizioni.carica), with the Camera object under "camera_obj"."""
    return edizioni.carica(edizione_id)


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

    def fonte(self, fonte_id: str, rilascio=None) -> str:
        """The "Fonte:" line of a source (meta.fonti) with the release(s) printed: `rilascio` is one date or
        the releases of every figure shown ("Ottobre 2018 e Aprile 2019" when a later release revised
        some of them: each figure is the latest release out by the edition date)."""
        row = self.conn.execute("SELECT fonte_testo FROM meta.fonti WHERE id = ?", [fonte_id]).fetchone()
        text = row[0] if row else fonte_id
        many = rilascio if isinstance(rilascio, (list, tuple, pd.Series)) else [rilascio]
        days = sorted({pd.Timestamp(r).date() for r in many if r is not None and not pd.isna(r)})
        if days:
            text += f" ({it.elenco(list(dict.fromkeys(it.mese_anno(x) for x in days)))})"
        return text


@dataclass(frozen=True)
class Territorio:
    """The territory a chapter describes: a province, or the territory of a Camera spanning several."""

    id: str                      # P046, or CCIAA_<codice> for a Camera of several provinces
    province: tuple[str, ...]    # P045, P046, P050
    nomi_province: tuple[str, ...]
    regione: str                 # the comparison region (R09): the region of the Camera's provinces
    regioni: tuple[str, ...]
    nome: it.Nome
    nome_regione: it.Nome        # the region (or regions) as a sentence names it

    @property
    def provinciale(self) -> bool:
        return self.id.startswith("P")


def territorio(conn, camera) -> Territorio:
    """The Camera's territory with its Italian names, from marts.dim_territorio and data/camere/."""
    from pipelines.settings import regioni

    tids = [f"P{p}" for p in camera.province]
    rows = conn.execute("SELECT territorio_id, nome, regione_id FROM marts.dim_territorio WHERE territorio_id IN "
                        f"({','.join('?' * len(tids))})", tids).fetchall()
    found = {t: (n, r) for t, n, r in rows}
    missing = [t for t in tids if t not in found]
    if missing:
        raise ValueError(f"{camera.nome}: province {', '.join(missing)} assenti da marts.dim_territorio "
                         "(data/camere/camere.yaml e l'elenco Istat dei comuni non concordano).")
    names = [found[t][0] for t in tids]
    regs = list(dict.fromkeys(found[t][1] for t in tids))
    # the comparison region: the one holding most of the Camera's provinces
    primary = max(regs, key=lambda r: sum(found[t][1] == r for t in tids))
    info = regioni()
    reg_names = [it.nome_regione(**info[r[1:]]) for r in regs]
    tid = tids[0] if len(tids) == 1 else f"CCIAA_{camera.codice}"
    return Territorio(tid, tuple(tids), tuple(names), primary, tuple(regs),
                      it.nome_camera(camera.nome, camera.nome_breve, names),
                      it.nome_regioni([reg_names[regs.index(primary)]]) if len(regs) == 1 else it.nome_regioni(reg_names))


def data_uscita(periodo: str, fonte: str | None, rilascio, caricamenti: dict[tuple[str, dt.date], dt.date],
                ritardi: dict[str, int]) -> dt.date | None:
    """When a period of a source was out, for choosing what an edition may describe.

    `rilascio` is the release the row carries. A file that came without `_rilasci.csv` gets the day it was
    loaded as its release (pipelines.loading), so a release equal to a load day of its source
    (`caricamenti`: (fonte, day) -> day, from meta.caricamenti) is not known: it is replaced by a conservative
    estimate, the period's end plus the source's publication lag (`ritardi`: fonte -> `ritardo_mesi` of
    data/registry/fonti.yaml, RITARDO_PREDEFINITO_MESI when undeclared), never later than the load day (the
    file was out by then). Returns None for a period with no reference date."""
    ref = reference_date(periodo)
    if ref is None:
        return None
    day = None if rilascio is None or pd.isna(rilascio) else pd.Timestamp(rilascio).date()
    if day is not None and (fonte, day) not in caricamenti:
        return day
    months = ritardi.get(fonte) or RITARDO_PREDEFINITO_MESI
    estimate = (pd.Timestamp(ref) + pd.DateOffset(months=months)).date()
    return min(estimate, day) if day is not None else estimate


def _nota_campione(df: pd.DataFrame) -> str | None:
    """The one note for sample data: only values built for the example are marked; figures as the
    publishers printed them (natura = pubblicato) are their own and carry no note."""
    if "natura" in df.columns and (df["natura"] == "illustrativo").any():
        return "Valori illustrativi (non pubblicati): servono a mostrare il calcolo."
    return None


class Capitolo:
    """What every section unit reads: the edition, its data, its territory; and what was left out."""

    def __init__(self, conn, ed: dict):
        self.conn = conn
        self.ed = ed
        self.camera = ed["camera_obj"]
        self.d = Dati(conn, ed)
        self.t = territorio(conn, self.camera)
        self.mancanti: list[Mancanza] = []
        self.periodi: dict[str, object] = {}
        self._sezione = ""
        self._caricamenti: dict[tuple[str, dt.date], dt.date] | None = None

    def caricamenti(self) -> dict[tuple[str, dt.date], dt.date]:
        """(fonte, day) of every file load in meta.caricamenti (none in a warehouse without it)."""
        if self._caricamenti is None:
            self._caricamenti = {}
            if self.conn.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'meta' "
                                 "AND table_name = 'caricamenti'").fetchone()[0]:
                self._caricamenti = {(f, d): d for f, d in self.conn.execute(
                    "SELECT DISTINCT fonte, CAST(caricato_il AS DATE) FROM meta.caricamenti").fetchall()}
        return self._caricamenti

    # --- periods --------------------------------------------------------------------------------
    def periodi_disponibili(self, tabella: str, where: str, params: list, territori: list[str] | None = None) -> list[str]:
        """Periods of the rows matching `where` for the territories (default: the chapter's), that the
        edition may describe: the period ends by the data cut-off, and it was out by the edition date (its
        earliest release, or, when the release is not known, the conservative estimate of `data_uscita`).
        A period published after the edition date is never used, whatever else is missing. Oldest first."""
        from pipelines import catalog

        territori = territori or [self.t.id]
        self.richiedi_tabella(tabella)
        rows = self.conn.execute(
            f"SELECT DISTINCT periodo, fonte, rilascio FROM {tabella} WHERE ({where}) AND territorio_id IN "
            f"({','.join('?' * len(territori))})", [*params, *territori]).fetchall()
        taglio, edizione = self.ed["data_taglio"], self.ed["data_edizione"]
        ritardi = {k: v.get("ritardo_mesi") for k, v in catalog.fonti().items()}
        chosen = {p for p, fonte, r in rows
                  if (ref := reference_date(p)) is not None and ref <= taglio
                  and (out := data_uscita(p, fonte, r, self.caricamenti(), ritardi)) is not None and out <= edizione}
        return sorted(chosen, key=reference_date)

    def periodo(self, chiave: str, tabella: str, where: str, params: list, territori: list[str] | None = None,
                quanti: int = 1) -> str | list[str]:
        """The latest period (or the latest `quanti`) available for this edition; DatiMancanti when none."""
        found = self.periodi_disponibili(tabella, where, params, territori)
        if not found:
            raise DatiMancanti(f"nessun dato per {self.t.nome.breve} con periodo entro il "
                               f"{it.data(self.ed['data_taglio'])} pubblicato entro il "
                               f"{it.data(self.ed['data_edizione'])}")
        value = found[-1] if quanti == 1 else found[-quanti:]
        self.periodi[chiave] = value
        return value

    # --- parts ----------------------------------------------------------------------------------
    def parte(self, elemento: str, costruisci: Callable[[], None]) -> bool:
        """Run one part of the current section; on DatiMancanti leave it out and record why."""
        try:
            costruisci()
            return True
        except DatiMancanti as missing:
            self.mancanti.append(Mancanza(self._sezione, elemento, str(missing)))
            return False

    def richiedi_tabella(self, tabella: str) -> None:
        """DatiMancanti when `tabella` (schema.table) is not in the warehouse yet."""
        schema, _, name = tabella.partition(".")
        if not self.conn.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                                 [schema, name]).fetchone()[0]:
            raise DatiMancanti(f"la tabella {tabella} non è ancora stata calcolata (osservatorio run)")

    def richiedi(self, df: pd.DataFrame, cosa: str) -> pd.DataFrame:
        if df.empty:
            raise DatiMancanti(f"mancano i dati su {cosa}")
        return df


# --- sections ---------------------------------------------------------------------------------

SEZIONI: list[tuple[str, str, Callable[[Capitolo, Sezione], None], str, str]] = []


def sezione(chiave: str, titolo: str, dopo: str | None = None, prima: str | None = None,
            elemento: str = "intera sezione", parte: str = "parte principale"):
    """Register a section unit, in chapter order: `fn(cap, sez)` fills `sez` through `cap.parte`.

    `dopo` places the unit after the last one registered with that key, `prima` before the first (units of
    other modules keep the model chapter's order); a unit with the key of an earlier one adds its parts to the same section, and
    `elemento` names what the note "Informazioni non disponibili" lists when the unit has no data (`parte`
    instead of "intera sezione" when other units of the section still fill it)."""
    def register(fn):
        keys = [s[0] for s in SEZIONI]
        at = (max(i for i, k in enumerate(keys) if k == dopo) + 1 if dopo else keys.index(prima) if prima
              else len(SEZIONI))
        SEZIONI.insert(at, (chiave, titolo, fn, elemento, parte))
        return fn
    return register


@sezione("valore_aggiunto", "Il valore aggiunto", parte="valore aggiunto per territorio")
def valore_aggiunto(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    tot = "misura = 'va_prezzi_correnti' AND valore_dimensione = 'Totale' AND dimensione = 'branca'"
    anno = cap.periodo("valore_aggiunto", "marts.contesto_osservazioni", tot, [])
    va = d.q("marts.contesto_osservazioni", f"{tot} AND periodo = ?", [anno], "territorio_id")
    row = va.set_index("territorio_id").loc[t.id]
    quote = d.q("marts.contesto_quote", "misura = 'va_prezzi_correnti' AND periodo = ? AND valore_dimensione = 'Totale' "
                "AND quota_su = 'regione'", [anno], "territorio_id")
    share = quote.set_index("territorio_id")["quota_pct"]
    if t.id not in share.index and not t.provinciale:  # a Camera's share of its region, from its provinces
        parts = share.reindex(list(t.province))
        if parts.notna().all():
            share[t.id] = parts.sum()
    var = d.q("marts.contesto_osservazioni", "misura = 'va_prezzi_costanti_var_pct' AND periodo = ? "
              "AND dimensione = 'branca' AND valore_dimensione = 'Totale'", [anno], "territorio_id")
    v = var.set_index("territorio_id")["valore"]
    # the releases of the figures shown: a level of one release beside a change a later release revised
    shown = [*t.regioni, "IT", t.id]
    fonte = d.fonte(row["fonte"], [*va.loc[va["territorio_id"].isin(shown) | (va["livello"] == "provincia")
                                           & va["regione_id"].isin(t.regioni), "rilascio"],
                                   *var.loc[var["territorio_id"].isin(shown) | var["territorio_id"].isin(
                                       va.loc[(va["livello"] == "provincia") & va["regione_id"].isin(t.regioni),
                                              "territorio_id"]), "rilascio"]])

    def frase_livello():
        sentence = (f"Nel {anno} la ricchezza prodotta dal sistema economico {t.nome.di}, espressa in termini "
                    f"di valore aggiunto a prezzi correnti, è stimata pari a {it.numero(row['valore'])} milioni di euro")
        if t.id in share.index:
            sentence += (f", {it.il(share[t.id])}{it.percentuale(share[t.id])} del valore aggiunto complessivamente "
                         f"prodotto {t.nome_regione.in_}")
        ranks = d.q("marts.contesto_ranghi", "misura = 'va_prezzi_correnti' AND periodo = ? AND valore_dimensione = 'Totale'",
                    [anno], "territorio_id").set_index("territorio_id")
        # a rank among the provinces existing that day (marts.contesto_ranghi), in the region and in
        # Italia, only when every one of them has the figure
        if t.id in ranks.index and ranks.loc[t.id, "n_regione"] == ranks.loc[t.id, "n_regione_alla_data"]:
            r = ranks.loc[t.id]
            ahead = r["precedenti_regione"]
            sentence += (f", che colloca {t.nome.richiamo} al {it.ordinale(int(r['rango_regione']))} posto "
                         f"su {int(r['n_regione_alla_data'])} province in regione")
            if r["n_italia"] == r["n_province_alla_data"]:
                sentence += (f" e al {it.ordinale(int(r['rango_italia']))} su {int(r['n_province_alla_data'])} "
                             "province in Italia")
            if len(ahead):
                by_name = va.set_index("territorio")
                ids = dict(zip(va["territorio"], va["territorio_id"]))
                parts = [f"{p} ({cella(by_name['valore'].get(p))}; {cella(share.get(ids.get(p)), it.percentuale)})"
                         for p in ahead]
                sentence += f", dopo {it.elenco(parts)}"
        sez.paragrafi.append(sentence + ".")

    def frase_variazione():
        if t.id not in v.index:
            raise DatiMancanti(f"manca la variazione a prezzi costanti {t.nome.di} per il {anno}")
        text = (f"A prezzi costanti il valore aggiunto {t.nome.aggettivo} risulta {it.andamento(v[t.id])} "
                "rispetto all'anno precedente")
        bench = [(n, v[k]) for n, k in (("regionale", t.regione), ("nazionale", "IT")) if k in v.index]
        if bench:
            text += ", " + it.confronti(v[t.id], [("la", f"media {n}", b, it.variazione(b)) for n, b in bench])
        sez.paragrafi.append(text + ".")

    # the table and the chart: the provinces of the Camera's region(s), the Camera, the region(s), Italia
    keep = va[(va["livello"] == "provincia") & va["regione_id"].isin(t.regioni)
              | va["territorio_id"].isin([t.id, *t.regioni, "IT"])].copy()
    keep["quota"] = keep["territorio_id"].map(share)
    keep.loc[keep["territorio_id"] == t.regione, "quota"] = 100.0  # the region on itself
    keep["var"] = keep["territorio_id"].map(v)
    keep["ordine"] = keep["livello"].map({"provincia": 0, "camera": 1, "regione": 2, "italia": 3})
    keep = keep.sort_values(["ordine", "valore"], ascending=[True, False])

    def tabella_territori():
        sez.tabelle.append(Tabella(
            "valore_aggiunto_territorio",
            f"Valore aggiunto anno {anno} per territorio. Valori in milioni di euro a prezzi correnti, quota % sulla "
            "regione e variazione % a prezzi costanti",
            ["Territorio", "Milioni di euro", f"Quota % su {t.nome_regione.breve}", "Var. % a prezzi costanti"],
            [[n, cella(x), "" if tid == "IT" else cella(q, it.numero, 1), cella(g, it.variazione)]
             for tid, n, x, q, g in keep[["territorio_id", "territorio", "valore", "quota", "var"]].itertuples(index=False)],
            fonte, keep[["territorio", "territorio_id", "valore", "quota", "var"]].rename(columns={
                "valore": "va_mln_euro", "quota": "quota_regione_pct", "var": "var_pct_prezzi_costanti"}),
            _nota_campione(va),
            etichette={"va_mln_euro": "Valore aggiunto a prezzi correnti (milioni di euro)",
                       "quota_regione_pct": "Quota sul totale della regione (%)",
                       "var_pct_prezzi_costanti": "Variazione sull'anno precedente a prezzi costanti (%)"},
            decimali={"quota_regione_pct": 1, "var_pct_prezzi_costanti": 1}))

    def grafico_province():
        bars = keep[keep["livello"] == "provincia"]
        if len(bars) < 2:
            raise DatiMancanti(f"meno di due province {t.nome_regione.di} con il valore aggiunto {anno}")
        fig = go.Figure(go.Bar(
            x=bars["territorio"], y=bars["valore"],
            marker_color=[EVIDENZA if p in t.province else NEUTRO for p in bars["territorio_id"]],
            hovertemplate="%{x}: %{y:,.0f} milioni di euro<extra></extra>"))
        fig.update_yaxes(title_text="milioni di euro", tickformat=",.0f")
        top = bars.iloc[0]
        sez.grafici.append(Grafico(
            "valore_aggiunto_province", f"Valore aggiunto a prezzi correnti per provincia. Anno {anno} (milioni di euro)",
            f"Grafico a barre del valore aggiunto {anno} delle province {t.nome_regione.di}: {top['territorio']} prima con "
            f"{it.numero(top['valore'])} milioni; {t.nome.breve} {it.numero(row['valore'])} milioni.",
            fonte, stile(fig, f"Valore aggiunto per provincia, {anno} (milioni di euro)")))

    comp = d.q("marts.contesto_composizione", "misura = 'va_prezzi_correnti' AND periodo = ? AND radice "
               "AND territorio_id IN (?, ?)", [anno, t.id, t.regione], "territorio_id, valore_dimensione")
    order = ["Agricoltura, silvicoltura e pesca", "Totale Industria", "Industria in senso stretto", "Costruzioni",
             "Servizi"]

    def frase_branche():
        cap.richiedi(comp, f"composizione per branca {t.nome.di}")
        c = comp.pivot_table(index="valore_dimensione", columns="territorio_id", values="quota_pct")
        parts = c[t.id].reindex(order) if t.id in c.columns else pd.Series(dtype=float)
        if len(parts) != len(order) or parts.isna().any():
            raise DatiMancanti(f"composizione per branca {t.nome.di} incompleta")
        serv, ind, agr = parts["Servizi"], parts["Totale Industria"], parts["Agricoltura, silvicoltura e pesca"]
        sez.paragrafi.append(
            f"I servizi generano {it.il(serv)}{it.percentuale(serv)} del valore aggiunto {t.nome.aggettivo}, l'industria "
            f"{it.il(ind)}{it.percentuale(ind)} (industria in senso stretto "
            f"{it.percentuale(parts['Industria in senso stretto'])}, costruzioni {it.percentuale(parts['Costruzioni'])}), "
            f"l'agricoltura {it.il(agr)}{it.percentuale(agr)}.")

    def tabella_branche():
        cap.richiedi(comp, f"composizione per branca {t.nome.di}")
        c = comp.pivot_table(index="valore_dimensione", columns="territorio_id", values="quota_pct")
        c = c.reindex([o for o in order if o in c.index])
        names = comp.set_index("territorio_id")["territorio"].to_dict()
        sez.tabelle.append(Tabella(
            "valore_aggiunto_branca", f"Composizione % del valore aggiunto a prezzi correnti per branca. Anno {anno}",
            ["Branca", *[names[k] for k in c.columns]],
            [[b, *[cella(x, it.numero, 1) for x in vals]] for b, vals in zip(c.index, c.values)],
            d.fonte(row["fonte"], comp["rilascio"]), comp[["valore_dimensione", "territorio_id", "territorio",
                                                           "quota_pct"]].rename(
                columns={"valore_dimensione": "branca"}), _nota_campione(comp),
            etichette={"branca": "Branca di attività economica",
                       "quota_pct": "Quota sul valore aggiunto del territorio (%)"}, decimali={"quota_pct": 1}))

    cap.parte("frase sul valore aggiunto", frase_livello)
    cap.parte("frase sulla variazione del valore aggiunto", frase_variazione)
    cap.parte("tabella del valore aggiunto per territorio", tabella_territori)
    cap.parte("grafico del valore aggiunto per provincia", grafico_province)
    cap.parte("frase sulla composizione per branca", frase_branche)
    cap.parte("tabella della composizione per branca", tabella_branche)


@sezione("imprese", "Le imprese")
def imprese(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = "misura = 'sedi_impresa' AND dimensione = 'status_impresa'"
    found = cap.periodi_disponibili("marts.contesto_osservazioni", sel, [])
    data = found[-1] if found else None
    if data:
        cap.periodi["imprese"] = data
        st = d.q("marts.contesto_osservazioni", f"{sel} AND periodo = ? AND territorio_id = ?", [data, t.id],
                 "valore_dimensione")
        comp = d.q("marts.contesto_composizione", "misura = 'sedi_impresa' AND periodo = ? AND territorio_id = ? "
                   "AND radice", [data, t.id], "valore_dimensione").set_index("valore_dimensione")["quota_pct"]
        s = st.set_index("valore_dimensione")["valore"]
        quando = it.data(dt.date.fromisoformat(data))
        fonte = d.fonte(st["fonte"].iloc[0])
        registered = s.get("Totale registrate")

    def senza_status():
        raise DatiMancanti(f"nessun dato sulle sedi d'impresa per status per {t.nome.breve} entro il "
                           f"{it.data(cap.ed['data_taglio'])}")

    def attive():
        # the active companies at the latest date, when it is later than the status table's (or there is none)
        sel_attive = "misura = 'imprese_attive' AND dimensione = 'totale'"
        dates = cap.periodi_disponibili("marts.contesto_osservazioni", sel_attive, [])
        if not dates or (data and reference_date(dates[-1]) <= reference_date(data)):
            if data:
                return  # the status table already says how many are active
            raise DatiMancanti(f"nessun dato sulle imprese attive per {t.nome.breve} entro il "
                               f"{it.data(cap.ed['data_taglio'])}")
        when = dates[-1]
        cap.periodi["imprese_attive"] = when
        rows = d.q("marts.contesto_osservazioni", f"{sel_attive} AND periodo = ?", [when], "territorio_id")
        by = rows.set_index("territorio_id")["valore"]
        text = (f"Al {it.data(dt.date.fromisoformat(when))} le imprese attive {t.nome.di} sono "
                f"{it.numero(by[t.id])}")
        region = [by.get(p) for p in t.province] if not t.provinciale else [by.get(t.id)]
        if t.regione in by.index and all(pd.notna(v) for v in region) and by[t.regione]:
            share = 100 * sum(region) / by[t.regione]
            text += f", {it.il(share)}{it.percentuale(share)} di quelle {t.nome_regione.di}"
        sez.paragrafi.append(text + ".")

    def frase():
        if registered is None or "Attive" not in s or not registered:
            raise DatiMancanti(f"mancano le sedi registrate o attive al {quando}")
        text = (f"Al {quando} le sedi d'impresa iscritte al Registro delle Imprese {t.nome.di} sono "
                f"{it.numero(registered)}, di cui {it.numero(s['Attive'])} attive")
        text += f" ({it.percentuale(comp['Attive'])})." if "Attive" in comp.index else "."
        sez.paragrafi.append(text)

    def cessande():
        # the share of the units on their way to closing (001:486), from marts.sezione_imprese_status
        cap.richiedi_tabella("marts.sezione_imprese_status")
        c = d.q("marts.sezione_imprese_status", "periodo = ? AND territorio_id IN (?, ?, 'IT') "
                "AND quota_cessande_pct IS NOT NULL", [data, t.id, t.regione], "territorio_id")
        c = c.set_index("territorio_id")["quota_cessande_pct"]
        if t.id not in c.index:
            raise DatiMancanti(f"mancano le sedi con procedure concorsuali o in scioglimento {t.nome.di} al {quando}")
        share = c[t.id]
        text = ("Le unità con procedure concorsuali o in scioglimento e liquidazione sono "
                f"{it.il(share)}{it.percentuale(share)} delle imprese iscritte")
        bench = [("la", f"media {n}", c[k], it.percentuale(c[k])) for n, k in (("regionale", t.regione),
                                                                              ("nazionale", "IT")) if k in c.index]
        sez.paragrafi.append(text + (f", un valore {it.confronti(share, bench)}." if bench else "."))

    def tabella():
        order = ["Attive", "Sospese", "Inattive", "con Procedure concorsuali", "in Scioglimento o Liquidazione",
                 "Totale registrate"]
        rows = [[k, cella(s[k]), "100,0" if k == "Totale registrate" else cella(comp.get(k), it.numero, 1)]
                for k in order if k in s]
        if not rows:
            raise DatiMancanti(f"nessuna sede d'impresa per status {t.nome.di} al {quando}")
        sez.tabelle.append(Tabella("imprese_status", f"Sedi d'impresa per status al {quando}. Valori assoluti e "
                                   "composizione %", ["Status d'impresa", "Sedi d'impresa", "Composizione %"], rows, fonte,
                                   st[["valore_dimensione", "valore"]].rename(columns={"valore_dimensione": "status",
                                                                                       "valore": "sedi"}),
                                   _nota_campione(st), etichette={"status": "Status d'impresa",
                                                                  "sedi": "Sedi d'impresa (numero)"}))

    def grafico():
        parts = st[(st["valore_dimensione"] != "Totale registrate") & st["valore"].notna()]
        cap.richiedi(parts, f"sedi d'impresa per status al {quando}")
        fig = go.Figure(go.Bar(x=parts["valore"], y=parts["valore_dimensione"], orientation="h", marker_color=EVIDENZA,
                               hovertemplate="%{y}: %{x:,.0f} sedi<extra></extra>"))
        fig.update_xaxes(tickformat=",.0f", title_text="sedi d'impresa (numero)")
        alt = f"Barre orizzontali delle sedi d'impresa per status al {quando}"
        if registered and "Attive" in s:
            alt += f": {it.numero(s['Attive'])} attive su {it.numero(registered)} registrate"
        sez.grafici.append(Grafico("imprese_status", f"Sedi d'impresa per status al {quando}", alt + ".",
                                   fonte, stile(fig, f"Sedi d'impresa per status, {quando}", altezza_barre(len(parts)))))

    cap.parte("frase sulle imprese attive", attive)
    if not data:
        cap.parte("sedi d'impresa per status (frase, tabella e grafico)", senza_status)
        return
    cap.parte("frase sulle sedi d'impresa", frase)
    cap.parte("quota delle imprese con procedure concorsuali o in scioglimento", cessande)
    cap.parte("tabella delle sedi d'impresa per status", tabella)
    cap.parte("grafico delle sedi d'impresa per status", grafico)


@sezione("turismo", "Il turismo", parte="arrivi e presenze")
def turismo(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    # levels, average stay and shares of marts.sezione_turismo (the figures the reconciliation checks)
    anno = cap.periodo("turismo", "marts.sezione_turismo", "true", [])
    tt = d.q("marts.sezione_turismo", "periodo = ? AND territorio_id = ?", [anno, t.id], "valore_dimensione")
    w = tt.set_index("valore_dimensione")
    fonte = d.fonte(tt["fonte"].iloc[0])

    def frase():
        if "Totale|Totale" not in w.index or w.loc["Totale|Totale", ["arrivi", "presenze", "permanenza_media"]].isna().any():
            raise DatiMancanti(f"mancano arrivi e presenze totali {t.nome.di} nel {anno}")
        tot = w.loc["Totale|Totale"]
        text = (f"Nel {anno} le strutture ricettive {t.nome.di} hanno registrato "
                f"{it.numero(tot['arrivi'])} arrivi e {it.numero(tot['presenze'])} presenze, per una permanenza media "
                f"di {it.numero(tot['permanenza_media'], 1)} notti")
        if "Totale|Stranieri" in w.index and pd.notna(share := w.loc["Totale|Stranieri", "quota_arrivi_pct"]):
            text += f"; i turisti stranieri sono {it.il(share)}{it.percentuale(share)} degli arrivi"
        sez.paragrafi.append(text + ".")

    def tabella():
        rows, data = [], []
        for key in ["Totale|Totale", "Totale|Italiani", "Totale|Stranieri", "Alberghiero|Totale", "Extra-alberghiero|Totale"]:
            if key in w.index:
                a, p, stay = w.loc[key, ["arrivi", "presenze", "permanenza_media"]]
                label = key.replace("Totale|Totale", "Totale").replace("Totale|", "").replace("|Totale", "")
                rows.append([label, cella(a), cella(p), cella(stay, it.numero, 1)])
                data.append({"voce": label, "arrivi": a, "presenze": p, "permanenza_media": stay})
        if not rows:
            raise DatiMancanti(f"mancano arrivi e presenze {t.nome.di} nel {anno}")
        sez.tabelle.append(Tabella("turismo_arrivi_presenze", f"Arrivi e presenze turistiche {t.nome.in_}. Anno {anno}",
                                   ["", "Arrivi", "Presenze", "Permanenza media (notti)"], rows, fonte, pd.DataFrame(data),
                                   _nota_campione(tt), etichette={"voce": "Tipo di esercizio o provenienza",
                                                                  "arrivi": "Arrivi (numero)", "presenze": "Presenze (notti)",
                                                                  "permanenza_media": "Permanenza media (notti)"},
                                   decimali={"permanenza_media": 1}))

    def grafico():
        sub = [k for k in ["Alberghiero|Italiani", "Alberghiero|Stranieri", "Extra-alberghiero|Italiani",
                           "Extra-alberghiero|Stranieri"] if k in w.index and pd.notna(w.loc[k, "presenze"])]
        if not sub:
            raise DatiMancanti(f"mancano le presenze per tipo di esercizio e provenienza nel {anno}")
        fig = go.Figure()
        for origin in ["Italiani", "Stranieri"]:
            keys = [k for k in sub if k.endswith(origin)]
            fig.add_bar(name=origin, x=[k.split("|")[0] for k in keys], y=[w.loc[k, "presenze"] for k in keys],
                        hovertemplate="%{x}, " + origin.lower() + ": %{y:,.0f} presenze<extra></extra>")
        fig.update_layout(barmode="group")
        fig.update_yaxes(title_text="presenze", tickformat=",.0f")
        sez.grafici.append(Grafico("turismo_provenienza", f"Presenze turistiche per tipo di esercizio e provenienza. Anno {anno}",
                                   f"Barre delle presenze {anno} per tipo di esercizio, italiani e stranieri.",
                                   fonte, stile(fig, f"Presenze per tipo di esercizio e provenienza, {anno}")))

    cap.parte("frase su arrivi e presenze", frase)
    cap.parte("tabella di arrivi e presenze", tabella)
    cap.parte("grafico delle presenze per provenienza", grafico)


@sezione("popolazione", "La popolazione")
def popolazione(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t

    def natalita():
        sel = "indicatore = 'tasso_natalita'"
        anni = cap.periodo("natalita", "marts.contesto_indicatori", sel, [], quanti=5)
        nat = d.q("marts.contesto_indicatori", f"{sel} AND territorio_id IN (?, ?) "
                  f"AND periodo IN ({','.join('?' * len(anni))})", [t.id, t.regione, *anni], "territorio_id, periodo")
        p = nat.pivot_table(index="periodo", columns="territorio_id", values="valore")
        fonte = d.fonte(nat["fonte"].iloc[0])
        last = p.index.max()
        if t.regione in p.columns and pd.notna(p.loc[last, t.regione]):
            sez.paragrafi.append(
                f"Il tasso di natalità (nati per mille abitanti) {t.nome.di} è pari a "
                f"{it.numero(p.loc[last, t.id], 1)} nel {last}, "
                f"{it.confronto(p.loc[last, t.id], p.loc[last, t.regione], articolo='quello')} "
                f"{t.nome_regione.di} ({it.numero(p.loc[last, t.regione], 1)}).")
        else:
            sez.paragrafi.append(f"Il tasso di natalità (nati per mille abitanti) {t.nome.di} è pari a "
                                 f"{it.numero(p.loc[last, t.id], 1)} nel {last}.")
        fig = go.Figure()
        for k, label in ((t.id, t.nome.breve), (t.regione, t.nome_regione.breve)):
            if k in p.columns:
                fig.add_scatter(x=p.index, y=p[k], mode="lines+markers", name=label,
                                hovertemplate=label + " %{x}: %{y:.1f} per mille<extra></extra>")
        fig.update_yaxes(title_text="nati per mille abitanti")
        tacche(fig, p.values.ravel(), 1)
        fig.update_xaxes(type="category")
        sez.grafici.append(Grafico("natalita", f"Tasso di natalità {t.nome.in_} e {t.nome_regione.in_} (per mille abitanti)",
                                   f"Linee del tasso di natalità {anni[0]}-{anni[-1]}: {t.nome.breve} e "
                                   f"{t.nome_regione.breve}.", fonte, stile(fig, "Tasso di natalità (per mille abitanti)")))

    def piramide():
        sel = "dimensione = 'sesso|eta' AND misura = 'popolazione'"
        data = cap.periodo("popolazione", "marts.contesto_osservazioni", sel, [])
        pir = d.q("marts.contesto_osservazioni", f"{sel} AND periodo = ? AND territorio_id = ?", [data, t.id],
                  "valore_dimensione")
        pir = pir[pir["valore"].notna()].copy()
        cap.richiedi(pir, f"popolazione per sesso ed età {t.nome.di}")
        pir[["sesso", "eta"]] = pir["valore_dimensione"].str.split("|", expand=True)
        pir["classe"] = (pir["eta"].astype(int).clip(upper=100) // 5 * 5)
        g = pir.groupby(["classe", "sesso"])["valore"].sum().unstack()
        if not {"maschi", "femmine"} <= set(g.columns):
            raise DatiMancanti(f"popolazione per sesso incompleta al {data}")
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
        quando = it.data(dt.date.fromisoformat(data))
        # the shares of women and of the over 64 are said with the residents (marts.sezione_popolazione)
        sez.grafici.append(Grafico("piramide_eta", f"Popolazione residente per genere e classe di età al {quando}",
                                   f"Piramide dell'età {t.nome.di} al {quando}: {it.numero(total)} residenti.",
                                   d.fonte(pir["fonte"].iloc[0]),
                                   stile(fig, f"Popolazione per genere ed età, {quando}", altezza_barre(len(labels)))))

    cap.parte("tasso di natalità (frase e grafico)", natalita)
    cap.parte("popolazione per età (frase e piramide)", piramide)


@sezione("lavoro", "Il mercato del lavoro", parte="avviamenti")
def lavoro(cap: Capitolo, sez: Sezione) -> None:
    d, t = cap.d, cap.t
    sel = "misura = 'avviamenti'"
    periodo = cap.periodo("avviamenti", "marts.contesto_variazioni", sel, [])
    v = d.q("marts.contesto_variazioni", f"{sel} AND periodo = ? AND territorio_id = ?", [periodo, t.id],
            "valore_dimensione").sort_values("valore", ascending=False)
    fonte = d.fonte(v["fonte"].iloc[0])
    anno, prima = periodo[:4], str(int(periodo[:4]) - 1)
    mesi = int(periodo[-2:]) if periodo[-3:-2] == "M" else None

    def frase():
        tot = v[v["valore_dimensione"] == "Totale"]
        if tot.empty or pd.isna(tot.iloc[0]["variazione_pct"]):
            raise DatiMancanti(f"manca il totale degli avviamenti e la sua variazione per il periodo {periodo}")
        r = tot.iloc[0]
        quando = f"Nei primi {it.mesi(mesi)} del {anno}" if mesi else f"Nel {anno}"
        sez.paragrafi.append(
            f"{quando} le comunicazioni di avviamento delle aziende {t.nome.di_richiamo} sono state "
            f"{it.numero(r['valore'])}, {it.andamento(r['variazione_pct'])} rispetto allo stesso periodo dell'anno "
            f"precedente, quando erano state {cella(r['valore_prec'])}.")

    def tabella():
        rows = [[r.valore_dimensione, cella(r.valore_prec), cella(r.valore), cella(r.variazione_pct, it.variazione)]
                for r in v.itertuples()]
        span = (f"Gennaio-{it.data(dt.date(int(anno), mesi, 1), 'MMMM')} {prima} e {anno}" if mesi
                else f"Anni {prima} e {anno}")
        sez.tabelle.append(Tabella("avviamenti_contratto", f"Comunicazioni di avviamento per tipologia contrattuale. {span}",
                                   ["Tipologia contrattuale", prima, anno, "Var. %"], rows, fonte,
                                   v[["valore_dimensione", "valore_prec", "valore", "variazione_pct"]].rename(
                                       columns={"valore_dimensione": "tipologia", "valore_prec": "avviamenti_anno_prec",
                                                "valore": "avviamenti"}), _nota_campione(v),
                                   etichette={"tipologia": "Tipologia contrattuale",
                                              "avviamenti_anno_prec": f"Avviamenti {prima} (numero)",
                                              "avviamenti": f"Avviamenti {anno} (numero)",
                                              "variazione_pct": "Variazione (%)"}, decimali={"variazione_pct": 1}))

    def grafico():
        parts = v[v["valore_dimensione"] != "Totale"]
        cap.richiedi(parts, f"avviamenti per tipologia contrattuale nel periodo {periodo}")
        fig = go.Figure()
        fig.add_bar(name=prima, y=parts["valore_dimensione"], x=parts["valore_prec"], orientation="h")
        fig.add_bar(name=anno, y=parts["valore_dimensione"], x=parts["valore"], orientation="h")
        fig.update_layout(barmode="group")
        fig.update_xaxes(tickformat=",.0f", title_text="avviamenti (numero)")
        sez.grafici.append(Grafico("avviamenti_contratto", "Avviamenti per tipologia contrattuale",
                                   f"Barre orizzontali degli avviamenti per tipologia contrattuale, {prima} e {anno}.",
                                   fonte, stile(fig, "Avviamenti per tipologia contrattuale", altezza_barre(2 * len(parts)))))

    cap.parte("frase sugli avviamenti", frase)
    cap.parte("tabella degli avviamenti per contratto", tabella)
    cap.parte("grafico degli avviamenti per contratto", grafico)


def _periodi_salute(cap: Capitolo) -> None:
    """The health report's years for this edition, derived from the Camera's data: the target year follows
    the cut-off, the table shows the four years before it, the benchmarking the latest panel year before
    the cut-off's. Set in cap.periodi and in the edition's "periodi" (read by pipelines.rapporto_salute)."""
    if "salute_obiettivo" in cap.periodi:
        return
    codice, taglio = cap.camera.codice, cap.ed["data_taglio"]
    if not cap.conn.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' "
                            "AND table_name = 'salute_prospetto'").fetchone()[0]:
        raise DatiMancanti("lo stato di salute dell'Ente non è ancora stato calcolato (osservatorio run)")
    target_year = taglio.year + 1
    years = [r[0] for r in cap.conn.execute("SELECT DISTINCT anno FROM marts.salute_prospetto WHERE camera = ? "
                                            "AND anno < ? ORDER BY anno", [codice, target_year]).fetchall()]
    bench = cap.conn.execute("SELECT max(anno) FROM marts.benchmark_confronto WHERE camera = ? AND anno < ?",
                             [codice, taglio.year]).fetchone()[0]
    cap.periodi.update(salute_anni=[int(a) for a in years[-4:]], salute_obiettivo=target_year)
    if bench is not None:
        cap.periodi["benchmark"] = int(bench)
    cap.ed["periodi"] = cap.periodi


def _dal_rapporto(cap: Capitolo, sez: Sezione, costruisci: Callable, motivo: str) -> None:
    """Fill `sez` from one section of the health report (pipelines.rapporto_salute); DatiMancanti if empty."""
    built = costruisci(cap.d, cap.ed, cap.camera)
    if built.vuota():
        raise DatiMancanti(motivo)
    sez.titolo = built.titolo
    sez.paragrafi, sez.tabelle, sez.grafici = built.paragrafi, built.tabelle, built.grafici
    sez.nuova_pagina = built.nuova_pagina


@sezione("salute", "Lo stato di salute dell'Ente")
def salute(cap: Capitolo, sez: Sezione) -> None:
    from pipelines import rapporto_salute as rs

    _periodi_salute(cap)
    if not cap.periodi["salute_anni"]:
        raise DatiMancanti(f"nessun estratto di bilancio della {cap.camera.nome} fino al {cap.ed['data_taglio'].year}")
    cap.richiedi_tabella("marts.salute_rilasci")  # which releases the figures use: said when later than the edition
    _dal_rapporto(cap, sez, rs.sezione_salute, f"nessun indicatore di salute della {cap.camera.nome}")


@sezione("benchmark", "Il confronto con le altre Camere")
def benchmark(cap: Capitolo, sez: Sezione) -> None:
    from pipelines import rapporto_salute as rs

    _periodi_salute(cap)
    if "benchmark" not in cap.periodi:
        raise DatiMancanti(f"la {cap.camera.nome} non fa parte di alcun panel con dati prima del "
                           f"{cap.ed['data_taglio'].year}")
    _dal_rapporto(cap, sez, rs.sezione_benchmark, f"nessun panel con dati per la {cap.camera.nome}")


@sezione("appendice_oiv", "Appendice: verifica dei valori pubblicati")
def appendice_oiv(cap: Capitolo, sez: Sezione) -> None:
    from pipelines import rapporto_salute as rs

    _periodi_salute(cap)
    _dal_rapporto(cap, sez, rs.appendice_oiv, f"nessun valore pubblicato dalla {cap.camera.nome} da verificare")


def voci_modello(modello: str | None = None) -> list[dict[str, str]]:
    """The sections' tables, charts and prose blocks of the model chapters (data/catalog/capitolo_modello.csv:
    modello, id, tipo, sezione, titolo, nostro, misura, dimensione, livello, filtro, dati), of one model
    (e.g. "001") or, for None, of every model once each (by section and title). `nostro` names what the
    chapter prints for the item ("tabella:<nome>", "grafico:<nome>", "testo:<words of its sentence>"), empty
    when no section unit builds it yet; misura, dimensione, livello and filtro say which data it needs."""
    import csv

    from pipelines.settings import DATA_DIR

    with open(DATA_DIR / "catalog" / "capitolo_modello.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if modello:
        return [r for r in rows if r["modello"] == modello]
    seen: dict[tuple[str, str], dict] = {}
    for r in rows:
        seen.setdefault((r["sezione"], r["titolo"]), r)
    return list(seen.values())


def presente(voce: dict[str, str], sezioni: list[Sezione]) -> bool:
    """Whether the built sections have the model item (its `nostro`: a table, a chart, a sentence)."""
    kind, _, name = voce["nostro"].partition(":")
    if kind == "tabella":
        return any(tb.nome == name for s in sezioni for tb in s.tabelle)
    if kind == "grafico":
        return any(g.nome == name for s in sezioni for g in s.grafici)
    if kind == "testo":
        return any(name in p for s in sezioni for p in s.paragrafi)
    return False


def con_dati(cap: Capitolo, voce: dict[str, str]) -> bool:
    """Whether marts.contesto_osservazioni has the item's data for the chapter's territory (or its
    sub-provincial areas, livello = area) with a period the edition may describe."""
    territori = [cap.t.id]
    if voce["livello"] == "area":
        territori = [r[0] for r in cap.conn.execute(
            "SELECT territorio_id FROM marts.dim_territorio WHERE livello = 'area' AND provincia_id IN "
            "(SELECT unnest(?))", [list(cap.t.province)]).fetchall()] or ["-"]
    where = "misura = ? AND dimensione = ?" + (f" AND ({voce['filtro']})" if voce["filtro"] else "")
    try:
        return bool(cap.periodi_disponibili("marts.contesto_osservazioni", where,
                                            [voce["misura"], voce["dimensione"]], territori))
    except DatiMancanti:
        return False


def _voci_mancanti(cap: Capitolo, sezioni: list[Sezione]) -> None:
    """List in the note the model items no section unit builds, with the data they need (the ones a unit
    builds list themselves when their data are missing). Only for an edition that names its model chapter
    (`modello`): another Camera's current edition follows no model."""
    if not cap.ed.get("modello"):
        return
    for voce in voci_modello(cap.ed["modello"]):
        if voce["nostro"] or presente(voce, sezioni):
            continue
        motivo = (f"i dati ci sono ({voce['dati']}) ma il capitolo non li elabora ancora" if con_dati(cap, voce)
                  else f"mancano i dati su {voce['dati']}")
        cap.mancanti.append(Mancanza(voce["sezione"], voce["titolo"][0].lower() + voce["titolo"][1:], motivo))


def costruisci(conn, edizione_id: str | dict) -> tuple[dict, list[Sezione]]:
    """Build an edition's sections from the warehouse (read-only `conn`).

    Takes an edition id (data/edizioni/<id>.yaml) or an edition dict (pipelines.edizioni.carica).
    Returns the edition, completed with "territorio" (its Nome), "periodi" (the periods derived for each
    section) and "mancanti" (list of Mancanza: what was left out and why), and the non-empty sections,
    with tables and figures numbered in order. Raises only on a broken configuration (a Camera whose
    provinces are not in the territory dimension), never on missing data."""
    ed = carica_edizione(edizione_id) if isinstance(edizione_id, str) else edizione_id
    from pipelines import sezioni_contesto  # noqa: F401  (registers the model chapter's other sections)

    cap = Capitolo(conn, ed)
    per_chiave: dict[str, Sezione] = {}
    for chiave, titolo, fn, elemento, parte in SEZIONI:
        sez = per_chiave.setdefault(chiave, Sezione(titolo))
        cap._sezione = sez.titolo
        if not cap.parte(elemento, lambda: fn(cap, sez)) and elemento == "intera sezione":
            cap.mancanti[-1].elemento = parte  # named as a part, unless the section stays empty (below)
    sezioni = [s for s in per_chiave.values() if not s.vuota()]
    built = {s.titolo for s in sezioni}
    for m in cap.mancanti:
        if m.sezione not in built and m.elemento == next((p for _, t, _, e, p in SEZIONI
                                                          if t == m.sezione and e == "intera sezione"), None):
            m.elemento = "intera sezione"
    _voci_mancanti(cap, sezioni)
    n_tab = n_fig = 0
    for s in sezioni:
        for tb in s.tabelle:
            n_tab += 1
            tb.numero = n_tab
        for g in s.grafici:
            n_fig += 1
            g.numero = n_fig
    ed["territorio"] = cap.t.nome
    ed["periodi"] = cap.periodi
    if ed.get("corrente"):  # "dati aggiornati al": the latest date the described figures refer to, not today
        dates = [reference_date(p) for v in cap.periodi.values() for p in (v if isinstance(v, list) else [v])
                 if isinstance(p, str)]
        ed["data_dati"] = max((x for x in dates if x is not None), default=None)
    ed["mancanti"] = cap.mancanti
    return ed, sezioni
