"""The office's command line, built on Dagster: the same definitions, instance and run history as the UI.

    osservatorio run [--camera LU | --tutte]   load new extracts, rebuild, publish the Camera's editions
    osservatorio edizione elenco | costruisci ID   list the editions, build one
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

SHOWN = 15  # lines of qualita.rilievi_sintesi printed after a run; every finding is in qualita.rilievi

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
    _prepare_dagster_home()
    import dagster as dg

    from pipelines.partizioni import attive
    from pipelines.runs import esegui, failure_messages

    if args.tutte:
        codes = attive()
        print(f"Osservatorio: tutte le Camere di oggi ({len(codes)})")
    else:
        try:
            camera = settings.camera(args.camera)
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
        codes = [camera.codice]
        print(f"Osservatorio: {camera.nome} ({camera.codice})")
    with dg.DagsterInstance.get() as instance:
        results = esegui(instance, codes)
    for result in results:
        for step, text in failure_messages(result).items():
            print(f"\nERRORE in {step}:\n{text}", file=sys.stderr)
    _print_summary()
    print(f"\nMagazzino dati: {settings.warehouse_path()}")
    print(f"Uscite:         {settings.output_dir()}")
    _print_chapters(codes)
    ok = all(r.success for r in results) and len(results) > 1
    print(f"Esecuzioni Dagster: {len(results)} ({'riuscite' if ok else 'NON tutte riuscite'}); "
          f"storico in {os.environ['DAGSTER_HOME']} (osservatorio ui per vederlo)")
    return 0 if ok else 1


def _print_chapters(codes: list[str]) -> None:
    from pipelines import edizioni

    for code in codes:
        for edizione_id in edizioni.della_camera(code):
            chapter = settings.output_dir() / edizioni.cartella_uscita(edizione_id) / "capitolo.html"
            if chapter.exists():
                print(f"  {edizione_id}: {chapter} (PDF: {chapter.with_suffix('.pdf').name})")


def cmd_edizione(args: argparse.Namespace) -> int:
    from pipelines import edizioni
    from pipelines.italiano import data

    if args.azione == "elenco":
        print(f"{'edizione':28s} {'Camera':6s} {'dati al':>11s} {'edizione del':>13s}  documento")
        for edizione_id in edizioni.ids():
            ed = edizioni.carica(edizione_id)
            print(f"{edizione_id:28s} {ed['camera']:6s} {ed['data_taglio']:%d/%m/%Y} {ed['data_edizione']:%d/%m/%Y}"
                  f"   {ed['documento']}")
        print("Ogni Camera senza un file di edizione ha l'edizione <codice>_corrente (dati a oggi).")
        return 0
    _prepare_dagster_home()
    import dagster as dg

    from pipelines.runs import esegui, failure_messages

    try:
        ed = edizioni.carica(args.id)
    except edizioni.EdizioneNonValida as err:
        print(err, file=sys.stderr)
        return 2
    print(f"Edizione {ed['id']}: {ed['camera_obj'].nome}, {ed['documento']}, dati al {data(ed['data_taglio'])}")
    with dg.DagsterInstance.get() as instance:
        results = esegui(instance, [ed["camera"]], edizioni=[ed["id"]], aggiorna=not args.senza_aggiornare)
    for result in results:
        for step, text in failure_messages(result).items():
            print(f"\nERRORE in {step}:\n{text}", file=sys.stderr)
    chapter = settings.output_dir() / edizioni.cartella_uscita(ed["id"]) / "capitolo.html"
    ok = all(r.success for r in results) and chapter.exists()
    if ok:
        print(f"  capitolo HTML: {chapter}\n  capitolo PDF:  {chapter.with_suffix('.pdf')}")
    return 0 if ok else 1


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
            counts = conn.execute("SELECT gravita, controllo, count(*) FROM qualita.rilievi GROUP BY ALL ORDER BY ALL").fetchall()
            print(f"\nRilievi di qualità: {sum(n for *_, n in counts)} ("
                  + ", ".join(f"{n} {g} {c}" for g, c, n in counts) + ")")
            # one line per file and cause (qualita.rilievi_sintesi); every finding is in qualita.rilievi
            summary = "qualita.rilievi_sintesi" if ("qualita.rilievi_sintesi",) in [(t,) for t, _ in tables] \
                else "(SELECT gravita, controllo, messaggio FROM qualita.rilievi)"
            rows = conn.execute(f"SELECT gravita, controllo, messaggio FROM {summary}").fetchall()
            for gravita, controllo, text in rows[:SHOWN]:
                print(f"  [{gravita} {controllo}] {text}")
            if len(rows) > SHOWN:
                print(f"  … e altre {len(rows) - SHOWN} righe: SELECT * FROM qualita.rilievi_sintesi")
            print("  ogni rilievo, con file e riga: SELECT * FROM qualita.rilievi")


def cmd_status(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    import duckdb

    from pipelines import catalog
    from pipelines.extracts import sha256
    from pipelines.loading import not_a_regular_file, source_files

    camera = settings.camera()
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
    scelta = run.add_mutually_exclusive_group()
    scelta.add_argument("--camera", help="codice della Camera (default: quello di data/camere/camere.yaml)")
    scelta.add_argument("--tutte", action="store_true", help="tutte le Camere di oggi, una dopo l'altra")
    run.set_defaults(func=cmd_run)
    ed = sub.add_parser("edizione", help="le edizioni del capitolo (data/edizioni/)")
    ed_sub = ed.add_subparsers(dest="azione", required=True)
    ed_sub.add_parser("elenco", help="elenca le edizioni").set_defaults(func=cmd_edizione)
    build = ed_sub.add_parser("costruisci", help="costruisce un'edizione")
    build.add_argument("id", help="id dell'edizione (file data/edizioni/<id>.yaml) o <codice>_corrente")
    build.add_argument("--senza-aggiornare", action="store_true",
                       help="non ricaricare gli estratti: pubblica dal magazzino com'è")
    build.set_defaults(func=cmd_edizione)
    sub.add_parser("status", help="stato delle fonti, ultime esecuzioni, rilievi").set_defaults(func=cmd_status)
    sub.add_parser("istat", help="scarica dal servizio web Istat i dataflow del registro").set_defaults(func=cmd_istat)
    sub.add_parser("template", help="scrive i modelli di estratto in data/templates/").set_defaults(func=cmd_template)
    sub.add_parser("ui", help="apre l'interfaccia Dagster").set_defaults(func=cmd_ui)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
