"""Benchmark: parsing the real public files of the context, against pandas.read_csv of the same bytes.

Prints input rows (lines of the file) per second for each format's parser (which also types, names
and checks every cell) and the ratio to a plain pandas.read_csv baseline measured in the same run,
then the time of the context job on the bundled data.

    python benchmarks/bench_context.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import pandas as pd  # noqa: E402

from pipelines import formats  # noqa: E402

SAMPLE = PROJECT / "data" / "sample" / "lucca"
CASES = [
    ("infocamere_stock", SAMPLE / "infocamere_opendata" / "2025-06-30-Stock-Imprese-Attive-Italia.csv", ";"),
    ("mef_irpef", SAMPLE / "mef_irpef" / "Redditi_e_principali_variabili_IRPEF_su_base_comunale_CSV_2018.csv", ";"),
    ("demo_popolazione_eta", SAMPLE / "istat_demo_popolazione" / "province17.csv", ","),
    ("istat_export", SAMPLE / "istat_forze_lavoro" / "Tasso_occupazione.csv", ","),
]


def best_of(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print(f"{'formato':24s} {'righe':>8s} {'parser (s)':>11s} {'read_csv (s)':>13s} {'rapporto':>9s} {'righe/s':>10s}")
    for name, path, sep in CASES:
        parser = formats.PARSERS[name]
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        skip = 1 if name == "demo_popolazione_eta" else 0
        rows = len(pd.read_csv(io.StringIO(text), sep=sep, skiprows=skip, dtype=str))  # rows read, not written
        t_parse = best_of(lambda: parser(path))
        t_base = best_of(lambda: pd.read_csv(io.StringIO(text), sep=sep, skiprows=skip, dtype=str))
        print(f"{name:24s} {rows:8d} {t_parse:11.2f} {t_base:13.2f} {t_parse / t_base:9.1f} {rows / t_parse:10.0f}")

    import dagster as dg

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OSSERVATORIO_HOME"] = tmp
        from pipelines.definitions import defs
        from pipelines.jobs import CONTESTO_JOB

        t0 = time.perf_counter()
        result = defs.resolve_job_def(CONTESTO_JOB).execute_in_process(
            instance=dg.DagsterInstance.ephemeral(),
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
        total = time.perf_counter() - t0
        steps = {e.step_key: e.event_specific_data.duration_ms / 1000
                 for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    print(f"\njob {CONTESTO_JOB} sui dati di esempio: {total:.1f} s ({len(steps)} passi); i più lenti:")
    for step, secs in sorted(steps.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {step:45s} {secs:6.2f} s")


if __name__ == "__main__":
    main()
