"""Ingest reads each landing file once: a file already loaded and unchanged (name, size, modification time
as recorded in meta.caricamenti) is not even hashed again, and the new files of a source are checked by
Great Expectations together, each problem still naming its file, row and column."""

from __future__ import annotations

import csv
import os

import pytest

from conftest import SAMPLE
from pipelines import loading
from test_formati_casi import load, new_warehouse, problems

BILANCIO = SAMPLE / "bilancio" / "bilancio_lucca_pp2019.csv"


def _write(path, rows, header):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _sample():
    with open(BILANCIO, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_an_unchanged_file_is_skipped_without_hashing_it_again(landing, monkeypatch):
    header, rows = _sample()
    path = _write(landing / "bilancio" / "bilancio.csv", rows, header)
    conn = new_warehouse()
    first = load(landing, "bilancio", conn=conn)
    assert first.nuovi_file == ["bilancio.csv"] and first.problemi == []
    loading.write_batch(conn, first)
    recorded = conn.execute("SELECT file_byte, file_mtime_ns FROM meta.caricamenti").fetchall()
    assert recorded == [(path.stat().st_size, path.stat().st_mtime_ns)]

    hashed = []
    real = loading.sha256
    monkeypatch.setattr(loading, "sha256", lambda p: hashed.append(p.name) or real(p))
    again = load(landing, "bilancio", conn=conn)
    assert again.gia_caricati == ["bilancio.csv"] and again.nuovi_file == [] and hashed == []

    stat = path.stat()  # same bytes, a new modification time (copied again): hashed, and still already loaded
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    touched = load(landing, "bilancio", conn=conn)
    assert touched.gia_caricati == ["bilancio.csv"] and hashed == ["bilancio.csv"]

    rows[0][4] = str(float(rows[0][4]) + 1)  # new content under the same name and size class: loaded as new
    _write(path, rows, header)
    changed = load(landing, "bilancio", conn=conn)
    assert changed.nuovi_file == ["bilancio.csv"] and hashed == ["bilancio.csv", "bilancio.csv"]


def test_new_files_of_a_source_are_checked_together_and_each_problem_names_its_file(landing, monkeypatch):
    header, rows = _sample()
    _write(landing / "bilancio" / "a.csv", rows + [rows[0]], header)   # a key twice in a.csv
    other = [r[:1] + [str(int(r[1]) + 10)] + r[2:] for r in rows]        # the same items ten years later
    _write(landing / "bilancio" / "b.csv", other + [other[3]], header)  # a key twice in b.csv
    calls = []
    real = loading.validate
    monkeypatch.setattr(loading, "validate", lambda frames, *a, **k: calls.append(len(frames)) or real(frames, *a, **k))
    text = problems(load(landing, "bilancio"))
    assert calls == [2]  # one Great Expectations run for both files
    n = len(rows) + 2
    for line in (f"file a.csv, riga 2, colonna D (voce): valore duplicato", f"file a.csv, riga {n}, colonna D (voce)",
                 f"file b.csv, riga 5, colonna D (voce): valore duplicato", f"file b.csv, riga {n}, colonna D (voce)"):
        assert line in text, line
    assert "è già alla riga" not in text  # the two files hold different years: no key repeated across them
    lines = text.splitlines()
    assert max(i for i, t in enumerate(lines) if "file a.csv" in t) < min(i for i, t in enumerate(lines) if "file b.csv" in t)


@pytest.mark.parametrize("limit", [1, 10_000_000])
def test_checks_in_groups_of_rows_find_the_same_problems(landing, monkeypatch, limit):
    header, rows = _sample()
    _write(landing / "bilancio" / "a.csv", rows + [rows[0]], header)
    _write(landing / "bilancio" / "b.csv", [r[:1] + [str(int(r[1]) + 10)] + r[2:] for r in rows], header)
    monkeypatch.setattr(loading, "RIGHE_PER_CONTROLLO", limit)
    batch = load(landing, "bilancio")
    assert batch.controlli["file_controllati"] == 2
    assert [(p.file, p.riga) for p in batch.problemi] == [("a.csv", 2), ("a.csv", len(rows) + 2)]


def test_a_key_in_two_files_is_named_once_with_both_rows(landing):
    header, rows = _sample()
    _write(landing / "bilancio" / "a.csv", rows, header)
    _write(landing / "bilancio" / "b.csv", rows[:1], header)  # the first row of a.csv again
    text = problems(load(landing, "bilancio"))
    assert text.splitlines() == [
        "file b.csv, riga 2, colonna rilascio: chiave duplicata: la stessa combinazione di camera, anno, tipo, voce, "
        "rilascio è già alla riga 2 nel file a.csv; uno stesso rilascio non può avere due valori (per una correzione "
        "indicare una nuova data di rilascio)"]
