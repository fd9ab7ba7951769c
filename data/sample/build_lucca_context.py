"""Write the bundled Lucca context sample from the figures the seed chapters publish.

Run: python data/sample/build_lucca_context.py   (tests check the committed files equal its output)

The office's extracts from Prometeia, StockView, Regione Toscana, SIL, INPS, Coeweb, Banca d'Italia
and Findomestic are not public. For each, the sample carries only the source-level figures the
chapters print (levels, and the growth rates Prometeia itself publishes), in the office's tidy
template, with natura = "pubblicato" and the seed line in `riferimento`. Derived figures (shares,
compositions, changes, ranks, averages) are not inputs: the pipeline computes them, and every
printed figure, derived or not, goes to `contesto_pubblicati` as the reference it must reproduce.

The real public files (Istat demo, SDMX, I.Stat exports, InfoCamere open data, MEF IRPEF) sit
beside these, byte for byte as published: see data/sample/lucca/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE.parent / "reference" / "lucca" / "context_tables"
HEALTH = HERE.parent / "reference" / "lucca" / "health_inputs_lucca.csv"
OUT = HERE / "lucca"
HEADER = ["territorio", "livello", "periodo", "dimensione", "valore_dimensione", "misura", "valore", "unita",
          "rilascio", "provvisorio", "natura", "riferimento"]

# Release of each chapter's figures: the document's date (the sources' own release dates are not printed).
RELEASE = {"001": "2019-01-31", "003": "2019-10-31"}
# Where the chapter names the source's edition ("Stime Prometeia Spa (Ottobre 2018)"), that is the
# release (last day of the month); the April 2018 estimate quoted beside the October one (001:375)
# is its own vintage.
APRIL_2018 = "2018-04-30"
MESI = {m: i for i, m in enumerate(["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
                                    "settembre", "ottobre", "novembre", "dicembre"], start=1)}


def release_of(rec: dict) -> str | None:
    match = re.search(r"(" + "|".join(MESI) + r")\W+(\d{4})", rec["source"].lower())
    if not match:
        return None
    year, month = int(match[2]), MESI[match[1]]
    return str(dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))

# dataset of the spec tables -> (source, measures that are source-level inputs)
INPUTS = {
    "prometeia_va": ("prometeia", {"va_prezzi_correnti", "va_prezzi_costanti_var_pct"}),
    "prometeia_va_territorio": ("prometeia", {"va_prezzi_correnti", "va_prezzi_costanti_var_pct",
                                              "va_prezzi_costanti_var_pct_stima_apr2018"}),
    "prometeia_va_branca": ("prometeia", {"va_prezzi_correnti", "va_prezzi_costanti_var_pct"}),
    "prometeia_reddito_disponibile": ("prometeia", {"reddito_disponibile_procapite", "reddito_disponibile_procapite_var_pct"}),
    "infocamere_sedi_status": ("infocamere_stockview", {"sedi_impresa"}),
    "infocamere_imprese_turistiche": ("infocamere_stockview", {"imprese_attive"}),
    "infocamere_attive_settore": ("infocamere_stockview", {"imprese_attive"}),
    "infocamere_settori_specializzazione": ("infocamere_stockview", {"imprese_attive", "unita_locali"}),
    "regione_toscana_turismo": ("regione_toscana_turismo", {"arrivi", "presenze"}),
    "regione_toscana_turismo_ambiti": ("regione_toscana_turismo", {"arrivi", "presenze"}),
    "sil_avviamenti_contratto": ("sil_avviamenti", {"avviamenti"}),
    "inps_cig_ore_autorizzate": ("inps_cig", {"ore_autorizzate"}),
    "istat_coeweb_export_settori": ("istat_coeweb", {"export"}),
    "istat_coeweb_export_aree": ("istat_coeweb", {"export"}),
    "bdi_tassi_attivi": ("bancaditalia_credito", {"tasso_attivo"}),
    "findomestic_beni_durevoli": ("findomestic", {"spesa_beni_durevoli"}),
}


def rows_of_tables() -> list[dict]:
    rows = []
    for path in sorted(TABLES.glob("*.csv")):
        with open(path, encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def tidy(rec: dict, measure: str | None = None, release: str | None = None) -> dict:
    doc = rec["seed_file"][:3]
    dimension = rec["dimension"] if rec["dimension"] not in ("totale", "") else "totale"
    value = rec["dimension_value"] if rec["dimension_value"] else "Totale"
    unit = "n" if rec["unit"] in ("n", "ore") else rec["unit"]
    return {"territorio": rec["geo"], "livello": "", "periodo": rec["period"], "dimensione": dimension,
            "valore_dimensione": value, "misura": measure or rec["measure"], "valore": rec["value"], "unita": unit,
            "rilascio": release or RELEASE[doc], "provvisorio": "no", "natura": "pubblicato",
            "riferimento": f"{doc}:{rec['seed_line']}"}


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    every = rows_of_tables()
    by_source: dict[str, list[dict]] = {}
    for rec in every:
        source, measures = INPUTS.get(rec["dataset"], (None, set()))
        if source is None or rec["measure"] not in measures:
            continue
        if rec["measure"].endswith("_stima_apr2018"):
            row = tidy(rec, measure="va_prezzi_costanti_var_pct", release=APRIL_2018)
        else:
            row = tidy(rec, release=release_of(rec))
        by_source.setdefault(source, []).append(row)
    for source, rows in by_source.items():
        # one figure printed twice in a chapter (table and text) is one input
        unique = {tuple(r[k] for k in HEADER if k != "riferimento"): r for r in rows}
        write(OUT / source / f"{source}_capitoli_lucca.csv", list(unique.values()))

    published = [tidy(rec) for rec in every]
    # the registered companies as the 001 text prints them (001:486), beside the table's figure
    with open(HEALTH, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            if rec["item"] == "imprese.registrate_30set.testo":
                published.append({**tidy({"geo": "Lucca", "period": "2018-09-30", "dimension": "status_impresa",
                                          "dimension_value": "Totale registrate", "measure": "sedi_impresa",
                                          "value": rec["value"], "unit": "n", "seed_file": rec["seed_file"],
                                          "seed_line": rec["seed_line"]})})
    write(OUT / "contesto_pubblicati" / "capitoli_001_003.csv", published)


if __name__ == "__main__":
    main()
