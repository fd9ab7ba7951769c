"""Every Camera of today gets its chapter: one single-run backfill of the publishing asset over the 60
partitions of today's Camere, on the bundled data (context-only chapters: in the bundled data only Lucca,
a former Camera, has office extracts). Counts the documents built and prints the time it took (no timing assertion)."""

from __future__ import annotations

import time

import dagster as dg
import pytest


def test_backfill_every_camera_of_today(lucca_warehouse, tmp_path, capsys):
    from pipelines import edizioni
    from pipelines.definitions import defs
    from pipelines.jobs import PUBBLICA_JOB
    from pipelines.partizioni import attive, intervallo_attive
    from pipelines.runs import failure_messages

    with pytest.MonkeyPatch.context() as env:
        env.setenv("OSSERVATORIO_HOME", str(lucca_warehouse.parent.parent))
        env.setenv("OSSERVATORIO_OUTPUT", str(tmp_path))
        start = time.perf_counter()
        result = defs.resolve_job_def(PUBBLICA_JOB).execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, tags=intervallo_attive(),
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
        elapsed = time.perf_counter() - start
    assert result.success, failure_messages(result)
    expected = [e for c in attive() for e in edizioni.della_camera(c)]
    built = [e for e in expected if (tmp_path / e / "capitolo.html").exists() and (tmp_path / e / "capitolo.pdf").exists()]
    assert len(attive()) == 60 and built == expected
    # every chapter says what it left out, none is empty of words
    for e in built:
        assert "Informazioni non disponibili" in (tmp_path / e / "capitolo.html").read_text(encoding="utf-8")
    with capsys.disabled():
        print(f"\nbackfill: {len(built)} capitoli di {len(attive())} Camere costruiti in {elapsed:.0f} s "
              f"({elapsed / len(built):.1f} s a capitolo)")
