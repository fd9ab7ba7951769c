"""Jobs, schedules and sensors the statistics office uses to refresh the warehouse."""


import hashlib

import dagster as dg

from pipelines import catalog
from pipelines.loading import EXTENSIONS
from pipelines.partizioni import camere_partizioni
from pipelines.settings import landing_dir

MAIN_JOB = "osservatorio_completo"
ISTAT_JOB = "aggiorna_istat"
# Selections by key prefix, not by group: groups are the UI's domains and may change.
# Downloads write landing/<fonte>/ (key landing/...): calls to a web service run only in their own job,
# never inside a rebuild. Publishing assets are pubblicazione/... (partitioned by Camera).
DOWNLOAD = dg.AssetSelection.key_prefixes(["landing"])
PUBBLICAZIONE = dg.AssetSelection.key_prefixes(["pubblicazione"])
SENZA_DOWNLOAD = dg.AssetSelection.all() - DOWNLOAD

main_job = dg.define_asset_job(
    MAIN_JOB,
    selection=SENZA_DOWNLOAD - PUBBLICAZIONE,
    description="Carica gli estratti nuovi, ricostruisce staging, marts e controlli di qualità (per tutte le Camere) "
                "e pubblica l'istantanea per gli analisti.",
    executor_def=dg.in_process_executor,
)

PUBBLICA_JOB = "pubblica_edizioni"

# Per Camera (a partition): its chapters and reports, read-only on the warehouse the main job built.
pubblica_job = dg.define_asset_job(
    PUBBLICA_JOB,
    selection=PUBBLICAZIONE,
    partitions_def=camere_partizioni,
    description="Pubblica le edizioni di una Camera (partizione): grafici, tabelle, capitolo HTML e PDF.",
    executor_def=dg.in_process_executor,
)

ENTE_JOB = "salute_ente"
CONTESTO_JOB = "contesto_economico"

# The two halves of the warehouse, for a refresh of one without reloading the other.
ente_job = dg.define_asset_job(
    ENTE_JOB,
    selection=dg.AssetSelection.assets(
        dg.AssetKey(["marts", "stato_salute"]), dg.AssetKey(["marts", "benchmark_confronto"]),
        dg.AssetKey(["marts", "riconciliazione_pubblicati"]), dg.AssetKey(["qualita", "rilievi_ente"]),
    ).upstream() & SENZA_DOWNLOAD,
    description="Solo lo stato di salute dell'Ente: bilancio, obiettivi, valori pubblicati, benchmarking.",
    executor_def=dg.in_process_executor,
)
contesto_job = dg.define_asset_job(
    CONTESTO_JOB,
    selection=dg.AssetSelection.assets(
        dg.AssetKey(["marts", "contesto_riconciliazione"]), dg.AssetKey(["qualita", "rilievi_contesto"]),
        dg.AssetKey(["marts", "territorio_camera"]), dg.AssetKey(["marts", "contesto_geografia_attuale"]),
    ).upstream() & SENZA_DOWNLOAD,
    description="Solo il contesto economico: territorio, fonti del contesto, marts e controlli.",
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


aggiorna_istat = dg.define_asset_job(
    ISTAT_JOB,
    selection=DOWNLOAD,
    description="Scarica dal servizio web Istat i dataflow di data/registry/istat_dataflows.yaml in landing/istat_sdmx/ "
                "(al massimo 5 richieste al minuto; poi osservatorio_completo carica i file nuovi).",
    executor_def=dg.in_process_executor,
)


weekly_istat = dg.ScheduleDefinition(
    name="aggiornamento_istat_settimanale",
    job=aggiorna_istat,
    cron_schedule="0 6 * * 1",
    execution_timezone="Europe/Rome",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)

jobs = [main_job, pubblica_job, ente_job, contesto_job, aggiorna_istat]
schedules = [nightly, weekly_istat]
sensors = [nuovi_estratti]
