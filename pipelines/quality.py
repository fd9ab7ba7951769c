"""Great Expectations suites (expectations/*.json) run on parsed extracts, failures turned into Italian problems.

Great Expectations is imported here, inside the call, because it costs seconds to import and
Dagster imports every definition module at each load.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

import pandas as pd

from pipelines.errors import Problema
from pipelines.extracts import excel_column
from pipelines.settings import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def suite_path(name: str):
    return EXPECTATIONS_DIR / f"{name}.json"


@lru_cache(maxsize=None)
def load_suite(name: str, per_file: bool = False):
    """Load a suite and refuse it if Great Expectations dropped any expectation while loading.

    `per_file`: the suite for the rows of several files at once, each uniqueness check on its columns
    within one file (`_file` added): two files with the same key are `loading.duplicate_keys`' to name.
    """
    import great_expectations as gx

    spec = json.loads(suite_path(name).read_text(encoding="utf-8"))
    if per_file:
        for exp in spec["expectations"]:
            if exp["type"] == "expect_compound_columns_to_be_unique":
                exp["kwargs"]["column_list"] = [*exp["kwargs"]["column_list"], "_file"]
    suite = gx.ExpectationSuite(**spec)
    if len(suite.expectations) != len(spec["expectations"]):
        raise RuntimeError(
            f"La suite {suite_path(name)} dichiara {len(spec['expectations'])} controlli ma ne sono stati "
            f"caricati {len(suite.expectations)}: uno non è valido per Great Expectations."
        )
    return suite


def _suite_columns(suite, available) -> list[str]:
    """The columns of `available` a suite's expectations read (their row conditions too) or name in their messages."""
    names, conditions = [], []
    for exp in suite.expectations:
        kwargs = exp.configuration.kwargs
        names += [kwargs.get(k) for k in ("column", "column_A", "column_B")] + list(kwargs.get("column_list") or [])
        names.append((exp.meta or {}).get("colonna"))
        conditions.append(str(kwargs.get("row_condition") or ""))
    text = " ".join(conditions)
    return [c for c in available if c in names or re.search(rf"(?<![\w.]){re.escape(str(c))}(?!\w)", text)]


@lru_cache(maxsize=1)
def _batch_definition():
    import great_expectations as gx

    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("estratti")
    return source.add_dataframe_asset("estratto").add_batch_definition_whole_dataframe("intero")


def validate(frames: list[pd.DataFrame], suite_name: str,
             intestazioni: dict[str, dict[str, int]] | None = None) -> tuple[list[Problema], dict]:
    """Run a suite once on the parsed new files of one source; return the problems (one per offending
    row, sorted by file and row) and a summary (expectations run and passed, rows).

    Each frame carries `_file`, `_foglio`, `_riga` from `pipelines.extracts.read_extract` or the
    publisher's parser; a key must be unique within its file (`load_suite(per_file=True)`).
    `intestazioni` maps a file name to its columns' positions in the file, to print the Excel letter.
    Only the columns the suite reads are copied into the frame Great Expectations sees.
    """
    suite = load_suite(suite_name, per_file=True)
    available = [*dict.fromkeys(c for f in frames for c in f.columns)]
    wanted = [*dict.fromkeys([*_suite_columns(suite, available), "_file", "_foglio", "_riga"])]
    frame = pd.concat([f[[c for c in wanted if c in f.columns]] for f in frames], ignore_index=True)
    result = _batch_definition().get_batch(batch_parameters={"dataframe": frame}).validate(
        suite, result_format="COMPLETE"
    )
    intestazioni = intestazioni or {}
    problems: list[Problema] = []
    for res in result.results:
        if res.success:
            continue
        meta = res.expectation_config.meta or {}
        column = meta.get("colonna") or res.expectation_config.kwargs.get("column")

        def where(file: str) -> str:
            header = intestazioni.get(file) or {}
            return f"{excel_column(header[column])} ({column})" if column in header else column

        rows = res.result.get("unexpected_index_list") or []
        if not rows:  # a table-level expectation: no row to name, every file checked is named
            for file in frame["_file"].astype(str).unique() if len(frame) else ["?"]:
                problems.append(Problema(file, meta.get("messaggio", str(res.expectation_config.type)), colonna=where(file)))
            continue
        for idx in rows:
            idx = idx if isinstance(idx, int) else idx.get("index", idx)
            rec = frame.loc[idx]
            value = rec[column] if column in frame.columns else None
            text = meta.get("messaggio", res.expectation_config.type)
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                text = f"{text} (valore: «{value}»)"
            problems.append(Problema(str(rec["_file"]), text, foglio=rec["_foglio"], riga=int(rec["_riga"]),
                                     colonna=where(str(rec["_file"]))))
    summary = {
        "suite": suite_name,
        "controlli": len(result.results),
        "superati": sum(1 for r in result.results if r.success),
        "righe": len(frame),
    }
    problems.sort(key=lambda p: (p.file, p.riga or 0))
    return problems, summary
