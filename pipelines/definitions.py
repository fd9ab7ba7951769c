"""The code location: every asset, check, job, schedule and sensor of Osservatorio, loaded once.

`dagster dev -w workspace.yaml` and the `osservatorio` command both read `defs` from here.
"""


import dagster as dg

from assets.contesto.sources import contesto_raw_assets
from assets.ente.sources import ente_raw_assets
from assets.istat import istat_assets
from assets.meta import meta_assets
from assets.models import model_assets, quality_checks
from assets.pubblicazione.edizioni import pubblicazione_assets
from assets.pubblicazione.istantanea import istantanea_assets
from assets.territorio import territorio_assets
from pipelines.jobs import jobs, schedules, sensors
from pipelines.warehouse import Warehouse

defs = dg.Definitions(
    assets=[*meta_assets, *territorio_assets, *ente_raw_assets, *contesto_raw_assets, *model_assets, *istantanea_assets,
            *pubblicazione_assets, *istat_assets],
    asset_checks=quality_checks,
    jobs=jobs,
    schedules=schedules,
    sensors=sensors,
    resources={"warehouse": Warehouse()},
    # DuckDB takes one writer per file: steps run one after another in the run's own process.
    executor=dg.in_process_executor,
)
