"""Every real public file kept in the repository (tests/fixtures/realdata/ and the bundled sample's
publisher files) loads, through the source it belongs to, with the figures the provenance notes quote
(tests/fixtures/realdata/README.md, data/sample/lucca/README.md), or is refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE
from pipelines import catalog
from pipelines.errors import ErroreEstratto
from pipelines.loading import read_source_file

REAL = Path(__file__).parent / "fixtures" / "realdata"
GDP = "Gross domestic product supply side (IT1,93_498_DF_DCCN_PILT_1,1.0)(1).csv"

# file -> (source, [(territorio, periodo, misura, valore_dimensione ending, value quoted)] or the refusal's reason)
EXPECTED: dict[Path, tuple[str, list[tuple] | str]] = {
    REAL / "province_bd2006.csv": ("istat_demo_bilancio", [
        ("046", "2006-01-01", "popolazione_1_gennaio", "", 380237), ("046", "2006", "nati", "", 3256)]),
    REAL / "province_bd2008.csv": ("istat_demo_bilancio", [
        ("046", "2008-01-01", "popolazione_1_gennaio", "", 387058), ("046", "2008", "nati", "", 3512)]),
    # a row of years above the header (hand-edited, says the MANIFEST): taken for the header, rows are longer
    REAL / "regioni_bd2006.csv": ("istat_demo_bilancio", "riga 2: la riga ha 58 campi ma l'intestazione ne ha 56"),
    REAL / "province_bd_cens.csv": ("istat_demo_bilancio", "l'anno del bilancio demografico deve stare nel nome del file"),
    REAL / "sdmx_generic_47_850.xml": ("istat_sdmx", [("001001", "2014", "47_850", "", 20)]),
    REAL / "data_124_322.xml": ("istat_sdmx", [("IT", "2007", "124_322", "2R|1", 26273040),
                                               ("IT", "2009", "124_322", "2R|1", -18756669)]),
    REAL / "filtro_esempio03.csv": ("istat_sdmx", [("082053", "2001", "41_983", "F|KILLINJ", 3764)]),
    REAL / GDP: ("istat_sdmx", [("ITE12", "2015", "93_498", "", 10401.9e6), ("ITE12", "2023", "93_498", "", 13920e6),
                                ("ITE1", "2023", "93_498", "", 139658.9e6), ("IT", "2023", "93_498", "", 2142601.7e6)]),
    REAL / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2021.csv": ("mef_irpef", 282104),
    REAL / "Redditi_e_principali_variabili_IRPEF_su_base_subcomunale_CSV_2021.csv": (
        "mef_irpef", "è l'edizione del MEF per CAP"),
    SAMPLE / "mef_irpef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2018.csv": ("mef_irpef", 281802),
    SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv": ("infocamere_opendata", 35180),
    SAMPLE / "istat_forze_lavoro" / "Tasso_occupazione.csv": ("istat_forze_lavoro", [
        ("ITE12", "2019", "istat_export", "EMP_R|1|Y15-24", 22.576)]),
    SAMPLE / "istat_sdmx" / "22_289.xml": ("istat_sdmx", [("IT", "2019", "22_289", "JAN|1|TOTAL|99", 29131195)]),
    SAMPLE / "istat_sdmx" / "sdmx_csv_41_983.csv": ("istat_sdmx", [("082053", "2001", "41_983", "F|KILLINJ", 3764)]),
    SAMPLE / "istat_demo_bilancio" / "province_bd2015.csv": ("istat_demo_bilancio", [
        ("046", "2015-01-01", "popolazione_1_gennaio", "", 393478), ("046", "2015", "nati", "", 2690),
        ("046", "2015", "morti", "", 4955)]),
    SAMPLE / "istat_demo_bilancio" / "province_bd2016.csv": ("istat_demo_bilancio", [
        ("046", "2016-01-01", "popolazione_1_gennaio", "", 391228), ("046", "2016", "nati", "", 2635),
        ("046", "2016", "morti", "", 4618), ("046", "2016-12-31", "popolazione_31_dicembre", "", 390042)]),
    SAMPLE / "istat_demo_bilancio" / "regioni_bd2015.csv": ("istat_demo_bilancio", [
        ("Toscana", "2015-01-01", "popolazione_1_gennaio", "", 3752654), ("Toscana", "2015", "nati", "", 27494)]),
    SAMPLE / "istat_demo_bilancio" / "regioni_bd2016.csv": ("istat_demo_bilancio", [
        ("Toscana", "2016-01-01", "popolazione_1_gennaio", "", 3744398), ("Toscana", "2016", "nati", "", 26916)]),
    SAMPLE / "istat_demo_popolazione" / "province11.csv": ("istat_demo_popolazione", [
        ("046", "2011-01-01", "popolazione", "maschi|0", 1678), ("046", "2011-01-01", "popolazione", "femmine|0", 1550)]),
    SAMPLE / "istat_demo_popolazione" / "province17.csv": ("istat_demo_popolazione", [
        ("046", "2017-01-01", "popolazione", "maschi|0", 1365), ("046", "2017-01-01", "popolazione", "femmine|0", 1272)]),
}
LUCCA_TOTALS = {"mef_irpef": ("046", "contribuenti"), "infocamere_opendata": ("LUCCA", "imprese_attive")}


def _real_files() -> list[Path]:
    own = [p for p in REAL.iterdir() if p.name != "README.md"]
    publisher = [p for f, spec in catalog.fonti().items() if spec.get("formato", "modello") != "modello"
                 for p in (SAMPLE / f).glob("*") if p.is_file() and not p.name.startswith(("_", "."))]
    return sorted(own + publisher)


def test_every_real_file_in_the_repository_has_its_expected_outcome():
    assert sorted(EXPECTED) == _real_files()


@pytest.mark.parametrize("path", sorted(EXPECTED), ids=lambda p: p.name[:40])
def test_real_file_loads_with_the_quoted_figures_or_is_refused_with_the_reason(path):
    fonte, expected = EXPECTED[path]
    spec = catalog.fonte(fonte)
    if isinstance(expected, str):
        with pytest.raises(ErroreEstratto) as err:
            read_source_file(path, spec)
        assert expected in str(err.value) and path.name in str(err.value)
        return
    frame = read_source_file(path, spec)
    assert frame["valore"].notna().any() and frame["unita"].notna().all()
    if isinstance(expected, (int, float)):  # a Lucca total quoted by the notes
        code, measure = LUCCA_TOTALS[fonte]
        rows = frame[frame["territorio"].str.startswith(code) & (frame["misura"] == measure)]
        assert rows["valore"].sum() == expected
        return
    for territorio, periodo, misura, modalita, value in expected:
        rows = frame[(frame["territorio"] == territorio) & (frame["periodo"] == periodo) & (frame["misura"] == misura)
                     & frame["valore_dimensione"].str.endswith(modalita)]
        if modalita == "" and frame["dimensione"].iloc[0] != "totale":
            rows = rows.head(1)
        assert rows["valore"].tolist() == [pytest.approx(value)], (territorio, periodo, misura)
