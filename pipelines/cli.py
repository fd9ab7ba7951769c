"""The office's command line, built on Dagster: the same definitions, instance and run history as the UI.

    osservatorio run [--camera LU | --tutte]   load new extracts, rebuild, publish the Camera's editions
    osservatorio edizione elenco | costruisci ID   list the editions, build one
    osservatorio edizione confronta A B   the printed figures that changed between two built editions, and why
    osservatorio status              what is loaded, what waits in landing/, last runs, open findings
    osservatorio ritira FILE [--fonte F]   withdraw a loaded file from raw and the load log
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
# Dagster's console logger: nothing below CRITICAL, so a failure prints the office's Italian sentence
# alone; every event, tracebacks included, stays in the run's event log (osservatorio ui, run link).
CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}

UI_PORT = 3000  # dagster dev's default

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


def _ui_url() -> str:
    """Where `osservatorio ui` serves the Dagster UI (OSSERVATORIO_UI_URL moves it)."""
    return os.environ.get("OSSERVATORIO_UI_URL", f"http://127.0.0.1:{UI_PORT}").rstrip("/")


def _run_link(result) -> str:
    """One line per Dagster run: its job, outcome and link in the UI."""
    return (f"  {result.job_def.name}: {'riuscita' if result.success else 'NON riuscita'}, "
            f"{_ui_url()}/runs/{result.run_id}")


def _writer_free() -> bool:
    """False (after printing one Italian sentence) when another process holds the working file."""
    from pipelines.warehouse import MagazzinoOccupato, open_writer

    try:  # a foreign lock on the working file: one sentence, before any step runs
        open_writer(settings.warehouse_path()).close()
    except MagazzinoOccupato as error:
        print(f"\nERRORE: {error}", file=sys.stderr)
        return False
    return True


def _recover(instance) -> None:
    """Before a run: close what a killed run left (dead runs, claimed writer slot, half snapshots)."""
    from pipelines.istantanea import clean_leftovers
    from pipelines.runs import recover_interrupted_runs

    for line in recover_interrupted_runs(instance):
        print(line)
    clean_leftovers()


def _print_failures(results) -> None:
    """Each failed step's Italian why, once per distinct text (one foreign lock is one message), and
    where the technical details are (the run's event log in the Dagster UI)."""
    from pipelines.runs import failure_messages

    _print_failure_texts({step: text for result in results for step, text in failure_messages(result).items()})
    failed = [r for r in results if not r.success]
    if failed:
        print(f"Dettagli tecnici (traceback) nel registro eventi di Dagster: osservatorio ui, poi "
              f"{_ui_url()}/runs/{failed[0].run_id}", file=sys.stderr)


def _print_failure_texts(failures: dict[str, str]) -> None:
    by_text: dict[str, list[str]] = {}
    for step, text in failures.items():
        by_text.setdefault(text, []).append(step)
    for text, steps in by_text.items():
        where = steps[0] if len(steps) == 1 else f"{len(steps)} passi ({', '.join(steps[:3])}…)"
        print(f"\nERRORE in {where}:\n{text}", file=sys.stderr)


def _execute(job: str):
    """Run one job of the code location on the project's Dagster instance; print each failed step's Italian why."""
    _prepare_dagster_home()
    import dagster as dg

    from pipelines.runs import esegui_lavoro

    with dg.DagsterInstance.get() as instance:
        _recover(instance)
        result = esegui_lavoro(instance, job, raise_on_error=False, run_config=CONSOLE)
    _print_failures([result])
    return result


def cmd_run(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    import dagster as dg

    from pipelines.partizioni import attive
    from pipelines.runs import esegui

    if args.tutte:
        codes = attive()
        print(f"Osservatorio: tutte le Camere ({len(codes)} di oggi: i loro estratti, anche delle Camere accorpate, "
              "in un'unica esecuzione; poi le loro edizioni)")
    else:
        try:
            camera = settings.camera(args.camera)
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
        codes = [camera.codice]
        print(f"Osservatorio: {camera.nome} ({camera.codice})")
    if not _writer_free():
        return 2
    with dg.DagsterInstance.get() as instance:
        _recover(instance)
        results = esegui(instance, codes, log_level="CRITICAL")
    _print_failures(results)
    # a failed rebuild published nothing: the snapshot's findings are an older run's, not this one's
    _print_summary(findings=results[0].success)
    _print_waiting(codes)
    print(f"\nMagazzino dati: {settings.warehouse_path()} (lo scrive solo la pipeline)")
    print(f"Istantanea per gli analisti: {settings.snapshot_path()}")
    print(f"Uscite:         {settings.output_dir()}")
    _print_chapters(results)
    ok = all(r.success for r in results) and len(results) > 1
    print(f"Esecuzioni Dagster ({'riuscite' if ok else 'NON tutte riuscite'}; da vedere con osservatorio ui avviato):")
    for result in results:
        print(_run_link(result))
    return 0 if ok else 1


def _print_waiting(codes: list[str]) -> None:
    """The files other Camere's folders hold that no run loaded yet: they wait for their Camera's run."""
    from pipelines import catalog

    loaded = _loaded_files()
    waiting = [(folder, names, codice) for fonte_id in catalog.fonti()
               for _, _, _, folder, codice, names, _ in _folders(fonte_id, settings.camera(), loaded)
               if codice and codice not in codes and names]
    if waiting:
        print("\nFile in attesa nelle cartelle di altre Camere (li carica l'esecuzione della loro Camera):")
        for folder, names, codice in waiting:
            print(f"  {folder} ({len(names)} file): osservatorio run --camera {codice}")


def _new_chapters(results) -> dict[str, bool]:
    """Edition id -> rebuilt (True) or unchanged (False), for every chapter these runs materialized."""
    out: dict[str, bool] = {}
    for result in results:
        for event in result.get_asset_materialization_events():
            meta = event.materialization.metadata
            if event.materialization.asset_key.path[-1] == "capitolo" and "edizioni" in meta:
                rebuilt = set(meta["ricostruite"].value.split(", "))
                out |= {e: e in rebuilt for e in meta["edizioni"].value.split(", ") if e}
    return out


def _later_releases(results) -> dict[str, str]:
    """Edition id -> the note of a dated edition whose health figures include releases later than its date
    (metadata of the chapter asset, written by assets/pubblicazione/edizioni.py), for these runs."""
    from assets.pubblicazione.edizioni import RILASCI_SUCCESSIVI

    out: dict[str, str] = {}
    for result in results:
        for event in result.get_asset_materialization_events():
            meta = event.materialization.metadata
            if event.materialization.asset_key.path[-1] == "capitolo" and RILASCI_SUCCESSIVI in meta:
                out |= meta[RILASCI_SUCCESSIVI].value
    return out


def _print_chapters(results) -> None:
    """The chapters of this run only: an older run's files are never shown as new. Under a dated edition
    whose health figures include later releases, the note its health table prints."""
    from pipelines import edizioni

    chapters = _new_chapters(results)
    later = _later_releases(results)
    for edizione_id, rebuilt in chapters.items():
        chapter = settings.output_dir() / edizioni.cartella_uscita(edizione_id) / "capitolo.html"
        state = "ricostruito" if rebuilt else "invariato"
        print(f"  {edizione_id}: {chapter} (PDF: {chapter.with_suffix('.pdf').name}; {state})")
        if edizione_id in later:
            print(f"    Attenzione, stato di salute dell'Ente: {later[edizione_id]}")
    if not chapters:
        print("  nessuna uscita nuova in questa esecuzione: restano quelle delle esecuzioni precedenti")


def cmd_edizione(args: argparse.Namespace) -> int:
    from pipelines import edizioni
    from pipelines.italiano import data

    if args.azione == "elenco":
        # one format for the header and the rows, so every column starts where its title does
        line = "{:28s} {:6s} {:>10s} {:>12s}  {}".format
        print(line("edizione", "Camera", "dati al", "edizione del", "documento"))
        for edizione_id in edizioni.ids():
            ed = edizioni.carica(edizione_id)
            print(line(edizione_id, ed["camera"], f"{ed['data_taglio']:%d/%m/%Y}", f"{ed['data_edizione']:%d/%m/%Y}",
                       ed["documento"]))
        print("Ogni Camera senza un file di edizione ha l'edizione <codice>_corrente (dati a oggi).")
        return 0
    _prepare_dagster_home()
    import dagster as dg

    from pipelines.runs import esegui

    try:
        ed = edizioni.carica(args.id)
    except edizioni.EdizioneNonValida as err:
        print(err, file=sys.stderr)
        return 2
    quando = "dati più recenti disponibili" if ed.get("corrente") else f"dati al {data(ed['data_taglio'])}"
    print(f"Edizione {ed['id']}: {ed['camera_obj'].nome}, {ed['documento']}, {quando}")
    if not args.senza_aggiornare and not _writer_free():
        return 2
    with dg.DagsterInstance.get() as instance:
        _recover(instance)
        results = esegui(instance, [ed["camera"]], edizioni=[ed["id"]], aggiorna=not args.senza_aggiornare,
                         log_level="CRITICAL")
    _print_failures(results)
    chapter = settings.output_dir() / edizioni.cartella_uscita(ed["id"]) / "capitolo.html"
    ok = all(r.success for r in results) and ed["id"] in _new_chapters(results)
    if ok:
        print(f"  capitolo HTML: {chapter}\n  capitolo PDF:  {chapter.with_suffix('.pdf')}")
        later = _later_releases(results)
        if ed["id"] in later:
            print(f"  Attenzione, stato di salute dell'Ente: {later[ed['id']]}")
    for result in results:
        print(_run_link(result))
    return 0 if ok else 1


def _print_summary(findings: bool = True) -> None:
    """The published snapshot: its run, its tables and (with `findings`) its findings, one line per file and cause."""
    import duckdb

    from pipelines.istantanea import manifesto, pubblicata_il

    path = settings.snapshot_path()
    if not path.exists():
        print("\nIstantanea per gli analisti: non ancora pubblicata (nessuna esecuzione riuscita)")
        return
    info = manifesto() or {}
    print(f"\nIstantanea per gli analisti: esecuzione {info.get('esecuzione', '?')[:8]}, "
          f"pubblicata {pubblicata_il(info)}")
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "SELECT schema_name || '.' || table_name, estimated_size FROM duckdb_tables() "
            "WHERE schema_name IN ('marts', 'qualita') ORDER BY 1").fetchall()
        # one line, not one per table: the list with row counts is in the snapshot's manifesto and dictionary
        print(f"  {len(tables)} tabelle (marts e qualita), una per file Parquet, dizionario dei dati in "
              f"{path.parent / 'dizionario.csv'}")
        if not findings:
            print("  (è quella dell'ultima esecuzione riuscita: i suoi rilievi non sono quelli dell'esecuzione non riuscita)")
        elif ("qualita.rilievi",) in [(t,) for t, _ in tables]:
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


def _loaded_files() -> dict[str, set[str]]:
    """Source -> SHA-256 of the files the analysts' snapshot records as loaded (never the working file)."""
    import duckdb

    loaded: dict[str, set[str]] = {}
    if settings.snapshot_path().exists():
        with duckdb.connect(str(settings.snapshot_path()), read_only=True) as conn:
            try:
                for fonte, sha in conn.execute("SELECT fonte, file_sha256 FROM meta.caricamenti").fetchall():
                    loaded.setdefault(fonte, set()).add(sha)
            except duckdb.CatalogException:
                pass
    return loaded


def _folders(fonte_id: str, camera, loaded: dict[str, set[str]]):
    """(label, files, sample, folder, Camera code, waiting names, refused names) of a source: `camera`'s files
    (or its sample), then each other Camera's folder; the code is None for a source not partitioned by Camera."""
    from pipelines.extracts import sha256
    from pipelines.loading import consegne, not_a_regular_file, partizionata, source_files

    folders = [(fonte_id, *source_files(fonte_id, camera), f"landing/{fonte_id}/",
                camera.codice if partizionata(fonte_id) else None)]
    if partizionata(fonte_id):
        folders += [(f"{fonte_id}/{codice}", files, False, f"landing/{fonte_id}/{codice}/", codice)
                    for codice, files in consegne(fonte_id).items() if codice != camera.codice]
    for label, files, sample, folder, codice in folders:
        refused = [f.name for f in files if not_a_regular_file(f) is not None]  # links are never read
        waiting = [f.name for f in files if f.name not in refused and sha256(f) not in loaded.get(fonte_id, set())]
        yield label, files, sample, folder, codice, waiting, refused


def cmd_status(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    from pipelines import catalog
    from pipelines.loading import cartelle_sconosciute

    camera = settings.camera()
    path = settings.snapshot_path()  # never the working file: status must not wait for a run
    print(f"Camera: {camera.nome} ({camera.codice})")
    print(f"Istantanea del magazzino: {path} ({'presente' if path.exists() else 'non ancora pubblicata: osservatorio run'})")
    loaded = _loaded_files()
    print("\nFonti (cartella di consegna → stato):")
    for fonte_id in catalog.fonti():
        for label, files, sample, folder, codice, waiting, refused in _folders(fonte_id, camera, loaded):
            origin = "dati di esempio" if sample else folder
            command = f" (osservatorio run --camera {codice})" if codice and codice != camera.codice else ""
            state = f"{len(waiting)} file da caricare{command}: {', '.join(waiting)}" if waiting else "tutto caricato"
            if refused:
                state += f"; rifiutati (collegamenti o non file): {', '.join(refused)}"
            print(f"  {label:24s} {len(files)} file ({origin}); {state}")
        for problem in cartelle_sconosciute(fonte_id):
            print(f"  {fonte_id + '/' + problem.file.rstrip('/'):24s} {problem.messaggio}")
    import dagster as dg

    from pipelines.runs import STATI, last_failures

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=5)
        print("\nUltime esecuzioni:")
        for run in runs or []:
            record = instance.get_run_record_by_id(run.run_id)
            when = f"{record.create_timestamp.astimezone():%d/%m/%Y %H:%M}" if record else ""
            print(f"  {run.run_id[:8]} {when:16s} {run.job_name:28s} {STATI.get(run.status.value, run.status.value)}")
        if not runs:
            print("  nessuna")
        failed = last_failures(instance)
    for run, failures in failed:
        print(f"\nL'ultima esecuzione di {run.job_name} ({run.run_id[:8]}) non è riuscita: il magazzino pubblicato "
              "è quello dell'ultima esecuzione riuscita.")
        for step, text in failures.items():
            print(f"  {step}:\n" + "\n".join(f"    {line}" for line in text.splitlines()))
    _print_summary(findings=not failed)
    return 0


def cmd_ritira(args: argparse.Namespace) -> int:
    """Withdraw a loaded file (pipelines.loading.withdraw) in one transaction; move its landing copy aside."""
    from pipelines.loading import FileNonCaricato, move_withdrawn, withdraw
    from pipelines.warehouse import Warehouse

    if not settings.warehouse_path().exists():
        print(f"Il magazzino {settings.warehouse_path()} non esiste ancora: nessun file da ritirare.", file=sys.stderr)
        return 2
    if not _writer_free():
        return 2
    try:
        with Warehouse().writer() as conn:
            done = withdraw(conn, args.file, args.fonte)
    except FileNonCaricato as err:
        print(err, file=sys.stderr)
        return 2
    print(f"Ritirato {args.file} (fonte {done['fonte']}): {done['righe']} righe tolte da {done['tabella']} e dal "
          "registro dei caricamenti (meta.caricamenti), in un'unica transazione.")
    moved = move_withdrawn(done["fonte"], args.file, done["sha256"])
    if moved is not None:
        print(f"Il file in landing/ è stato spostato in {moved}: non verrà ricaricato.")
    camere = [c for c in done["camere"] if c != settings.camera_predefinita()]
    command = " e ".join(f"osservatorio run --camera {c}" for c in camere) or "osservatorio run"
    print(f"La prossima {command} ricostruisce staging, marts, controlli e istantanea senza questo file.")
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
    print(_run_link(result))
    return 0 if result.success else 1


def cmd_template(args: argparse.Namespace) -> int:
    from pipelines.templates import write_templates

    for path in write_templates(settings.DATA_DIR / "templates"):
        print(path)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    _prepare_dagster_home()
    # the dagster of this interpreter's environment: works from a fresh clone without activating .venv
    cmd = [sys.executable, "-m", "dagster", "dev", "-w", str(settings.PROJECT_ROOT / "workspace.yaml"),
           "--host", "127.0.0.1", "--port", str(args.port)]
    return subprocess.call(cmd, cwd=settings.PROJECT_ROOT)


def cmd_edizione_confronta(args: argparse.Namespace) -> int:
    from pipelines import edizioni
    from pipelines.confronto import confronta

    def folder(name: str) -> Path:  # a folder, or an edition id (its folder under output/)
        return Path(name) if Path(name).is_dir() else settings.output_dir() / edizioni.cartella_uscita(name)

    try:
        cambi = confronta(folder(args.a), folder(args.b))
    except FileNotFoundError as error:
        print(f"ERRORE: {error}", file=sys.stderr)
        return 2
    print(f"Edizioni {args.a} → {args.b}: {len(cambi)} cifre cambiate")
    for c in cambi:
        print(f"  {c.tabella} | {c.riga} | {c.colonna}: {c.prima or '—'} → {c.dopo or '—'} ({c.motivo})")
    return 0


def cmd_camere(args: argparse.Namespace) -> int:
    """List the Camere of data/camere/camere.yaml: code, name, provinces; former ones with their successor."""
    for code, c in sorted(settings.camere().items()):
        state = "" if c.attiva else f"  (confluita in {c.confluita_in})"
        print(f"{code:7s} {c.nome}{state}")
    return 0


# argparse's own words (usage, errors, help) in Italian: argparse looks each message up through the
# gettext function bound as `argparse._` when it prints it; the office reads only these few.
ARGPARSE_IT = {
    "usage: ": "uso: ",
    "positional arguments": "argomenti",
    "options": "opzioni",
    "show this help message and exit": "mostra questo aiuto ed esce",
    "the following arguments are required: %s": "manca l'argomento obbligatorio: %s",
    "unrecognized arguments: %s": "argomenti non riconosciuti: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "scelta non valida: %(value)r (scegliere tra %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: errore: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argomento %(argument_name)s: %(message)s",
    "expected one argument": "manca il valore",
    "expected at most one argument": "atteso al massimo un valore",
    "expected at least one argument": "atteso almeno un valore",
    "not allowed with argument %s": "non si usa insieme a %s",
    "one of the arguments %s is required": "serve uno degli argomenti %s",
    "invalid %(type)s value: %(value)r": "valore non valido (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "opzione ambigua: %(option)s può essere %(matches)s",
    "ignored explicit argument %r": "argomento ignorato: %r",
}


def main(argv: list[str] | None = None) -> int:
    """The `osservatorio` command: parse `argv` (default sys.argv) and run the command; returns its exit code.

    Output piped into a reader that stops early (`osservatorio camere | head`) ends quietly, for every
    command: the recipe of the Python documentation (signal module, "Note on SIGPIPE") points stdout at
    devnull so the interpreter's last flush cannot raise again, and exits with 1."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe raises here, inside the try, not at the interpreter's exit
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    argparse._ = lambda message: ARGPARSE_IT.get(message, message)
    parser = argparse.ArgumentParser(prog="osservatorio", description="Osservatorio economico e stato di salute della Camera di Commercio")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMANDO", title="comandi")
    run = sub.add_parser("run", help="carica gli estratti nuovi e ricostruisce il magazzino")
    scelta = run.add_mutually_exclusive_group()
    scelta.add_argument("--camera", help="codice della Camera (default: quello di data/camere/camere.yaml)")
    scelta.add_argument("--tutte", action="store_true", help="tutte le Camere: gli estratti di ogni cartella in un'unica esecuzione, poi le edizioni delle Camere di oggi")
    run.set_defaults(func=cmd_run)
    ed = sub.add_parser("edizione", help="le edizioni del capitolo (data/edizioni/)")
    ed_sub = ed.add_subparsers(dest="azione", required=True, metavar="AZIONE", title="azioni")
    ed_sub.add_parser("elenco", help="elenca le edizioni").set_defaults(func=cmd_edizione)
    build = ed_sub.add_parser("costruisci", help="costruisce un'edizione")
    build.add_argument("id", help="id dell'edizione (file data/edizioni/<id>.yaml) o <codice>_corrente")
    build.add_argument("--senza-aggiornare", action="store_true",
                       help="non ricaricare gli estratti: pubblica dal magazzino com'è")
    build.set_defaults(func=cmd_edizione)
    confronto = ed_sub.add_parser("confronta", help="le cifre cambiate tra due edizioni costruite, con il motivo")
    confronto.add_argument("a", help="la prima edizione (id in output/ o cartella)")
    confronto.add_argument("b", help="la seconda edizione (id in output/ o cartella)")
    confronto.set_defaults(func=cmd_edizione_confronta)
    sub.add_parser("status", help="stato delle fonti, ultime esecuzioni, rilievi").set_defaults(func=cmd_status)
    ritira = sub.add_parser("ritira", help="toglie dal magazzino un file già caricato (righe e registro dei caricamenti)")
    ritira.add_argument("file", metavar="FILE", help="nome del file come è stato caricato (lo elenca osservatorio status)")
    ritira.add_argument("--fonte", help="fonte del file (cartella di landing/), se più fonti hanno un file con quel nome")
    ritira.set_defaults(func=cmd_ritira)
    sub.add_parser("camere", help="elenca i codici delle Camere (data/camere/camere.yaml)").set_defaults(func=cmd_camere)
    sub.add_parser("istat", help="scarica dal servizio web Istat i dataflow del registro").set_defaults(func=cmd_istat)
    sub.add_parser("template", help="scrive i modelli di estratto in data/templates/").set_defaults(func=cmd_template)
    ui = sub.add_parser("ui", help="apre l'interfaccia Dagster")
    ui.add_argument("--port", type=int, default=UI_PORT, help=f"porta locale (default {UI_PORT})")
    ui.set_defaults(func=cmd_ui)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
