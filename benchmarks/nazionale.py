"""Generator of national-size inputs in the formats the pipeline really reads, with a size knob.

Every file is derived from a real public file bundled in `data/sample/lucca/` (so names, codes and
layouts are the publishers' own), with values moved by a seeded random walk:

- `infocamere_opendata/`: the InfoCamere open-data stock of active companies by province and ATECO
  (all provinces, every sub-category), one file per quarter, named by its stock date;
- `infocamere_stockview/`: companies by province, legal form and status, one extract a quarter
  (the office's tidy template);
- `istat_coeweb/`: exports and imports by province, CPA division and country, one extract a year;
- `istat_demo_popolazione/`: demo.istat.it population by single year of age and sex, one file a year;
- `istat_demo_bilancio/`: demo.istat.it demographic balance of provinces and regions, one file a year each;
- `mef_irpef/`: MEF IRPEF statistics of every comune, one file a tax year;
- `bilancio/<codice>/`, `benchmark_valori/`: balance sheets (each Camera's in its folder) and benchmarking values
  of one Camera per province.

Publishers' files get their release dates from `_rilasci.csv`, as the office would write it.
`scala=1` is the national set of the issue (20 years, 80 quarterly stocks); smaller values shrink
the years (at least 2) and, below 0,1, the rows of every file.

    python benchmarks/nazionale.py DESTINAZIONE [--scala 1.0]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "data" / "sample" / "lucca"
ULTIMO_ANNO = 2024
CONTESTO = ["territorio", "livello", "periodo", "dimensione", "valore_dimensione", "misura", "valore", "unita",
            "rilascio", "provvisorio", "natura", "riferimento"]
NATURE_GIURIDICHE = ["Società di capitale", "Società di persone", "Imprese individuali", "Cooperative", "Consorzi",
                     "Altre forme"]
STATUS = {"Attive": 0.86, "Sospese": 0.004, "Inattive": 0.08, "con Procedure concorsuali": 0.016,
          "in Scioglimento o Liquidazione": 0.04}
CPA = ["AA01", "BB06", "CA10", "CB13", "CB14", "CB15", "CC16", "CC17", "CD19", "CE20", "CF21", "CG22", "CG23",
       "CH24", "CH25", "CI26", "CJ27", "CK28", "CL29", "CL30", "CM31", "CM32", "DD35", "EE38", "JA58", "MC74"]
PAESI = ["Francia", "Germania", "Spagna", "Regno Unito", "Stati Uniti", "Cina", "Svizzera", "Belgio", "Paesi Bassi",
         "Austria", "Polonia", "Romania", "Turchia", "Giappone", "Russia", "Brasile", "India", "Canada", "Messico",
         "Emirati Arabi Uniti", "Arabia Saudita", "Corea del Sud", "Australia", "Svezia", "Danimarca", "Norvegia",
         "Grecia", "Portogallo", "Repubblica ceca", "Ungheria", "Slovenia", "Croazia", "Israele", "Egitto",
         "Marocco", "Tunisia", "Sudafrica", "Argentina", "Cile", "Hong Kong"]


@dataclass(frozen=True)
class Dimensioni:
    anni: int
    frazione: float  # share of the rows of each real file kept

    @classmethod
    def da_scala(cls, scala: float) -> "Dimensioni":
        if scala <= 0:
            raise ValueError("la scala deve essere positiva")
        return cls(anni=max(2, round(20 * min(scala, 1.0))), frazione=min(1.0, scala * 10))

    @property
    def primo_anno(self) -> int:
        return ULTIMO_ANNO - self.anni + 1


def _rilasci(folder: Path, rows: list[tuple[str, dt.date, bool]]) -> None:
    with open(folder / "_rilasci.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "rilascio", "provvisorio"])
        for name, date, provisional in rows:
            w.writerow([name, date.isoformat(), "sì" if provisional else "no"])


def _fattori(rng: np.random.Generator, n: int, passi: int, deriva: float = 0.005, rumore: float = 0.01) -> np.ndarray:
    """A random walk per row: `passi` columns of multiplicative factors around 1."""
    steps = rng.normal(deriva, rumore, size=(n, passi))
    return np.exp(np.cumsum(steps, axis=1) - steps.sum(axis=1, keepdims=True))  # last step = 1 (the real file)


def _fine_trimestre(anno: int, q: int) -> dt.date:
    return dt.date(anno + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)


def _trimestri(dim: Dimensioni) -> list[dt.date]:
    return [_fine_trimestre(y, q) for y in range(dim.primo_anno, ULTIMO_ANNO + 1) for q in range(1, 5)]


def infocamere_opendata(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    src = SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv"
    base = pd.read_csv(src, sep=";", dtype=str, keep_default_na=False)
    if dim.frazione < 1:
        base = base.iloc[: max(1, int(len(base) * dim.frazione))]
    counts = base["Imprese Attive"].astype(int).to_numpy()
    dates = _trimestri(dim)
    factors = _fattori(rng, len(base), len(dates))
    folder = dest / "infocamere_opendata"
    folder.mkdir(parents=True, exist_ok=True)
    releases, rows = [], 0
    for j, date in enumerate(dates):
        frame = base.copy()
        frame["Imprese Attive"] = np.maximum(0, np.rint(counts * factors[:, j])).astype(int)
        name = f"{date.isoformat()}-Stock-Imprese-Attive-Italia.csv"
        frame.to_csv(folder / name, sep=";", index=False)
        releases.append((name, date + dt.timedelta(days=40), False))
        rows += len(frame)
    _rilasci(folder, releases)
    return rows


def infocamere_opendata_successivo(dest: Path) -> Path:
    """The quarter after the last one generated (the one-file incremental refresh of the benchmark)."""
    folder = dest / "infocamere_opendata"
    files = sorted(folder.glob("*-Stock-Imprese-Attive-Italia.csv"))
    last = dt.date.fromisoformat(files[-1].name[:10])
    nxt = _fine_trimestre(last.year + (last.month == 12), 1 if last.month == 12 else last.month // 3 + 1)
    frame = pd.read_csv(files[-1], sep=";", dtype=str, keep_default_na=False)
    frame["Imprese Attive"] = (frame["Imprese Attive"].astype(int) * 1.002).round().astype(int)
    name = f"{nxt.isoformat()}-Stock-Imprese-Attive-Italia.csv"
    frame.to_csv(folder / name, sep=";", index=False)
    with open(folder / "_rilasci.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([name, (nxt + dt.timedelta(days=40)).isoformat(), "no"])
    return folder / name


def _province() -> pd.DataFrame:
    pop = pd.read_csv(SAMPLE / "istat_demo_popolazione" / "province17.csv", skiprows=1, dtype=str)
    return pop[["Codice Provincia", "Descrizione Provincia"]].drop_duplicates().reset_index(drop=True)


def infocamere_stockview(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    prov = _province()
    if dim.frazione < 1:
        prov = prov.iloc[: max(2, int(len(prov) * dim.frazione))]
    folder = dest / "infocamere_stockview"
    folder.mkdir(parents=True, exist_ok=True)
    sizes = rng.uniform(15_000, 400_000, size=len(prov))
    dates = _trimestri(dim)
    shares = rng.dirichlet(np.ones(len(NATURE_GIURIDICHE)) * 4, size=len(prov))
    factors = _fattori(rng, len(prov), len(dates))
    rows = 0
    for j, date in enumerate(dates):
        out = []
        for i, name in enumerate(prov["Descrizione Provincia"]):
            for k, forma in enumerate(NATURE_GIURIDICHE):
                total = 0
                for status, share in STATUS.items():
                    n = int(round(sizes[i] * factors[i, j] * shares[i, k] * share))
                    total += n
                    out.append([name, "provincia", date.isoformat(), "natura_giuridica|status_impresa",
                                f"{forma}|{status}", "sedi_impresa", n, "n", (date + dt.timedelta(days=30)).isoformat(),
                                "no", "ufficiale", ""])
                out.append([name, "provincia", date.isoformat(), "natura_giuridica|status_impresa",
                            f"{forma}|Totale registrate", "sedi_impresa", total, "n",
                            (date + dt.timedelta(days=30)).isoformat(), "no", "ufficiale", ""])
        pd.DataFrame(out, columns=CONTESTO).to_csv(folder / f"stockview_{date.isoformat()}.csv", index=False)
        rows += len(out)
    return rows


def istat_coeweb(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    prov = _province()
    paesi = PAESI
    if dim.frazione < 1:
        prov = prov.iloc[: max(2, int(len(prov) * dim.frazione))]
        paesi = PAESI[: max(2, int(len(PAESI) * dim.frazione))]
    folder = dest / "istat_coeweb"
    folder.mkdir(parents=True, exist_ok=True)
    grid = pd.MultiIndex.from_product([prov["Descrizione Provincia"], CPA, paesi, ["export", "import"]],
                                      names=["territorio", "cpa", "paese", "misura"]).to_frame(index=False)
    level = rng.lognormal(1.5, 1.2, size=len(grid))
    factors = _fattori(rng, len(grid), dim.anni, deriva=0.02, rumore=0.08)
    rows = 0
    for j, year in enumerate(range(dim.primo_anno, ULTIMO_ANNO + 1)):
        frame = pd.DataFrame({
            "territorio": grid["territorio"], "livello": "provincia", "periodo": str(year),
            "dimensione": "cpa|paese", "valore_dimensione": grid["cpa"] + "|" + grid["paese"],
            "misura": grid["misura"], "valore": np.round(level * factors[:, j], 3), "unita": "mln_euro",
            "rilascio": f"{year + 1}-03-15", "provvisorio": "sì" if year == ULTIMO_ANNO else "no",
            "natura": "ufficiale", "riferimento": ""})
        frame.to_csv(folder / f"coeweb_{year}.csv", index=False)
        rows += len(frame)
    return rows


def istat_demo_popolazione(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    src = SAMPLE / "istat_demo_popolazione" / "province17.csv"
    header = src.read_text(encoding="utf-8-sig").splitlines()[0]
    base = pd.read_csv(src, skiprows=1, dtype=str, keep_default_na=False)
    if dim.frazione < 1:
        keep = base["Codice Provincia"].drop_duplicates().iloc[: max(2, int(107 * dim.frazione))]
        base = base[base["Codice Provincia"].isin(keep)]
    numeric = [c for c in base.columns if c not in ("Codice Provincia", "Descrizione Provincia", "Età")]
    folder = dest / "istat_demo_popolazione"
    folder.mkdir(parents=True, exist_ok=True)
    factors = _fattori(rng, len(base), dim.anni, deriva=0.0, rumore=0.01)
    releases, rows = [], 0
    for j, year in enumerate(range(dim.primo_anno, ULTIMO_ANNO + 1)):
        frame = base.copy()
        totals = frame["Età"].str.isdigit()
        for c in numeric:
            values = pd.to_numeric(frame[c], errors="coerce").fillna(0).to_numpy()
            frame[c] = np.rint(values * factors[:, j]).astype(int)
        frame = frame[totals | ~totals]  # "Totale" rows are kept as published (the parser skips them)
        name = f"province{year % 100:02d}.csv"
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(header.replace("2017", str(year)) + "\n")
            frame.to_csv(fh, index=False)
        releases.append((name, dt.date(year, 6, 15), False))
        rows += len(frame)
    _rilasci(folder, releases)
    return rows


def istat_demo_bilancio(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    folder = dest / "istat_demo_bilancio"
    folder.mkdir(parents=True, exist_ok=True)
    releases, rows = [], 0
    for kind in ("province", "regioni"):
        base = pd.read_csv(SAMPLE / "istat_demo_bilancio" / f"{kind}_bd2016.csv", dtype=str, keep_default_na=False)
        numeric = [c for c in base.columns if " - " in c]
        factors = _fattori(rng, len(base), dim.anni, deriva=0.0, rumore=0.01)
        for j, year in enumerate(range(dim.primo_anno, ULTIMO_ANNO + 1)):
            frame = base.copy()
            for c in numeric:
                values = pd.to_numeric(frame[c], errors="coerce").fillna(0).to_numpy()
                frame[c] = np.rint(values * factors[:, j]).astype(int)
            name = f"{kind}_bd{year}.csv"
            frame.to_csv(folder / name, index=False)
            releases.append((name, dt.date(year + 1, 6, 30), False))
            rows += len(frame)
    _rilasci(folder, releases)
    return rows


def mef_irpef(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    src = SAMPLE / "mef_irpef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2018.csv"
    base = pd.read_csv(src, sep=";", dtype=str, keep_default_na=False)
    if dim.frazione < 1:
        base = base.iloc[: max(1, int(len(base) * dim.frazione))]
    numeric = [c for c in base.columns if c.startswith(("Numero", "Reddito")) or " - " in c]
    folder = dest / "mef_irpef"
    folder.mkdir(parents=True, exist_ok=True)
    factors = _fattori(rng, len(base), dim.anni, deriva=0.01, rumore=0.02)
    releases, rows = [], 0
    for j, year in enumerate(range(dim.primo_anno - 2, ULTIMO_ANNO - 1)):
        frame = base.copy()
        frame["Anno di imposta"] = str(year)
        for c in numeric:
            values = pd.to_numeric(frame[c], errors="coerce")
            frame[c] = np.where(values.isna(), "", np.rint(values.fillna(0).to_numpy() * factors[:, j]).astype("int64").astype(str))
        name = f"Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_{year}.csv"
        frame.to_csv(folder / name, sep=";", index=False)
        releases.append((name, dt.date(year + 2, 3, 31), False))
        rows += len(frame)
    _rilasci(folder, releases)
    return rows


def camere_nazionali() -> dict[str, dict]:
    """One Camera per province (sigla as code), in the shape of data/camere/camere.yaml."""
    from pipelines.extracts import MISSING

    terr = pd.read_csv(PROJECT / "data" / "territorio" / "istat_unita_territoriali.csv", sep=";", dtype=str,
                       encoding="utf-8-sig", keep_default_na=False)
    prov = terr[["Codice Provincia (Storico)", "Sigla automobilistica", "Codice Regione", "Provincia/Uts"]].drop_duplicates(
        "Sigla automobilistica")
    # Napoli's plate "NA" reads as a missing marker in the office's templates: give it a longer code
    return {(r[1] if r[1].casefold() not in MISSING else f"CCIAA_{r[1]}"):
            {"nome": f"Camera di Commercio di {r[3]}", "province": [r[0]], "regione": r[2]}
            for r in prov.itertuples(index=False)}


def bilancio_e_benchmark(dest: Path, dim: Dimensioni, rng: np.random.Generator) -> int:
    camere = list(camere_nazionali())
    if dim.frazione < 1:
        camere = camere[: max(2, int(len(camere) * dim.frazione))]
    if "LU" not in camere:
        camere[0] = "LU"
    base = pd.read_csv(SAMPLE / "bilancio" / "bilancio_lucca_pp2019.csv", dtype=str, keep_default_na=False)
    base = base[(base["anno"] == "2017") & (base["tipo"] == "consuntivo") & ~base["voce"].isin(["oc_totale", "pc_totale"])]
    rows = 0
    for folder in ("bilancio", "benchmark_valori"):
        (dest / folder).mkdir(parents=True, exist_ok=True)
    bench = pd.read_csv(SAMPLE / "benchmark_valori" / "panel_illustrativo_2016_2017.csv", dtype=str)
    codici = sorted(bench["codice"].unique())
    scale = {c: rng.uniform(0.3, 6.0) for c in camere}
    for year in range(dim.primo_anno, ULTIMO_ANNO + 1):
        out = []
        for c in camere:
            frame = base.copy()
            frame["camera"], frame["anno"] = c, str(year)
            frame["valore"] = (frame["valore"].astype(float) * scale[c] * (1 + 0.01 * (year - ULTIMO_ANNO))).round(1).astype(str)
            frame["rilascio"] = f"{year + 1}-05-31"
            frame["natura"], frame["riferimento"], frame["nota"] = "illustrativo", "", ""
            out.append(frame)
        for c, frame in zip(camere, out):  # each Camera's balance sheet in its own folder, landing/bilancio/<codice>/
            (dest / "bilancio" / c).mkdir(exist_ok=True)
            frame.to_csv(dest / "bilancio" / c / f"bilancio_{year}.csv", index=False)
            rows += len(frame)
        values = pd.DataFrame([(c, year, k, round(float(rng.uniform(20, 120)), 1), f"{year + 1}-06-30", "illustrativo")
                               for c in camere for k in codici],
                              columns=["camera", "anno", "codice", "valore", "rilascio", "natura"])
        values.to_csv(dest / "benchmark_valori" / f"benchmark_{year}.csv", index=False)
        rows += len(values)
    return rows


GENERATORI = {
    "infocamere_opendata": infocamere_opendata,
    "infocamere_stockview": infocamere_stockview,
    "istat_coeweb": istat_coeweb,
    "istat_demo_popolazione": istat_demo_popolazione,
    "istat_demo_bilancio": istat_demo_bilancio,
    "mef_irpef": mef_irpef,
    "bilancio+benchmark_valori": bilancio_e_benchmark,
}


def genera(dest: Path, scala: float = 1.0, seme: int = 1) -> dict[str, int]:
    """Write the national inputs under `dest` (one folder per source); return rows written per generator."""
    dim = Dimensioni.da_scala(scala)
    rng = np.random.default_rng(seme)
    random.seed(seme)
    return {name: fn(dest, dim, rng) for name, fn in GENERATORI.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("destinazione", type=Path)
    parser.add_argument("--scala", type=float, default=1.0)
    args = parser.parse_args()
    counts = genera(args.destinazione, args.scala)
    for name, n in counts.items():
        print(f"{name:28s} {n:>12,d} righe".replace(",", "."))
    print(f"{'totale':28s} {sum(counts.values()):>12,d} righe".replace(",", "."))
    return None


if __name__ == "__main__":
    sys.exit(main())
