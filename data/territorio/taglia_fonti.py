"""Rebuild the territorial seed files of this folder from the original publications (run by hand).

    python data/territorio/taglia_fonti.py /path/to/realdata

Copies the Istat and ANPR files as published and cuts the two that are bigger than the pipeline
needs, keeping the original bytes of every line kept:
- ANPR's archive of comuni: only the rows still valid on 1/1/1991 or later (Istat's series of
  administrative changes starts in 1991);
- Eurostat's NUTS 2006 -> 2010 workbook (.xls, needs xlrd): the Italian rows of the sheet
  "NUTS2006-NUTS2010", written as CSV.
The pipeline itself reads only the files written here (see README.md).
"""

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COPIES = {
    "passcar99_comuni/Elenco comuni soppressi.csv": "istat_comuni_soppressi.csv",
    "paolovolterra_dati/Elenco-comuni-italiani.csv": "istat_elenco_comuni_2023.csv",
    "TommasoP1804_italy-utils/src/main/resources/change.csv": "istat_sardegna_2026.csv",
    "stefanogelli92_geo_ita/geo_ita/data_sources/Variazioni/Variazioni_amministrative_territoriali_fino_01_01_2022.csv":
        "istat_variazioni_dal_1991.csv",
}


def main(realdata: Path) -> None:
    for source, target in COPIES.items():
        shutil.copyfile(realdata / source, HERE / target)
    lines = (realdata / "italia_anpr/src/archivi/ANPR_archivio_comuni.csv").read_bytes().splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if line.split(b",")[2].strip(b'"') >= b"1991-01-01"]
    (HERE / "anpr_archivio_comuni.csv").write_bytes(b"".join(kept))

    import pandas as pd

    nuts = pd.read_excel(realdata / "rOpenGov_regions/data-raw/2006-2010.xls", sheet_name="NUTS2006-NUTS2010",
                         header=1, dtype=str, engine="xlrd")
    nuts = nuts[["Code 2006", "Code 2010", "NUTS level 1", "NUTS level 2", "NUTS level 3", "Change", "level"]]
    italy = nuts["Code 2006"].fillna("").str.startswith("IT") | nuts["Code 2010"].fillna("").str.startswith("IT")
    nuts[italy].to_csv(HERE / "eurostat_nuts_2006_2010_it.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
