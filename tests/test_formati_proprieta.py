"""Property: every publisher-format parser, fed a random mutation of one of its real fixtures
(truncation, a short row, stray bytes, swapped separators, the header alone), either returns the
fixture's values or refuses the file with the project's Italian error (`ErroreEstratto`): never another
exception, never a load without values.

Truncations cut inside a line: a file cut exactly after a line break is a well-formed shorter file
that no reader can tell from a complete one. Large fixtures are used through their first 60 lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from pipelines import catalog
from pipelines.errors import ErroreEstratto
from pipelines.loading import read_source_file

FIXTURES = Path(__file__).parent / "fixtures"

# (source, fixture, lines kept (None = all))
CASES = [
    ("istat_sdmx", SAMPLE / "istat_sdmx" / "22_289.xml", None),
    ("istat_sdmx", FIXTURES / "realdata" / "sdmx_generic_47_850.xml", None),
    ("istat_sdmx", FIXTURES / "formati" / "sdmx_conto_economico_camere" / "minimo_fasecontoec_1.xml", None),
    ("istat_sdmx", SAMPLE / "istat_sdmx" / "sdmx_csv_41_983.csv", None),
    ("istat_sdmx", FIXTURES / "formati" / "esploradati_codici_etichette" / "minimo_pil_2015.csv", None),
    ("istat_forze_lavoro", FIXTURES / "formati" / "valore_nd_istat" / "Tasso_occupazione_nd.csv", None),
    ("istat_demo_bilancio", FIXTURES / "realdata" / "province_bd2006.csv", 60),
    ("istat_demo_bilancio", FIXTURES / "formati" / "demo_bilancio_2019_puntoevirgola" / "Enna_bil2019.csv", None),
    ("istat_demo_popolazione", FIXTURES / "formati" / "demo_2006_eta_apostrofo" / "province06_estratto.csv", None),
    ("istat_demo_popolazione", SAMPLE / "istat_demo_popolazione" / "province17.csv", 60),
    ("infocamere_opendata", SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv", 60),
    ("mef_irpef", SAMPLE / "mef_irpef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2018.csv", 60),
]
STRAY = [b"\x00", b"\x81", b"\x8d", b"\x9d", b"\x1a", b"\xff\xfe", b"\xef\xbb\xbf", b"\x90"]


def _content(path: Path, lines: int | None) -> bytes:
    raw = path.read_bytes()
    if lines is None:
        return raw
    return b"".join(raw.splitlines(keepends=True)[:lines])


def _values(frame) -> list[float]:
    return sorted(frame["valore"].dropna().tolist())


@st.composite
def mutations(draw, raw: bytes, is_xml: bool):
    kinds = ["truncate", "stray", "header_only"] + ([] if is_xml else ["short_row", "swap"])
    kind = draw(st.sampled_from(kinds))
    if kind == "truncate":
        cuts = [k for k in range(1, len(raw) - 1) if raw[k - 1:k] not in (b"\n", b"\r")]
        k = draw(st.sampled_from(cuts))
        return kind, raw[:k]
    if kind == "stray":
        k = draw(st.integers(0, len(raw)))
        return kind, raw[:k] + draw(st.sampled_from(STRAY)) + raw[k:]
    lines = raw.splitlines(keepends=True)
    if kind == "header_only":  # the lines down to the header (a title line may stand above it)
        keep = 2 if is_xml else 1 + next(i for i, ln in enumerate(lines) if max(ln.count(b","), ln.count(b";")) >= 2)
        return kind, b"".join(lines[:keep])
    if kind == "short_row":
        i = draw(st.integers(min(2, len(lines) - 1), len(lines) - 1))
        sep = b";" if lines[0].count(b";") > lines[0].count(b",") else b","
        body = lines[i].rstrip(b"\r\n")
        if sep not in body:
            return kind, raw
        lines[i] = body.rsplit(sep, 1)[0] + lines[i][len(body):]
        return kind, b"".join(lines)
    a, b = draw(st.sampled_from([(b",", b";"), (b";", b",")]))
    return kind, raw.replace(a, b)


@pytest.mark.parametrize("fonte, fixture, lines", CASES, ids=[c[1].name for c in CASES])
def test_mutated_fixture_gives_its_values_or_an_italian_error(tmp_path, fonte, fixture, lines):
    spec = catalog.fonte(fonte)
    raw = _content(fixture, lines)
    original = tmp_path / "originale" / fixture.name
    original.parent.mkdir()
    original.write_bytes(raw)
    expected = _values(read_source_file(original, spec))
    assert expected, "the fixture itself must load values"

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(mutations(raw, fixture.suffix == ".xml"))
    def check(mutation):
        kind, data = mutation
        path = tmp_path / "mutato" / fixture.name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        try:
            frame = read_source_file(path, spec)
        except ErroreEstratto as err:
            assert err.problemi and all(p.file == fixture.name for p in err.problemi)
            return
        assert _values(frame) == expected, f"{kind}: a mutated file loaded other values"

    check()
