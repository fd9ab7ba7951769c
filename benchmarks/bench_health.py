"""Benchmark: the health-indicator job (salute_ente) at Lucca scale and at national scale (every Camera, 20 years).

Prints seconds per phase and the ratio against the Lucca baseline measured in the same run.
The national extract is synthetic (Lucca's published items scaled per Camera), written to a
temporary folder; nothing here touches the project's warehouse.

    python benchmarks/bench_health.py [--camere 105] [--anni 20]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

SAMPLE = PROJECT / "data" / "sample" / "lucca" / "bilancio" / "bilancio_lucca_pp2019.csv"


def national_extract(path: Path, camere: int, anni: int) -> int:
    rng = random.Random(1)
    base = [r for r in csv.DictReader(open(SAMPLE, encoding="utf-8")) if r["anno"] == "2017"]
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(base[0]))
        w.writeheader()
        for c in range(camere):
            code = "LU" if c == 0 else f"C{c:03d}"
            scale = rng.uniform(0.3, 6.0)
            for year in range(2019 - anni, 2019):
                for r in base:
                    if r["voce"] in ("oc_totale", "pc_totale"):
                        continue
                    w.writerow({**r, "camera": code, "anno": year,
                                "valore": f"{float(r['valore']) * scale:.1f}"})
                    n += 1
    return n


def timed_run(home: Path) -> tuple[float, dict]:
    import dagster as dg

    os.environ["OSSERVATORIO_HOME"] = str(home)
    from pipelines.definitions import defs

    t0 = time.perf_counter()
    from pipelines.jobs import ENTE_JOB

    from pipelines.runs import esegui_lavoro

    result = esegui_lavoro(
        dg.DagsterInstance.ephemeral(), ENTE_JOB, tutte=True, raise_on_error=True,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    total = time.perf_counter() - t0
    steps = {}
    for e in result.all_events:
        if e.event_type_value == "STEP_SUCCESS":
            steps[e.step_key] = e.event_specific_data.duration_ms / 1000
    return total, steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--camere", type=int, default=105)
    parser.add_argument("--anni", type=int, default=20)
    args = parser.parse_args()

    # one-time imports (Dagster definitions, Great Expectations) paid before either side is timed, so the
    # ratio compares the two runs and not the first run's imports
    from pipelines.definitions import defs  # noqa: F401
    from pipelines.quality import load_suite

    t0 = time.perf_counter()
    load_suite("bilancio")
    print(f"importazione di Great Expectations (una volta per processo, fuori dal confronto): "
          f"{time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        lucca_home = Path(tmp) / "lucca"
        lucca_total, lucca_steps = timed_run(lucca_home)

        national_home = Path(tmp) / "nazionale"
        landing = national_home / "landing" / "bilancio"
        landing.mkdir(parents=True)
        rows = national_extract(landing / "nazionale.csv", args.camere, args.anni)
        # the Camere of the synthetic extract must be known to the configuration
        from pipelines import settings

        known = settings.camere()
        extra = {f"C{c:03d}": known["LU"] for c in range(1, args.camere)}
        settings.camere = lambda: {**known, **extra}
        national_total, national_steps = timed_run(national_home)

    lucca_rows = sum(1 for _ in open(SAMPLE)) - 1
    print(f"{'fase':42s} {'Lucca (s)':>10s} {'nazionale (s)':>14s} {'rapporto':>9s}")
    for step in sorted(national_steps, key=national_steps.get, reverse=True)[:10]:
        a, b = lucca_steps.get(step, float("nan")), national_steps[step]
        print(f"{step:42s} {a:10.2f} {b:14.2f} {b / a:9.1f}")
    print(f"{'TOTALE job salute_ente':42s} {lucca_total:10.2f} {national_total:14.2f} {national_total / lucca_total:9.1f}")
    print(f"righe di bilancio: Lucca {lucca_rows}, nazionale {rows} ({rows / lucca_rows:.0f} volte); "
          f"secondi per 10.000 righe nazionali: {national_total / rows * 10_000:.2f}")


if __name__ == "__main__":
    main()
