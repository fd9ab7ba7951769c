"""Reading a Dagster run's outcome the way the office needs it: which step failed and the Italian why."""

from __future__ import annotations


def failure_messages(result) -> dict[str, str]:
    """Step key -> the failure's text, causes included (a `Failure`'s description sits in the cause)."""
    out = {}
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
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


def esegui(instance, camere: list[str], edizioni: list[str] | None = None, aggiorna: bool = True,
           log_level: str = "WARNING") -> list:
    """Run Osservatorio for some Camere: the main job once (every Camera's data and the national context,
    unpartitioned), then the publishing job for each Camera's partition, one run after another (DuckDB
    takes one writer; publishing only reads), or, for every Camera of today, one single-run backfill over
    their partitions. `edizioni` restricts the editions built (one Camera only).
    Returns the Dagster results, main job first; stops before publishing if the main job failed."""
    from pipelines.definitions import defs
    from pipelines.jobs import MAIN_JOB, PUBBLICA_JOB
    from pipelines.partizioni import attive, intervallo_attive

    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    results = []
    if aggiorna:
        results.append(defs.resolve_job_def(MAIN_JOB).execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config))
        if not results[-1].success:
            return results
    job = defs.resolve_job_def(PUBBLICA_JOB)
    if not edizioni and len(camere) > 1 and camere == attive():  # every Camera of today: one single-run backfill
        results.append(job.execute_in_process(instance=instance, raise_on_error=False, tags=intervallo_attive(),
                                              run_config=run_config))
        return results
    for codice in camere:
        config = dict(run_config)
        if edizioni:
            config["ops"] = {"pubblica_camera": {"config": {"edizioni": list(edizioni)}}}
        results.append(job.execute_in_process(instance=instance, raise_on_error=False, partition_key=codice,
                                              run_config=config))
    return results
