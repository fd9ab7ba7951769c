"""Extract templates the office fills in, generated from the source registry and the item catalogue.

Each source gets a CSV (Italian Excel dialect: ';' separator, decimal comma) and an XLSX with
three sheets: "Istruzioni", "Dati" (the header and example rows) and, for the balance sheet,
"Voci" (every accepted item code with its label and DPR 254/2005 reference).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipelines import catalog
from pipelines.tabelle import EPOCA, zip_riproducibile

# template name -> (source whose columns it has, example rows)
EXAMPLES = {
    "bilancio": ("bilancio", [
        ["LU", 2018, "consuntivo", "pc_diritto_annuale", "4.796,9", "EUR_k", "30/04/2019", "ufficiale", "", ""],
        ["LU", 2018, "consuntivo", "oc_personale", "3.174,5", "EUR_k", "30/04/2019", "ufficiale", "", ""],
        ["LU", 2018, "consuntivo", "sp_attivo_circolante", "10.376.422", "EUR", "30/04/2019", "ufficiale", "", ""],
        ["LU", 2018, "consuntivo", "pers_fte_indeterminato_dirigenti", "63,0", "FTE", "30/04/2019", "ufficiale", "", ""],
        ["LU", 2018, "consuntivo", "imp_attive_31dic", "36.301", "n", "30/04/2019", "ufficiale", "", ""],
        ["LU", 2018, "consuntivo", "ce_oneri_finanziari", "-1.250,00", "EUR", "30/04/2019", "ufficiale", "",
         "oneri col segno meno come nel conto economico: letti come importo positivo"],
        ["LU", 2018, "budget", "ris_esercizio", "-711.687,36", "EUR", "30/04/2019", "ufficiale", "", "budget = budget aggiornato"],
    ]),
    "obiettivi_salute": ("obiettivi_salute", [
        ["LU", 2019, "ICS", "banda", "85", "90", "31/01/2019", "Piano della performance 2019-2021"],
        ["LU", 2019, "Risultato d'esercizio", "riduzione del 20% della perdita rispetto al budget", "", "", "31/01/2019",
         "Piano della performance 2019-2021"],
    ]),
    "indicatori_pubblicati": ("indicatori_pubblicati", [
        ["LU", 2018, "preconsuntivo", "ICS", "87,8", 1, "31/01/2019", "Piano della performance, p. 40", "pct"],
        ["LU", 2018, "consuntivo", "Margine di tesoreria", "4,98", 2, "31/01/2019", "Relazione sulla performance", "rapporto"],
    ]),
    "benchmark_valori": ("benchmark_valori", [["PI", 2017, "101", "3,2", "15/02/2019", "ufficiale", ""],
                                              ["Media regionale", 2017, "101", "4,1", "15/02/2019", "ufficiale", "regionale"]]),
    "benchmark_panel": ("benchmark_panel", [["regionale", "Camere di Commercio della regione", "LU"]]),
    # one template for every context source without a machine-readable format of its own
    "contesto": ("prometeia", [
        ["046", "provincia", "2017", "branca", "Costruzioni", "va_prezzi_correnti", "520", "mln_euro", "31/10/2018", "no", "ufficiale", ""],
        ["Versilia", "area", "2018", "tipo_esercizio|provenienza", "Totale|Stranieri", "arrivi", "289.123", "n", "30/06/2019", "sì", "ufficiale", ""],
        ["ITE12", "", "2018M01-M09", "tipologia_contrattuale", "Totale", "avviamenti", "67.503", "n", "15/11/2018", "no", "ufficiale", ""],
    ]),
}


def _instructions(name: str, fonte_id: str) -> list[list[str]]:
    spec = catalog.fonte(fonte_id)
    if name == "contesto":
        title = "Modello di estratto per le fonti del contesto economico"
        folders = [k for k, v in catalog.fonti().items()
                   if v["suite"] == "contesto" and v.get("formato", "modello") == "modello" and k != "contesto_pubblicati"]
        where = (f"Depositare il file compilato nella cartella della sua fonte, landing/<fonte>/ ({', '.join(folders)}), "
                 "formato .xlsx con foglio «Dati» oppure .csv.")
    else:
        title = f"Modello di estratto: {spec['dataset']}"
        where = f"Depositare il file compilato in landing/{fonte_id}/ (formato .xlsx con foglio «Dati», oppure .csv)."
    rows = [[title], [""], [where],
            ["Nei CSV separati da punto e virgola i numeri si scrivono all'italiana (1.234,5); in quelli separati da virgola all'inglese (1234.5)."],
            ["Valori mancanti: lasciare vuoto o scrivere nd / n.c.; non scrivere 0 al posto di un dato mancante."],
            ["Una nuova versione di un estratto già consegnato va depositata con una nuova data di rilascio: le versioni precedenti restano nel magazzino."],
            [""], ["Colonna", "Obbligatoria", "Descrizione"]]
    rows += [[c["nome"], "sì" if c.get("obbligatoria") else "no", c["descrizione"]] for c in spec["colonne"]]
    return rows


def write_templates(folder: Path) -> list[Path]:
    import openpyxl
    from openpyxl.styles import Font

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (fonte_id, examples) in EXAMPLES.items():
        header = [c["nome"] for c in catalog.fonte(fonte_id)["colonne"]]
        csv_path = folder / f"estratto_{name}.csv"
        with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", lineterminator="\n")
            writer.writerow(header)
            writer.writerows(examples)
        wb = openpyxl.Workbook()
        info = wb.active
        info.title = "Istruzioni"
        for row in _instructions(name, fonte_id):
            info.append(row)
        info["A1"].font = Font(bold=True, size=14)
        info.column_dimensions["A"].width = 30
        info.column_dimensions["C"].width = 100
        data = wb.create_sheet("Dati")
        data.append(header)
        for cell in data[1]:
            cell.font = Font(bold=True)
        for row in examples:
            data.append(row)
        if fonte_id == "bilancio":
            voci = wb.create_sheet("Voci")
            items = catalog.voci_bilancio()
            voci.append(list(items.columns))
            for row in items.itertuples(index=False):
                voci.append(list(row))
        xlsx_path = folder / f"estratto_{name}.xlsx"
        # dated once for all (not today): an unchanged template rewritten is the same file, byte for byte
        wb.properties.created = wb.properties.modified = EPOCA
        wb.save(xlsx_path)
        zip_riproducibile(xlsx_path, EPOCA)
        written += [csv_path, xlsx_path]
    return written
