"""The code location: every asset, check, job, schedule and sensor of Osservatorio, loaded once.

`dagster dev -w workspace.yaml` and the `osservatorio` command both read `defs` from here. The
policies every asset shares are applied here, once: the owner (the statistics office), the group
(its domain: ente, contesto, territorio, pubblicazione) and declarative automation (an asset with
upstream assets follows them eagerly once their blocking checks pass, up to the analysts' snapshot
`istantanea`; raw assets are started by their landing folder's sensor, the Istat download by its
job, and the editions (`pubblicazione/...`, partitioned by Camera, printed by Chromium) by the sensor
on the snapshot, never eagerly).
"""


import dagster as dg

from assets.aggiornamento import freshness_checks
from assets.contesto.sources import contesto_raw_assets
from assets.ente.sources import ente_raw_assets
from assets.istat import istat_assets
from assets.meta import meta_assets
from assets.models import model_assets, quality_checks
from assets.pubblicazione.edizioni import pubblicazione_assets
from assets.pubblicazione.istantanea import istantanea_assets
from assets.riconciliazione import reconciliation_checks
from assets.territorio import territorio_assets
from pipelines.jobs import jobs, schedules, sensors
from pipelines.warehouse import Warehouse

OWNERS = ["team:ufficio_studi_statistica"]
AUTOMATION = dg.AutomationCondition.eager() & dg.AutomationCondition.all_deps_blocking_checks_passed()

# The catalogues' domain (they are data files in the repository, read by one domain or by all).
CATALOGUE_DOMAINS = {"fonti": "pubblicazione", "voci_bilancio": "ente", "indicatori": "ente", "camere": "territorio",
                     "gerarchie_contesto": "contesto", "misure_pubblicate": "contesto"}


def _domains(assets: list[dg.AssetsDefinition]) -> dict[dg.AssetKey, str]:
    """Domain of each asset: its sources' domain, followed downstream; an asset reading more than one
    domain (besides territory and catalogues) belongs to publishing."""
    fixed = {k: d for group, d in ((ente_raw_assets, "ente"), (contesto_raw_assets, "contesto"),
                                   (istat_assets, "contesto"), (territorio_assets, "territorio"))
             for a in group for k in a.keys}
    fixed |= {dg.AssetKey(["meta", n]): d for n, d in CATALOGUE_DOMAINS.items()}
    deps = {k: set(a.asset_deps[k]) for a in assets for k in a.keys}
    out: dict[dg.AssetKey, str] = {}

    def domain(key: dg.AssetKey) -> str:
        if key in fixed:
            out[key] = fixed[key]
        if key not in out:
            found = {domain(d) for d in deps.get(key, ())}
            core = found - {"territorio", "pubblicazione"}
            out[key] = core.pop() if len(core) == 1 else "territorio" if found == {"territorio"} else "pubblicazione"
        return out[key]

    for key in deps:
        domain(key)
    return out


def automated(spec: dg.AssetSpec) -> bool:
    """Eager automation for an asset with upstream assets, publishing aside (it follows the snapshot)."""
    return bool(spec.deps) and spec.key.path[0] != "pubblicazione"


def across_partitions(partitioned: list[dg.AssetKey]) -> dg.AutomationCondition:
    """AUTOMATION for an unpartitioned asset reading assets partitioned by Camera (the panels, the checks,
    the snapshot): `eager()` with its "no missing dependency" guard blind to the partitioned ones, since
    the partitions of Camere that delivered nothing stay missing for ever; an update of any of their
    partitions still triggers it (the rest of `eager()`, Dagster 1.13, unchanged)."""
    condition = dg.AutomationCondition
    return (
        condition.in_latest_time_window()
        & (condition.newly_missing() | condition.any_deps_updated()).since_last_handled()
        & ~condition.any_deps_missing().ignore(dg.AssetSelection.assets(*partitioned))
        & ~condition.any_deps_in_progress()
        & ~condition.in_progress()
    ).with_label("eager") & condition.all_deps_blocking_checks_passed()


def _policies(assets: list[dg.AssetsDefinition]) -> list[dg.AssetsDefinition]:
    domains = _domains(assets)
    partitioned = [k for a in assets if a.partitions_def is not None for k in a.keys]
    unpartitioned = across_partitions(partitioned)

    def automation(spec: dg.AssetSpec) -> dg.AutomationCondition | None:
        if not automated(spec):
            return None
        return AUTOMATION if spec.partitions_def is not None else unpartitioned

    return dg.map_asset_specs(
        lambda spec: spec.replace_attributes(owners=OWNERS, group_name=domains[spec.key],
                                             automation_condition=automation(spec)),
        assets)


defs = dg.Definitions(
    assets=_policies([*meta_assets, *territorio_assets, *ente_raw_assets, *contesto_raw_assets, *model_assets,
                      *istantanea_assets, *pubblicazione_assets, *istat_assets]),
    asset_checks=[*quality_checks, *freshness_checks, *reconciliation_checks],
    jobs=jobs,
    schedules=schedules,
    sensors=sensors,
    resources={"warehouse": Warehouse()},
    # DuckDB takes one writer per file: steps run one after another in the run's own process.
    executor=dg.in_process_executor,
)
