"""The office's command line, built on Dagster: the same definitions, instance and run history as the UI.

    osservatorio run [--camera LU]   load new extracts and rebuild everything (the main job)
    osservatorio status              what is loaded, what waits in landing/, last runs, open findings
    osservatorio template            write the extract templates to data/templates/
    osservatorio istat               refresh the Istat web-service dataflows into landing/istat_sdmx/
    osservatorio ui                  open the Dagster UI on this project (dagster dev)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from pipelines import settings

SHOWN = 12  # findings printed after a run; all of them are in qualita.rilievi

DAGSTER_YAML = """\
# Written by `osservatorio`: one writer to the DuckDB warehouse at a time.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def _prepare_dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home())))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def _execute(job: str):
    """Run one job of the code location on the project's Dagster instance; print each failed step's Italian why."""
    _prepare_dagster_home()
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.runs import failure_messages

    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(job).execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
    for step, text in failure_messages(result).items():
        print(f"\nERRORE in {step}:\n{text}", file=sys.stderr)
    return result


def cmd_run(args: argparse.Namespace) -> int:
    if args.camera:
        os.environ["OSSERVATORIO_CAMERA"] = args.camera
    from pipelines.jobs import MAIN_JOB

    camera = settings.camera_corrente()
    print(f"Osservatorio: {camera.nome} ({camera.codice})")
    result = _execute(MAIN_JOB)
    _print_summary()
    print(f"\nMagazzino dati: {settings.warehouse_path()}")
    print(f"Uscite:         {settings.output_dir()}")
    for chapter in sorted(settings.output_dir().glob("*/capitolo.html")):
        print(f"  capitolo HTML: {chapter}")
        print(f"  capitolo PDF:  {chapter.with_suffix('.pdf')}")
    print(f"Esecuzione Dagster {result.run_id} ({'riuscita' if result.success else 'NON riuscita'}); "
          f"storico in {os.environ['DAGSTER_HOME']} (osservatorio ui per vederlo)")
    return 0 if result.success else 1


def _print_summary() -> None:
    import duckdb

    path = settings.warehouse_path()
    if not path.exists():
        return
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "SELECT schema_name || '.' || table_name, estimated_size FROM duckdb_tables() "
            "WHERE schema_name IN ('marts', 'qualita') AND table_name NOT LIKE 'q0%' AND table_name NOT LIKE 'q1%' "
            "ORDER BY 1").fetchall()
        print("\nTabelle principali:")
        for name, _ in tables:
            n = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            print(f"  {name:40s} {n:>7d} righe")
        if ("qualita.rilievi",) in [(t,) for t, _ in tables]:
            rows = conn.execute("SELECT gravita, controllo, coalesce(file || ', riga ' || riga || ': ', '') || messaggio "
                                "FROM qualita.rilievi ORDER BY gravita = 'bloccante' DESC, controllo = 'Q10', controllo").fetchall()
            counts = conn.execute("SELECT gravita, controllo, count(*) FROM qualita.rilievi GROUP BY ALL ORDER BY ALL").fetchall()
            print(f"\nRilievi di qualità: {len(rows)} ("
                  + ", ".join(f"{n} {g} {c}" for g, c, n in counts) + ")")
            for gravita, controllo, text in rows[:SHOWN]:
                print(f"  [{gravita} {controllo}] {text}")
            if len(rows) > SHOWN:
                print(f"  … e altri {len(rows) - SHOWN}: SELECT * FROM qualita.rilievi")


def cmd_status(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    import duckdb

    from pipelines import catalog
    from pipelines.extracts import sha256
    from pipelines.loading import not_a_regular_file, source_files

    camera = settings.camera_corrente()
    path = settings.warehouse_path()
    print(f"Camera: {camera.nome} ({camera.codice})")
    print(f"Magazzino dati: {path} ({'presente' if path.exists() else 'non ancora creato: osservatorio run'})")
    loaded: dict[str, set[str]] = {}
    if path.exists():
        with duckdb.connect(str(path), read_only=True) as conn:
            try:
                for fonte, sha in conn.execute("SELECT fonte, file_sha256 FROM meta.caricamenti").fetchall():
                    loaded.setdefault(fonte, set()).add(sha)
            except duckdb.CatalogException:
                pass
    print("\nFonti (cartella di consegna → stato):")
    for fonte_id in catalog.fonti():
        files, sample = source_files(fonte_id, camera)
        refused = [f.name for f in files if not_a_regular_file(f) is not None]  # links are never read
        waiting = [f.name for f in files if f.name not in refused and sha256(f) not in loaded.get(fonte_id, set())]
        origin = "dati di esempio" if sample else f"landing/{fonte_id}/"
        state = f"{len(waiting)} file da caricare: {', '.join(waiting)}" if waiting else "tutto caricato"
        if refused:
            state += f"; rifiutati (collegamenti o non file): {', '.join(refused)}"
        print(f"  {fonte_id:24s} {len(files)} file ({origin}); {state}")
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=5)
        print("\nUltime esecuzioni:")
        for run in runs or []:
            print(f"  {run.run_id[:8]} {run.job_name:28s} {run.status.value}")
        if not runs:
            print("  nessuna")
    _print_summary()
    return 0


def cmd_istat(args: argparse.Namespace) -> int:
    """Run the `aggiorna_istat` job (the download asset) on the project's instance; 1 if it failed."""
    from pipelines.jobs import ISTAT_JOB

    result = _execute(ISTAT_JOB)
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        print(f"Servizio Istat: {meta['richieste'].value} richieste; nuovi rilasci: {meta['nuovi_rilasci'].value}")
        print(meta["file_correnti"].value)
        print(f"Cartella: {meta['cartella'].value} (osservatorio run li carica)")
    print(f"Esecuzione Dagster {result.run_id} ({'riuscita' if result.success else 'NON riuscita'})")
    return 0 if result.success else 1


def cmd_template(args: argparse.Namespace) -> int:
    from pipelines.templates import write_templates

    for path in write_templates(settings.DATA_DIR / "templates"):
        print(path)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    cmd = ["dagster", "dev", "-w", str(settings.PROJECT_ROOT / "workspace.yaml")]
    return subprocess.call(cmd, cwd=settings.PROJECT_ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="osservatorio", description="Osservatorio economico e stato di salute della Camera di Commercio")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="carica gli estratti nuovi e ricostruisce il magazzino")
    run.add_argument("--camera", help="codice della Camera (default: quello di data/camere/camere.yaml)")
    run.set_defaults(func=cmd_run)
    sub.add_parser("status", help="stato delle fonti, ultime esecuzioni, rilievi").set_defaults(func=cmd_status)
    sub.add_parser("istat", help="scarica dal servizio web Istat i dataflow del registro").set_defaults(func=cmd_istat)
    sub.add_parser("template", help="scrive i modelli di estratto in data/templates/").set_defaults(func=cmd_template)
    sub.add_parser("ui", help="apre l'interfaccia Dagster").set_defaults(func=cmd_ui)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
