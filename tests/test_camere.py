"""The list of Camere (data/camere/camere.yaml) against the Istat province list and the 2016 SIOPE registry."""

from __future__ import annotations

import csv
import datetime
from collections import Counter

import pytest
import yaml

from pipelines.settings import DATA_DIR, camere


@pytest.fixture(scope="module")
def config() -> dict:
    with open(DATA_DIR / "camere" / "camere.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def province_istat() -> dict[str, str]:
    """Istat province code -> region code, from the bundled list of comuni."""
    with open(DATA_DIR / "territorio" / "istat_unita_territoriali.csv", encoding="utf-8-sig") as fh:
        return {r["Codice Provincia (Storico)"]: r["Codice Regione"] for r in csv.DictReader(fh, delimiter=";")}


def test_sixty_camere_today_each_province_once(config, province_istat):
    active = {k: c for k, c in camere().items() if c.attiva}
    assert len(active) == 60
    covered = Counter(p for c in active.values() for p in c.province)
    assert [p for p, n in covered.items() if n > 1] == []
    unknown = set(covered) - set(province_istat)
    assert unknown == set()
    split = set(config["province_divise"])
    assert set(province_istat) - set(covered) == split, "every province belongs to a Camera, or is documented as split"
    for c in active.values():
        assert {province_istat[p] for p in c.province} == set(c.regioni), c.codice
        assert config["camere"][c.codice]["atto"] in config["atti"], c.codice


def test_former_camere_merged_into_their_successor(config):
    all_ = camere()
    former = {k: c for k, c in all_.items() if not c.attiva}
    assert len(former) == 77
    for c in former.values():
        successor = all_[c.confluita_in]
        assert successor.attiva and set(c.province) <= set(successor.province), c.codice
        assert c.codice in config["camere"][successor.codice]["accorpa"], c.codice
    for code, entry in config["camere"].items():
        if entry.get("accorpa"):
            absorbed = [p for a in entry["accorpa"] for p in all_[a].province]
            assert sorted(absorbed) == sorted(all_[code].province), code


def test_every_camera_of_2016_accounted_for(config):
    with open(DATA_DIR / "camere" / "siope_cciaa_2016.csv", encoding="utf-8") as fh:
        siope = {r["codice_siope"]: r for r in csv.DictReader(fh)}
    assert len(siope) == 111
    listed = {s: code for code, e in config["camere"].items() for s in [e.get("siope"), *e.get("siope_altri", [])] if s}
    assert set(listed) - set(siope) == set(), "a SIOPE code in the list is not in the registry"
    # the 105 Camere of 2016 and the 6 merged ones already registered: each is in the list
    assert set(siope) - set(listed) == set()
    # the seat's province is one of the Camera's (Sardinian codes changed since 2016: checked by region there)
    for code_siope, code in listed.items():
        seat = siope[code_siope]["codice_provincia"]
        if seat not in ("090", "091", "092", "095"):
            assert seat in camere()[code].province, (code, seat)


def test_every_constitution_date_has_its_source(config):
    """A `costituita` is a date found in a public source, named in `fonte_costituzione`; null has a `nota`."""
    for code, entry in config["camere"].items():
        if "costituita" not in entry:
            continue
        if entry["costituita"] is None:
            assert entry.get("nota"), f"{code}: costituita null without a nota saying what was searched"
            assert "fonte_costituzione" not in entry, code
        else:
            assert isinstance(entry["costituita"], datetime.date), code
            assert str(entry.get("fonte_costituzione") or "").strip(), f"{code}: costituita without its source"


def test_former_camere_end_the_day_before_their_successor(config):
    """`fino_al` of a former Camera is the day before its successor's `costituita`, where both are known."""
    entries = config["camere"]
    checked = 0
    for code, entry in entries.items():
        successor = entry.get("confluita_in")
        if not successor:
            continue
        assert "fino_al" in entry, code
        end, start = entry["fino_al"], entries[successor].get("costituita")
        if end is not None and start is not None:
            assert end == start - datetime.timedelta(days=1), (code, end, successor, start)
            checked += 1
        elif end is not None:
            pytest.fail(f"{code}: fino_al {end} but the successor {successor} has no costituita")
    assert checked > 0


def test_an_unknown_camera_message_reads_as_one_sentence():
    """After a colon the message goes on in lower case; after a suggestion's question mark, in upper case."""
    from pipelines import settings as s

    with pytest.raises(ValueError) as nothing_close:
        s.camera("QQQZZZ")
    assert "sconosciuta: i codici delle Camere" in str(nothing_close.value)
    with pytest.raises(ValueError) as close:
        s.camera("LUCA")
    assert "sconosciuta: forse LU (Lucca)" in str(close.value) and "? I codici delle Camere" in str(close.value)
