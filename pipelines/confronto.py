"""Comparing two built editions: which printed figures changed, and why.

An edition's tables (and the values of its charts) are published as CSV (`tabelle/<nome>.csv`,
`grafici/<nome>.csv`: `;` and decimal comma) with a CSVW sidecar (`<nome>.csv-metadata.json`) holding
the title, the "Fonte:" line (which names the release a figure used, as "(ottobre 2019)", when the
source declares its releases) and the type and printed decimals of each column. A figure is a numeric
cell, identified by its table, the labels of its row (the text columns and those of
`tabelle.COLONNE_ETICHETTA`: periods, a chart's series and category) and its column, and compared and
shown as the edition prints it (Italian format, the column's decimals: 9.810, 25.534,4), so a change
below the printed precision is no change. The reason of a change is read from what else changed in its table:

- new source: the table is only in the newer edition and its "Fonte:" line names a source the older
  edition does not cite, or the source of the table changed;
- no longer published: the newer edition has no figure there (e.g. an older year the newer table drops:
  never a new period);
- new period: the figure's row, column or the table's title carry a year the older table lacks;
- revised release: same period, but the "Fonte:" line names another release;
- revised within the same release: none of the above (the same release printed another value).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines import italiano as it
from pipelines.tabelle import COLONNE_ETICHETTA, DECIMALI_CSVW, decimali_stampa

_ANNO = re.compile(r"\b(?:19|20)\d{2}\b")
_RILASCIO = re.compile(r"\s*\([^()]*\b(?:19|20)\d{2}\)")  # "(ottobre 2019)" after a source's name


@dataclass(frozen=True)
class Cambio:
    tabella: str
    riga: str
    colonna: str
    prima: str
    dopo: str
    motivo: str


@dataclass(frozen=True)
class Tabella:
    titolo: str
    fonte: str
    cifre: dict  # {(row labels, column): printed value}

    def anni(self) -> set[str]:
        return set(_ANNO.findall(self.titolo)) | {a for riga, col in self.cifre for a in _ANNO.findall(f"{riga} {col}")}


def senza_rilascio(fonte: str) -> str:
    """A "Fonte:" line without the releases it names: the sources themselves."""
    return _RILASCIO.sub("", fonte).strip()


def leggi(csv: Path) -> Tabella:
    """One published table: title, "Fonte:" line and its figures. Label columns are the sidecar's text and
    boolean columns and the label columns (periods, chart categories); a row whose labels repeat is told apart by its position."""
    sidecar = csv.with_name(csv.name + "-metadata.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    tipi = {c["name"]: c.get("datatype", {}).get("base", "string")
            for c in meta.get("tableSchema", {}).get("columns", [])}
    df = pd.read_csv(csv, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    decimali = {c["name"]: c.get(DECIMALI_CSVW) for c in meta.get("tableSchema", {}).get("columns", [])}
    labels = [c for c in df.columns if tipi.get(c, "string") in ("string", "boolean") or c in COLONNE_ETICHETTA]
    numeric = [c for c in df.columns if c not in labels]
    printed = {}
    for c in numeric:  # as the edition prints it; a sidecar without decimals (older editions): the tables' rule
        values = pd.to_numeric(df[c].str.replace(",", ".", regex=False), errors="coerce")
        d = decimali[c] if decimali.get(c) is not None else decimali_stampa(values, None)
        printed[c] = [it.numero(v, d) if pd.notna(v) else raw for v, raw in zip(values, df[c])]
    cifre, seen = {}, {}
    for i, row in df.iterrows():
        riga = " · ".join(row[c] for c in labels if row[c]) or "-"
        seen[riga] = seen.get(riga, 0) + 1
        if seen[riga] > 1:
            riga = f"{riga} ({seen[riga]}ª)"
        for c in numeric:
            cifre[(riga, c)] = printed[c][i]
    return Tabella(str(meta.get("dc:title", "")), str(meta.get("dc:source", "")), cifre)


def tabelle_edizione(cartella: Path) -> dict[str, Tabella]:
    """Every table of a built edition (`tabelle/x.csv` as "x", chart values as "grafici/x")."""
    out = {csv.stem: leggi(csv) for csv in sorted((cartella / "tabelle").glob("*.csv"))}
    out |= {f"grafici/{csv.stem}": leggi(csv) for csv in sorted((cartella / "grafici").glob("*.csv"))}
    return out


def _motivo(tabella: str, key: tuple[str, str], a: Tabella | None, b: Tabella | None, fonti_a: set[str]) -> str:
    if a is None:
        nuova = senza_rilascio(b.fonte) not in fonti_a
        return "nuova fonte (tabella nuova, fonte non citata nella prima edizione)" if nuova else \
            "tabella nuova (fonte già citata nella prima edizione)"
    if b is None:
        return "tabella non più pubblicata"
    if senza_rilascio(a.fonte) != senza_rilascio(b.fonte):
        return f"nuova fonte («{senza_rilascio(a.fonte)}» → «{senza_rilascio(b.fonte)}»)"
    riga, colonna = key
    if not b.cifre.get(key):  # gone from the newer edition (e.g. an older year it drops): never a new period
        return "periodo o voce non più pubblicati"
    nuovi = (set(_ANNO.findall(f"{riga} {colonna} {b.titolo}")) - a.anni())
    if nuovi:
        return f"nuovo periodo ({', '.join(sorted(nuovi))})"
    if not a.cifre.get(key):
        return "voce aggiunta"
    if a.fonte != b.fonte:
        return f"rilascio rivisto («{a.fonte}» → «{b.fonte}»)"
    return "dato rivisto nello stesso rilascio"


def confronta(a: Path, b: Path) -> list[Cambio]:
    """Every printed figure that differs between the editions built in folders `a` (older) and `b` (newer),
    in table, row and column order, each with its reason (see the module's docstring).

    Raises FileNotFoundError (Italian) when a folder holds no built edition.
    """
    for folder in (a, b):
        if not (folder / "tabelle").is_dir():
            raise FileNotFoundError(f"Nella cartella {folder} non c'è un'edizione costruita (manca tabelle/): "
                                    "costruirla prima con osservatorio edizione costruisci.")
    ta, tb = tabelle_edizione(a), tabelle_edizione(b)
    fonti_a = {senza_rilascio(t.fonte) for t in ta.values()}
    cambi = []
    for tabella in sorted(set(ta) | set(tb)):
        va, vb = ta.get(tabella), tb.get(tabella)
        ca, cb = (va.cifre if va else {}), (vb.cifre if vb else {})
        for key in sorted(set(ca) | set(cb)):
            prima, dopo = ca.get(key, ""), cb.get(key, "")
            if prima == dopo:
                continue
            cambi.append(Cambio(tabella, key[0], key[1], prima, dopo, _motivo(tabella, key, va, vb, fonti_a)))
    return cambi
