"""A dated edition is frozen in its context, not in its health: the health marts keep the latest release
of the Camera's extracts only, so an edition whose health figures include a release later than its date
says so, once, under the health table, and in its metadata and on the console (README, "An edition with a
date is frozen"). The scenario a new user reported: Lucca's balance sheet released on 31/01/2019 (the
date of lucca_pp2019) and again on 31/03/2019 with the annual fee ×1,2; plus one year of Pisa's balance
sheet released on 31/03/2019, for a Camera other than Lucca."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import duckdb
import pytest

from conftest import SAMPLE, run_main_job, run_publication, step_failures
from pipelines import edizioni
from pipelines.capitolo import costruisci
from pipelines.settings import camere
from test_capitolo_matrice import text_of

NOTA = ("I dati di bilancio comprendono rilasci successivi alla data dell'edizione (ultimo: 31 marzo 2019): "
        "i valori possono differire da quelli dell'edizione originale.")
MARZO = dt.date(2019, 3, 31)


def _rilascio_di_marzo(text: str) -> str:
    """The bundled balance sheet as a later release: every row dated 31/03/2019, the annual fee ×1,2."""
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    voce, valore, rilascio = head.index("voce"), head.index("valore"), head.index("rilascio")
    for r in rows[1:]:
        r[rilascio] = MARZO.isoformat()
        if r[voce] == "pc_diritto_annuale":
            r[valore] = f"{float(r[valore]) * 1.2:.1f}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def due_rilasci(tmp_path_factory):
    home = tmp_path_factory.mktemp("due_rilasci")
    landing = home / "landing" / "bilancio"
    landing.mkdir(parents=True)
    gennaio = (SAMPLE / "bilancio" / "bilancio_lucca_pp2019.csv").read_text(encoding="utf-8")
    assert {r["rilascio"] for r in csv.DictReader(io.StringIO(gennaio))} == {"2019-01-31"}
    (landing / "bilancio_lucca_gennaio.csv").write_text(gennaio, encoding="utf-8")
    marzo = _rilascio_di_marzo(gennaio)
    (landing / "bilancio_lucca_marzo.csv").write_text(marzo, encoding="utf-8")
    lines = marzo.splitlines()
    (landing / "PI").mkdir()  # Pisa's office delivers in its own folder
    (landing / "PI" / "bilancio_pisa_2017.csv").write_text(
        "\n".join([lines[0], *[re.sub(r"^LU,", "PI,", r) for r in lines if r.startswith("LU,2017,consuntivo,")]])
        + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OSSERVATORIO_HOME", str(home))
        for camera in ("LU", "PI"):  # each Camera's partition
            result = run_main_job(camera=camera)
            assert result.success, step_failures(result)
        published = run_publication("LU", ["lucca_pp2019"])
        assert all(r.success for r in published), [step_failures(r) for r in published]
    return home, published


@pytest.fixture
def conn(due_rilasci):
    home, _ = due_rilasci
    with duckdb.connect(str(home / "warehouse" / "osservatorio.duckdb"), read_only=True) as c:
        yield c


def nota_salute(conn, ed: dict | str) -> tuple[dict, list[str]]:
    """The edition as built (no printing) and the notes under its health table (one a line); no other
    table or chart of the chapter speaks of releases."""
    ed, sezioni = costruisci(conn, ed)
    (tabella,) = [t for s in sezioni for t in s.tabelle if t.nome == "stato_salute"]
    assert not any("rilasci successivi" in (t.nota or "") for s in sezioni for t in s.tabelle if t is not tabella)
    assert not any("rilasci successivi" in (g.nota or "") for s in sezioni for g in s.grafici)
    return ed, (tabella.nota or "").split("\n")


def datata(base: str, data_edizione: dt.date, camera: str | None = None) -> dict:
    """An edition like `base` with another date (and Camera): not a file of data/edizioni/."""
    ed = edizioni.carica(base)
    ed.update(data_edizione=data_edizione, id=f"{base}_{data_edizione:%Y%m%d}")
    if camera:
        ed.update(camera=camera, camera_obj=camere()[camera], id=f"{camera.lower()}_{data_edizione:%Y%m%d}")
        ed.pop("modello", None)  # Lucca's model chapter is not Pisa's
    return ed


def test_the_mart_gives_the_latest_release_of_each_extract(conn):
    rows = {(c, f): (u, n) for c, f, u, n in conn.execute(
        "SELECT camera, fonte, ultimo_rilascio, n_rilasci FROM marts.salute_rilasci").fetchall()}
    # staging keeps the latest release of each key: every balance-sheet figure is March's
    assert rows[("LU", "bilancio")] == (MARZO, 1) and rows[("PI", "bilancio")] == (MARZO, 1)
    assert rows[("LU", "obiettivi_salute")] == (dt.date(2019, 1, 31), 1)
    assert rows[("LU", "indicatori_pubblicati")] == (dt.date(2019, 1, 31), 1)


def test_lucca_pp2019_says_its_health_figures_include_a_later_release(due_rilasci, lucca_warehouse):
    home, _ = due_rilasci
    text = text_of(home / "output" / "lucca_pp2019")
    assert text.count(NOTA) == 1
    # under the health table, before its charts and the next section
    table = text.index("Stato di salute dell'Ente: indicatori")
    assert table < text.index(NOTA) < text.index("Indicatori di struttura, di liquidità", text.index(NOTA))
    assert text.index(NOTA) < text.index("Il confronto con le altre Camere", table)
    sidecar = json.loads((home / "output" / "lucca_pp2019" / "tabelle" / "stato_salute.csv-metadata.json")
                         .read_text(encoding="utf-8"))
    assert NOTA in sidecar["notes"]
    # what the note warns of: the same edition with the January release alone prints other health figures
    bundled = text_of(lucca_warehouse.parent.parent / "output" / "lucca_pp2019")
    assert "rilasci successivi alla data dell'edizione" not in bundled

    def health_table(t: str) -> str:
        return re.search(r"Stato di salute dell'Ente: indicatori.*?Fonte:", t).group(0)

    assert health_table(text) != health_table(bundled)
    # the context is frozen: from the first section (after the index, whose page numbers may move) to the
    # health section, the chapter is the same document
    def contesto(t: str) -> str:
        return t[t.index("1. Il valore aggiunto Nel"):t.index("Lo stato di salute dell'Ente La tabella riporta")]

    assert contesto(text) == contesto(bundled)


def test_the_metadata_and_the_console_say_it(due_rilasci, capsys):
    from pipelines import cli

    _, published = due_rilasci
    metas = [e.materialization.metadata for r in published for e in r.get_asset_materialization_events()
             if e.materialization.asset_key.path[-1] == "capitolo"]
    assert [m["rilasci_successivi"].value for m in metas] == [{"lucca_pp2019": NOTA}]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OSSERVATORIO_HOME", str(due_rilasci[0]))
        cli._print_chapters(published)
    out = capsys.readouterr().out
    assert out.count(f"Attenzione, stato di salute dell'Ente: {NOTA}") == 1


def test_no_note_when_every_release_is_out_by_the_edition_date(conn):
    ed, note = nota_salute(conn, "lucca_rpp2020")  # 31/10/2019: after both releases
    assert "rilasci_successivi" not in ed and not any("rilasci" in n for n in note)
    ed, note = nota_salute(conn, datata("lucca_pp2019", MARZO))  # on the day of the latest release
    assert "rilasci_successivi" not in ed and not any("rilasci" in n for n in note)
    ed, note = nota_salute(conn, datata("lucca_pp2019", MARZO - dt.timedelta(days=1)))
    assert NOTA in note and ed["rilasci_successivi"]["fonti"] == ["bilancio"]


def test_a_current_edition_never_says_it(conn):
    # a current edition dated before the March release still follows the data and says nothing
    ed, note = nota_salute(conn, edizioni.corrente("LU", oggi=dt.date(2019, 2, 1)))
    assert "rilasci_successivi" not in ed and not any("rilasci" in n for n in note)


def test_another_camera(conn):
    ed, note = nota_salute(conn, datata("lucca_pp2019", dt.date(2019, 1, 31), camera="PI"))
    assert NOTA in note and ed["rilasci_successivi"]["ultimo"] == MARZO
    ed, note = nota_salute(conn, datata("lucca_pp2019", dt.date(2019, 4, 30), camera="PI"))
    assert "rilasci_successivi" not in ed and not any("rilasci" in n for n in note)
