"""Reading a Dagster run's outcome the way the office needs it: which step failed and the Italian why."""

from __future__ import annotations

import os
import socket
from pathlib import Path


BLOCKING_FINDINGS = "rilievi_bloccanti"  # metadata of a failed blocking check: its findings, one line each

# Dagster's run states as the office reads them
STATI = {"SUCCESS": "riuscita", "FAILURE": "non riuscita", "STARTED": "in corso", "STARTING": "in avvio",
         "QUEUED": "in coda", "NOT_STARTED": "non avviata", "CANCELING": "in annullamento",
         "CANCELED": "annullata", "MANAGED": "gestita fuori da Dagster"}


def failure_messages(result) -> dict[str, str]:
    """Step key -> the failure's text, causes included (a `Failure`'s description sits in the cause);
    a failed blocking check gives its run's blocking findings in Italian (`event_failures`)."""
    return event_failures(result.all_events)


def blocking_findings(events) -> dict[str, list[str]]:
    """Step key of each failed blocking check among a run's Dagster events -> its Italian text as lines: a
    heading, one readable line per file and cause (metadata `rilievi_bloccanti` written by
    assets/models.py), and the way out (correct, or withdraw a loaded file with `osservatorio ritira`)."""
    out: dict[str, list[str]] = {}
    for event in events:
        if event is None or event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if not evaluation.passed and BLOCKING_FINDINGS in evaluation.metadata:
            text = evaluation.metadata[BLOCKING_FINDINGS].value
            table = evaluation.metadata["tabella"].value if "tabella" in evaluation.metadata else ""
            total = evaluation.metadata["bloccanti"].value if "bloccanti" in evaluation.metadata else None
            head = f"Rilievi bloccanti di questa esecuzione{f' in {table}' if table else ''}" + \
                (f" ({total})" if total is not None else "") + ":"
            files = evaluation.metadata["file"].value.split(", ") if "file" in evaluation.metadata else []
            out[event.step_key] = [head, *text.splitlines(), (
                "Il magazzino pubblicato per gli analisti e le edizioni restano quelli dell'ultima esecuzione "
                "riuscita. Correggere i file indicati e rilanciare; un file già caricato si toglie dal magazzino "
                "con: osservatorio ritira " + (files[0] if len(files) == 1 and files[0] else "<file>"))]
    return out


def event_failures(events) -> dict[str, str]:
    """Step key -> the Italian why of each failed step among a run's Dagster events (`failure_messages`)."""
    events = list(events)
    checks = blocking_findings(events)
    out = {}
    for event in events:
        if event is None or event.event_type_value != "STEP_FAILURE":
            continue
        if event.step_key in checks:
            head, *lines, advice = checks[event.step_key]
            out[event.step_key] = "\n".join([head, *(f"- {line}" for line in lines), advice])
            continue
        error, texts = event.event_specific_data.error, []
        while error is not None:
            texts.append(error.message.strip())
            error = error.cause
        text = "\n".join(texts)
        if "Failure:" in text:  # our own refusals: keep only the sentence written for the office
            text = text.split("Failure:", 1)[1].strip()
        out[event.step_key] = text
    return out


def last_failures(instance, recent: int = 50) -> list[tuple]:
    """(run, step key -> Italian why) for each job whose latest run (among the `recent` last) failed,
    newest first (`event_failures` on its event log): what `osservatorio status` says stopped."""
    import dagster as dg

    latest = {}
    for run in instance.get_runs(limit=recent):  # newest first
        latest.setdefault(run.job_name, run)
    out = []
    for run in latest.values():
        if run.status != dg.DagsterRunStatus.FAILURE:
            continue
        events = [e.dagster_event for e in instance.all_logs(run.run_id, of_type={
            dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.ASSET_CHECK_EVALUATION})]
        out.append((run, event_failures(events)))
    return out


def esegui_lavoro(instance, job_name: str, camera: str | None = None, tutte: bool = False, **kwargs):
    """Execute one job of the code location in this process, tagged with this process (`process_tag`).

    A job with assets partitioned by Camera runs `camera`'s partition (default: the Camera of the
    installation, `settings.camera_predefinita`), or with `tutte` every partition in one run (a single-run
    backfill: every landing folder, former Camere's included); its unpartitioned assets (the national
    context) run once either way. Other keyword arguments go to `execute_in_process` (run_config, tags,
    asset_selection, raise_on_error). Returns the Dagster result."""
    from pipelines.definitions import defs
    from pipelines.partizioni import intervallo_tutte
    from pipelines.settings import camera_predefinita

    job = defs.resolve_job_def(job_name)
    tags = {**process_tag(), **kwargs.pop("tags", {})}
    if job.partitions_def is None:
        return job.execute_in_process(instance=instance, tags=tags, **kwargs)
    if tutte:
        return job.execute_in_process(instance=instance, tags={**tags, **intervallo_tutte()}, **kwargs)
    return job.execute_in_process(instance=instance, tags=tags, partition_key=camera or camera_predefinita(), **kwargs)


def esegui(instance, camere: list[str], edizioni: list[str] | None = None, aggiorna: bool = True,
           log_level: str = "WARNING") -> list:
    """Run Osservatorio for some Camere: the main job for each Camera's partition (its office extracts and
    health tables; the national context, unpartitioned, is built by the first and left as it is by the
    next), then the publishing job for each Camera's partition, one run after another (DuckDB takes one
    writer; publishing only reads). For every Camera of today, one single-run backfill of each job: the
    main job over every partition (former Camere's folders too), publishing over today's Camere.
    `edizioni` restricts the editions built (one Camera only).
    Returns the Dagster results, main job first; stops before publishing if a main run failed."""
    from pipelines.definitions import defs
    from pipelines.jobs import MAIN_JOB, PUBBLICA_JOB
    from pipelines.partizioni import attive, intervallo_attive

    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    tutte = not edizioni and len(camere) > 1 and camere == attive()
    results = []
    if aggiorna:
        for codice in ([None] if tutte else camere):
            results.append(esegui_lavoro(instance, MAIN_JOB, codice, tutte=tutte, raise_on_error=False,
                                         run_config=run_config))
            if not results[-1].success:
                return results
    job = defs.resolve_job_def(PUBBLICA_JOB)
    if tutte:  # every Camera of today: one single-run backfill
        results.append(job.execute_in_process(instance=instance, raise_on_error=False,
                                              tags={**intervallo_attive(), **process_tag()}, run_config=run_config))
        return results
    for codice in camere:
        config = dict(run_config)
        if edizioni:
            config["ops"] = {"pubblica_camera": {"config": {"edizioni": list(edizioni)}}}
        results.append(esegui_lavoro(instance, PUBBLICA_JOB, codice, raise_on_error=False, run_config=config))
    return results


# --- runs the office starts, and the ones a kill left behind ------------------------------------

PROCESS_TAG = "osservatorio/processo"
POOL = "duckdb_writer"


def _start_time(pid: int) -> str | None:
    """The kernel's start time of a process (field 22 of /proc/<pid>/stat), None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def process_tag() -> dict[str, str]:
    """Tag of a run executed in this process: host, pid and start time (a reused pid is not us)."""
    pid = os.getpid()
    return {PROCESS_TAG: f"{socket.gethostname()}:{pid}:{_start_time(pid)}"}


def _alive(tag: str) -> bool:
    host, pid, start = tag.split(":")
    if host != socket.gethostname():
        return True  # another machine's run: not ours to judge
    return _start_time(int(pid)) == start


def recover_interrupted_runs(instance) -> list[str]:
    """Close what a killed run left in the Dagster instance; return the Italian lines to print.

    A run started by `osservatorio` whose process no longer exists (SIGKILL, power cut) is marked
    failed; every run that is no longer going (failed, cancelled, finished) gives back the slots
    it holds in the single-writer pool, so the next run does not wait for ever. Runs of live
    processes are left alone. Uses only the instance API (`report_run_failed`,
    `free_concurrency_slots_for_run`).
    """
    import dagster as dg

    lines = []
    going = dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING,
                                    dg.DagsterRunStatus.CANCELING])
    for run in instance.get_runs(filters=going):
        tag = run.tags.get(PROCESS_TAG)
        if tag and not _alive(tag):
            instance.report_run_failed(run, message="Esecuzione interrotta: il processo non esiste più "
                                                    "(chiuso o terminato dall'esterno).")
            lines.append(f"Esecuzione {run.run_id[:8]} interrotta (processo terminato): segnata come fallita.")
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        holders = set()
        for key in storage.get_concurrency_keys():
            info = storage.get_concurrency_info(key)
            holders |= {s.run_id for s in info.claimed_slots} | {s.run_id for s in info.pending_steps}
        for run_id in sorted(holders):
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)
                lines.append(f"Liberato il posto nella coda di scrittura tenuto dall'esecuzione {run_id[:8]}.")
    return lines
