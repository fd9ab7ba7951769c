"""The README's analyst snippet runs as written against the snapshot of the default run (DuckDB 2
removed habits such as `relation.fetchone()`: a snippet that stopped working would mislead every analyst)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_analyst_snippet_runs_on_the_snapshot(lucca_warehouse):
    snippets = [b for b in python_blocks() if "warehouse/pubblicato/osservatorio.duckdb" in b]
    assert len(snippets) == 1, "il README deve avere un solo esempio per gli analisti"
    with pytest.MonkeyPatch.context() as env:
        env.chdir(lucca_warehouse.parent.parent)  # the snippet's paths are relative to OSSERVATORIO_HOME
        scope: dict = {}
        exec(compile(snippets[0], str(README), "exec"), scope)
        tables = scope["con"].sql("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()
        scope["con"].close()
    assert tables[0][0] > 0
