"""The official territorial publications the territory dimension is built from, loaded as published.

Sources (bundled in data/territorio/, provenance and licences in the README there):
- Istat, list of comuni in force today (2026 layout) with province, region, plate, NUTS 2024;
- Istat, list of comuni 2023 with each comune's code under the 110, 107 and 103 province layouts
  and its NUTS 2010 and NUTS 2021 codes;
- ANPR, historical archive of comuni: every Istat code with the days it was valid (from 1991);
- Istat, suppressed comuni with their successor and the date;
- Istat, administrative changes of the comuni since 1991 (mergers, splits, changes of province, with dates);
- Istat, correspondence of the Sardinian comuni to the 2026 provinces (old -> new codes);
- Istat code list CL_ITTER107 (territory codes in Istat's data: NUTS 2006 codes like ITE12, IT108);
- Eurostat, NUTS 2006 -> NUTS 2010 (Italian rows);
- the office's sub-provincial areas, and how each source writes rows of no territory (comune
  missing, province not defined).
Each lands as it is in raw.<name> with file, SHA-256 and row; the SQL models of sql/staging/
stg_territorio*.sql turn them into territories with validity dates.
"""

import re
import unicodedata

import dagster as dg
import pandas as pd

from pipelines.extracts import sha256
from pipelines.settings import DATA_DIR
from pipelines.warehouse import Warehouse, document

# name -> (file, separator, encoding, Italian description)
LISTS = {
    "istat_unita_territoriali": (
        "istat_unita_territoriali.csv", ";", "utf-8-sig",
        "Elenco Istat dei comuni in vigore (assetto 2026) con codici statistici, sigle e codici NUTS 2024. "
        "Fonte: Istat (CC BY 4.0)."),
    "istat_elenco_comuni_2023": (
        "istat_elenco_comuni_2023.csv", ";", "cp1252",
        "Elenco Istat dei comuni 2023 con il codice di ogni comune nelle configurazioni a 110 (2010-2016), "
        "107 (2006-2009) e 103 province (1995-2005) e i codici NUTS 2010 e 2021. Fonte: Istat (CC BY 4.0)."),
    "anpr_archivio_comuni": (
        "anpr_archivio_comuni.csv", ",", "utf-8-sig",
        "Archivio storico dei comuni ANPR: ogni codice Istat con i giorni in cui è stato valido (righe valide "
        "dal 1991 in poi). Fonte: Ministero dell'Interno, ANPR (CC BY 4.0)."),
    "istat_comuni_soppressi": (
        "istat_comuni_soppressi.csv", ";", "cp1252",
        "Elenco Istat dei comuni soppressi, con il comune cui sono stati associati e la data. Fonte: Istat (CC BY 4.0)."),
    "istat_variazioni_dal_1991": (
        "istat_variazioni_dal_1991.csv", ";", "cp1252",
        "Variazioni amministrative e territoriali dei comuni dal 1991 (soppressioni, costituzioni, cambi di provincia, "
        "cessioni di territorio, cambi di denominazione) con la data di decorrenza, fino al 3/3/2022. "
        "Fonte: Istat (CC BY 4.0)."),
    "istat_sardegna_2026": (
        "istat_sardegna_2026.csv", ";", "cp1252",
        "Corrispondenza Istat dei comuni della Sardegna con i nuovi assetti territoriali in vigore dal 1° gennaio "
        "2026 (codici precedenti e nuovi). Fonte: Istat (CC BY 4.0)."),
    "istat_cl_itter107": (
        "istat_cl_itter107.csv", ",", "utf-8-sig",
        "Lista di codici Istat CL_ITTER107 (territori nei dati Istat: codici NUTS 2006 come ITE12, IT108-IT111 per "
        "le province nate dopo il 2006). Fonte: Istat (CC BY 4.0), appiattita da ondata."),
    "eurostat_nuts_2006_2010": (
        "eurostat_nuts_2006_2010_it.csv", ",", "utf-8",
        "Corrispondenza Eurostat NUTS 2006 -> NUTS 2010, righe italiane (ITE12 -> ITI12, ITC45 divisa in ITC4C e "
        "ITC4D). Fonte: Eurostat."),
    "territori_non_attribuiti": (
        "territori_non_attribuiti.csv", ",", "utf-8",
        "Come ciascuna fonte scrive le righe senza territorio (comune mancante, provincia non definita): "
        "espressione regolare sul territorio scritto e territorio di cui fanno parte (italia, o la regione "
        "catturata dall'espressione). Configurazione dell'Ufficio Studi."),
    "aree_subprovinciali": (
        "aree_subprovinciali.csv", ",", "utf-8-sig",
        "Aree sub-provinciali usate nei capitoli (Piana di Lucca, Versilia, Valle del Serchio) e comuni di "
        "ciascuna. Configurazione dell'Ufficio Studi."),
}

# Facts a file states in its title rather than in its columns, added as columns: the day the Sardinian
# correspondence takes effect ("In vigore dal 1° gennaio 2026"; the bundled copy lost Istat's title row,
# see data/territorio/README.md).
TITLE_FACTS = {
    "istat_sardegna_2026": {"in_vigore_dal": ("2026-01-01", "Data di entrata in vigore, dal titolo della tavola Istat")},
}


def snake(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^0-9a-zA-Z]+", "_", plain.strip().lower()).strip("_")
    return plain or "colonna"


def read_list(name: str) -> pd.DataFrame:
    """One bundled territorial file as text columns, its header as published (blank columns dropped)."""
    file, sep, encoding, _ = LISTS[name]
    frame = pd.read_csv(DATA_DIR / "territorio" / file, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)
    return frame.loc[:, [not c.startswith("Unnamed: ") for c in frame.columns]]


def _list_asset(name: str) -> dg.AssetsDefinition:
    file, _, _, text = LISTS[name]

    @dg.asset(key=dg.AssetKey(["raw", name]), group_name="raw", kinds={"duckdb", "csv"}, pool="duckdb_writer",
              description=text, metadata={"file": f"data/territorio/{file}"})
    def _asset(warehouse: Warehouse) -> dg.MaterializeResult:
        frame = read_list(name)
        headers = dict(zip(frame.columns, map(snake, frame.columns)))
        frame = frame.rename(columns=headers)
        for column, (value, _) in TITLE_FACTS.get(name, {}).items():
            frame[column] = value
        frame["file_nome"] = file
        frame["file_sha256"] = sha256(DATA_DIR / "territorio" / file)
        frame["riga"] = range(2, len(frame) + 2)
        table = f"raw.{name}"
        with warehouse.writer() as conn:
            conn.register("_lista", frame)
            conn.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _lista")
            conn.unregister("_lista")
            columns = {new: f"Colonna «{' '.join(old.split())}» del file originale" for old, new in headers.items()}
            columns |= {c: text for c, (_, text) in TITLE_FACTS.get(name, {}).items()}
            columns |= {"file_nome": "Nome del file", "file_sha256": "Impronta SHA-256 del file",
                        "riga": "Riga del file"}
            document(conn, table, {"descrizione": text, "colonne": columns})
        return dg.MaterializeResult(metadata={"dagster/row_count": len(frame)})

    return _asset


territorio_assets = [_list_asset(n) for n in LISTS]
