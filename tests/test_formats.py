"""Every real file the project reads is parsed by a test: encodings, separators, title lines, codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROJECT, SAMPLE
from pipelines.errors import ErroreEstratto
from pipelines.formats import (parse_demo_bilancio, parse_demo_popolazione_eta, parse_infocamere_stock,
                               parse_istat_export, parse_mef_irpef, parse_sdmx_csv, parse_sdmx_ml)

FIXTURES = Path(__file__).parent / "fixtures" / "realdata"


def lucca(frame, measure=None):
    rows = frame[frame["territorio"].isin(["046", "Lucca", "LUCCA", "ITE12"])]
    return rows if measure is None else rows[rows["misura"] == measure]["valore"].sum()


def test_demo_bilancio_latin1_2006():
    raw = (FIXTURES / "province_bd2006.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the original file really is Latin-1
    frame = parse_demo_bilancio(FIXTURES / "province_bd2006.csv")
    assert lucca(frame, "popolazione_1_gennaio") == 380237 and lucca(frame, "nati") == 3256
    assert set(frame["livello"]) == {"provincia"} and frame["territorio"].str.len().eq(3).all()


def test_demo_bilancio_utf8_2016_and_regions():
    frame = parse_demo_bilancio(SAMPLE / "istat_demo_bilancio" / "province_bd2016.csv")
    assert (lucca(frame, "popolazione_1_gennaio"), lucca(frame, "nati"), lucca(frame, "morti"),
            lucca(frame, "popolazione_31_dicembre")) == (391228, 2635, 4618, 390042)
    regions = parse_demo_bilancio(SAMPLE / "istat_demo_bilancio" / "regioni_bd2016.csv")
    assert set(regions["livello"]) == {"regione"} and "Toscana" in set(regions["territorio"])


def test_demo_population_by_age_title_line_and_cross_check():
    frame = parse_demo_popolazione_eta(SAMPLE / "istat_demo_popolazione" / "province17.csv")
    assert set(frame["periodo"]) == {"2017-01-01"}  # the year comes from the title line
    # population at 1/1/2017 by age sums to the 31/12/2016 balance of the other file
    assert lucca(frame, "popolazione") == 390042


def test_sdmx_ml_structure_specific_and_generic():
    frame = parse_sdmx_ml(SAMPLE / "istat_sdmx" / "22_289.xml")
    assert len(frame) == 8 and set(frame["territorio"]) == {"IT"} and set(frame["misura"]) == {"22_289"}
    males_2019 = frame[(frame["periodo"] == "2019") & frame["valore_dimensione"].str.contains(r"\|1\|")]
    assert males_2019["valore"].tolist() == [29131195.0]
    assert frame[frame["periodo"] == "2022"]["provvisorio"].all()  # OBS_STATUS="e"
    generic = parse_sdmx_ml(FIXTURES / "sdmx_generic_47_850.xml")
    assert len(generic) == 22 and set(generic["misura"]) == {"47_850"} and set(generic["territorio"]) == {"001001", "001002"}


def test_sdmx_csv_with_unit_multiplier(tmp_path):
    frame = parse_sdmx_csv(SAMPLE / "istat_sdmx" / "sdmx_csv_41_983.csv")
    assert len(frame) == 18 and frame["valore"].iloc[0] == 3764 and set(frame["misura"]) == {"41_983"}
    scaled = tmp_path / "mult.csv"
    scaled.write_text("DATAFLOW,FREQ,ITTER107,TIPO_DATO,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
                      "IT1:93_498(1.0),A,ITE12,GDP,2021-Q3,12.5,3\n")
    row = parse_sdmx_csv(scaled).iloc[0]
    assert (row["territorio"], row["periodo"], row["valore"]) == ("ITE12", "2021Q3", 12500.0)


def test_istat_export_with_labels():
    frame = parse_istat_export(SAMPLE / "istat_forze_lavoro" / "Tasso_occupazione.csv")
    lu = frame[(frame["territorio"] == "ITE12") & (frame["periodo"] == "2019")]
    assert len(lu) > 0 and lu["valore"].between(0, 100).all()
    assert frame["dimensione"].iloc[0] == "TIPO_DATO_FOL|SEXISTAT1|ETA1"


def test_infocamere_open_data_stock():
    frame = parse_infocamere_stock(SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv")
    assert set(frame["periodo"]) == {"2025-06-30"}
    assert frame[frame["territorio"] == "LUCCA"]["valore"].sum() > 30000
    undefined = frame[frame["territorio"].str.startswith("Territorio non definito")]["territorio"]
    assert undefined.str.contains(r"\(").all()  # one per region, the region kept in the name


def test_mef_irpef_by_comune():
    frame = parse_mef_irpef(SAMPLE / "mef_irpef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2018.csv")
    lu = frame[frame["territorio"].str.startswith("046") & (frame["misura"] == "contribuenti")]
    assert len(lu) == 33 and lu["valore"].sum() == 281802


def test_istat_comuni_list_bom_semicolon():
    from assets.territorio import read_list

    frame = read_list("istat_unita_territoriali")
    assert frame.columns[0] == "Codice Ripartizione geografica"  # BOM stripped
    lu = frame[frame["Sigla automobilistica"] == "LU"]
    assert len(lu) == 33 and set(lu["Codice NUTS3 2024"]) == {"ITI12"}


def test_malformed_real_format_names_row_and_column(tmp_path):
    bad = tmp_path / "province_bd2016.csv"
    text = (SAMPLE / "istat_demo_bilancio" / "province_bd2016.csv").read_text(encoding="utf-8").splitlines()
    fields = text[46].split(",")
    fields[7] = "n.d."  # Nati - Totale of Lucca
    text[46] = ",".join(fields)
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ErroreEstratto) as err:
        parse_demo_bilancio(bad)
    assert "file province_bd2016.csv, riga 47, colonna Nati - Totale: «n.d.» non è un numero intero" in str(err.value)
