"""Great Expectations suites (expectations/*.json) run on parsed extracts, failures turned into Italian problems.

Great Expectations is imported here, inside the call, because it costs seconds to import and
Dagster imports every definition module at each load.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

import pandas as pd

from pipelines.errors import Problema
from pipelines.extracts import excel_column
from pipelines.settings import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def suite_path(name: str):
    return EXPECTATIONS_DIR / f"{name}.json"


@lru_cache(maxsize=None)
def load_suite(name: str):
    """Load a suite and refuse it if Great Expectations dropped any expectation while loading."""
    import great_expectations as gx

    spec = json.loads(suite_path(name).read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**spec)
    if len(suite.expectations) != len(spec["expectations"]):
        raise RuntimeError(
            f"La suite {suite_path(name)} dichiara {len(spec['expectations'])} controlli ma ne sono stati "
            f"caricati {len(suite.expectations)}: uno non è valido per Great Expectations."
        )
    return suite


@lru_cache(maxsize=1)
def _batch_definition():
    import great_expectations as gx

    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("estratti")
    return source.add_dataframe_asset("estratto").add_batch_definition_whole_dataframe("intero")


def validate(df: pd.DataFrame, suite_name: str, header: dict[str, int] | None = None) -> tuple[list[Problema], dict]:
    """Run a suite on a parsed extract; return the problems (one per offending row) and a summary.

    `df` carries `_file`, `_foglio`, `_riga` from `pipelines.extracts.read_extract`; `header`
    maps column names to their position in the file, to print the Excel column letter.
    """
    suite = load_suite(suite_name)
    frame = df.reset_index(drop=True)
    result = _batch_definition().get_batch(batch_parameters={"dataframe": frame}).validate(
        suite, result_format="COMPLETE"
    )
    problems: list[Problema] = []
    for res in result.results:
        if res.success:
            continue
        meta = res.expectation_config.meta or {}
        column = meta.get("colonna") or res.expectation_config.kwargs.get("column")
        where = column
        if header and column in header:
            where = f"{excel_column(header[column])} ({column})"
        rows = res.result.get("unexpected_index_list") or []
        if not rows:  # a table-level expectation: no row to name
            problems.append(Problema(str(frame["_file"].iloc[0]) if len(frame) else "?", meta.get("messaggio", str(res.expectation_config.type)),
                                     colonna=where))
            continue
        for idx in rows:
            idx = idx if isinstance(idx, int) else idx.get("index", idx)
            rec = frame.loc[idx]
            value = rec[column] if column in frame.columns else None
            text = meta.get("messaggio", res.expectation_config.type)
            if value is not None and not (isinstance(value, float) and pd.isna(value)):
                text = f"{text} (valore: «{value}»)"
            problems.append(Problema(str(rec["_file"]), text, foglio=rec["_foglio"], riga=int(rec["_riga"]), colonna=where))
    summary = {
        "suite": suite_name,
        "controlli": len(result.results),
        "superati": sum(1 for r in result.results if r.success),
        "righe": len(frame),
    }
    problems.sort(key=lambda p: (p.file, p.riga or 0))
    return problems, summary
