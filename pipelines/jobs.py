"""Jobs, schedules and sensors the statistics office uses to refresh the warehouse: one sensor per
landing folder on its raw asset, declarative automation up to the analysts' snapshot, one sensor
publishing the editions after each new snapshot, one schedule per source calendar."""


import hashlib
import json

import dagster as dg

from assets.aggiornamento import CHECK as FRESHNESS_CHECK
from assets.aggiornamento import raw_key
from assets.pubblicazione.istantanea import ISTANTANEA
from pipelines import catalog
from pipelines.calendario import calendario
from pipelines.loading import consegne, landing_files, partizionata
from pipelines.settings import camera_predefinita

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
    description="Per una Camera (partizione): carica i suoi estratti nuovi e ricostruisce le sue tabelle dello stato "
                "di salute; il contesto nazionale, i panel e i controlli di qualità (non partizionati) si ricostruiscono "
                "se i loro dati sono cambiati; poi pubblica l'istantanea per gli analisti.",
    executor_def=dg.in_process_executor,
)

PUBBLICA_JOB = "pubblica_edizioni"

# Per Camera (a partition): its chapters and reports, read-only on the warehouse the main job built.
pubblica_job = dg.define_asset_job(
    PUBBLICA_JOB,
    selection=PUBBLICAZIONE,
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
        dg.AssetKey(["marts", "salute_rilasci"]),
    ).upstream() & SENZA_DOWNLOAD | dg.AssetSelection.assets(ISTANTANEA),
    description="Solo lo stato di salute dell'Ente: bilancio, obiettivi, valori pubblicati, benchmarking; poi "
                "l'istantanea per gli analisti (le tabelle del contesto vi restano come sono).",
    executor_def=dg.in_process_executor,
)
contesto_job = dg.define_asset_job(
    CONTESTO_JOB,
    selection=dg.AssetSelection.assets(
        dg.AssetKey(["marts", "contesto_riconciliazione"]), dg.AssetKey(["qualita", "rilievi_contesto"]),
        dg.AssetKey(["marts", "territorio_camera"]), dg.AssetKey(["marts", "contesto_geografia_attuale"]),
    ).upstream() & SENZA_DOWNLOAD | dg.AssetSelection.assets(ISTANTANEA),
    description="Solo il contesto economico: territorio, fonti del contesto, marts e controlli; poi l'istantanea "
                "per gli analisti (le tabelle dell'Ente vi restano come sono).",
    executor_def=dg.in_process_executor,
)


def _stamp(files) -> str:
    return hashlib.sha1("|".join(f"{p.name}:{p.lstat().st_size}:{p.lstat().st_mtime_ns}"  # a link is not followed
                                 for p in files).encode()).hexdigest()


def _landing_sensor(fonte_id: str) -> dg.SensorDefinition:
    """Watch landing/<fonte>/: a new or changed file materializes only that source's raw asset, and for a
    source partitioned by Camera only the partition of the Camera whose folder changed
    (landing/<fonte>/<codice>/; landing/<fonte>/ itself is the default Camera's).

    What follows, up to the analysts' snapshot (staging, marts, checks, `istantanea`), is requested
    by declarative automation (`AutomationCondition.eager()` gated on blocking checks, set in
    definitions.py), so one new file rebuilds its lineage and nothing else; the editions follow the
    snapshot through `pubblica_dopo_istantanea`.
    """
    key = raw_key(fonte_id)

    @dg.sensor(name=f"estratti_{fonte_id}", asset_selection=[key], minimum_interval_seconds=60,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description=f"Carica {key.to_user_string()} quando l'ufficio deposita un file nuovo in landing/{fonte_id}/.")
    def _sensor(context: dg.SensorEvaluationContext):
        if not partizionata(fonte_id):
            files = landing_files(fonte_id)
            cursor = _stamp(files)
            if files and cursor != context.cursor:
                context.update_cursor(cursor)
                yield dg.RunRequest(run_key=f"{fonte_id}:{cursor}", asset_selection=[key])
            return
        seen = json.loads(context.cursor) if context.cursor else {}
        now = {codice: _stamp(files) for codice, files in consegne(fonte_id).items()}
        for codice, stamp in now.items():
            if seen.get(codice) != stamp:
                yield dg.RunRequest(run_key=f"{fonte_id}:{codice}:{stamp}", asset_selection=[key], partition_key=codice)
        if now != seen:
            context.update_cursor(json.dumps(now, sort_keys=True))

    return _sensor


def _calendar_schedule(fonte_id: str) -> dg.ScheduleDefinition:
    """On each day a release is expected, check whether it arrived (the freshness check of the source)."""
    cal = calendario(fonte_id)
    job = dg.define_asset_job(
        f"verifica_calendario_{fonte_id}",
        selection=dg.AssetSelection.checks(dg.AssetCheckKey(raw_key(fonte_id), FRESHNESS_CHECK)),
        description=f"Verifica che l'estratto atteso di {fonte_id} sia arrivato (calendario in data/registry/fonti.yaml).",
    )
    return dg.ScheduleDefinition(name=f"calendario_{fonte_id}", job=job, cron_schedule=cal.cron(),
                                 execution_timezone="Europe/Rome", default_status=dg.DefaultScheduleStatus.RUNNING)


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


@dg.asset_sensor(asset_key=ISTANTANEA, job=pubblica_job, name="pubblica_dopo_istantanea",
                 minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
                 description="Dopo ogni nuova istantanea pubblica le edizioni della Camera predefinita "
                             "(data/camere/camere.yaml), come osservatorio run: una sola esecuzione con Chromium "
                             "per istantanea, mai una per file arrivato.")
def pubblica_dopo_istantanea(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """One run of `pubblica_edizioni` for the default Camera's partition per new snapshot.

    Publishing is not eager: it is partitioned by Camera and prints through Chromium, so it follows
    the snapshot (which exists only when every table and blocking check passed), not each table.
    Its editions keep their folder when nothing they print changed (pipelines/pubblicazione.py)."""
    codice = camera_predefinita()
    yield dg.RunRequest(run_key=f"istantanea:{asset_event.run_id}:{codice}", partition_key=codice)


# Evaluates the eager conditions set in definitions.py (on by default, with the UI's daemon).
automazione = dg.AutomationConditionSensorDefinition(
    "automazione_fino_all_istantanea", target=SENZA_DOWNLOAD - PUBBLICAZIONE, minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Ricostruisce a valle di ogni estratto caricato le tabelle che ne dipendono (staging, marts, rilievi, "
                "riconciliazione) e l'istantanea, quando i controlli bloccanti dei loro input passano.")

calendar_schedules = [_calendar_schedule(f) for f in catalog.fonti() if calendario(f)]
jobs = [main_job, pubblica_job, ente_job, contesto_job, aggiorna_istat]
schedules = [weekly_istat, *calendar_schedules]
sensors = [*(_landing_sensor(f) for f in catalog.fonti()), automazione, pubblica_dopo_istantanea]
