"""Jobs, schedules and sensors the statistics office uses to refresh the warehouse."""


import hashlib

import dagster as dg

from pipelines import catalog
from pipelines.loading import EXTENSIONS
from pipelines.settings import landing_dir

MAIN_JOB = "osservatorio_completo"

main_job = dg.define_asset_job(
    MAIN_JOB,
    selection=dg.AssetSelection.all(),
    description="Carica gli estratti nuovi e ricostruisce staging, marts e controlli di qualità.",
    executor_def=dg.in_process_executor,
)

# Off by default: the office switches it on in the UI when it wants nightly refreshes.
nightly = dg.ScheduleDefinition(
    name="aggiornamento_notturno",
    job=main_job,
    cron_schedule="0 5 * * 1-5",
    execution_timezone="Europe/Rome",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


@dg.sensor(job=main_job, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Avvia un aggiornamento quando l'ufficio deposita un file nuovo in landing/<fonte>/.")
def nuovi_estratti(context: dg.SensorEvaluationContext):
    stamp = []
    for fonte_id in catalog.fonti():
        folder = landing_dir() / fonte_id
        if folder.is_dir():
            stamp += [f"{p.name}:{p.stat().st_mtime_ns}" for p in sorted(folder.iterdir())
                      if p.suffix.lower() in EXTENSIONS]
    key = hashlib.sha1("|".join(stamp).encode()).hexdigest()
    if stamp and key != context.cursor:
        context.update_cursor(key)
        yield dg.RunRequest(run_key=key)


jobs = [main_job]
schedules = [nightly]
sensors = [nuovi_estratti]
