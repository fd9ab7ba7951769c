"""Dagster partitions of Osservatorio: one partition per Camera di Commercio of data/camere/camere.yaml.

Today's Camere and the former ones (whose past editions can still be rebuilt after their merger) are
both partitions; `attive()` lists today's.
"""

import warnings

import dagster as dg

from pipelines import settings

# `backfill_policy` of @asset is flagged beta in Dagster 1.13; the single-run backfill of the assets
# partitioned by Camera is what `osservatorio run --tutte` relies on, and the flag's warning would
# otherwise reach the office's console at every command.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message="Parameter `backfill_policy`")



def attive() -> list[str]:
    """Codes of the Camere that exist today (the partitions `osservatorio run --tutte` builds)."""
    return sorted(c.codice for c in settings.camere().values() if c.attiva)


def cessate() -> list[str]:
    """Codes of the former Camere, merged into one of today's."""
    return sorted(c.codice for c in settings.camere().values() if not c.attiva)


# today's Camere first, so that "every Camera of today" is one contiguous range of partitions
camere_partizioni = dg.StaticPartitionsDefinition([*attive(), *cessate()])


def intervallo(codes: list[str]) -> dict[str, str]:
    """Run tags for one run over a contiguous range of partitions (a single-run backfill)."""
    return {"dagster/asset_partition_range_start": codes[0], "dagster/asset_partition_range_end": codes[-1]}


def intervallo_attive() -> dict[str, str]:
    """Run tags for one run over every Camera of today (a single-run backfill of the publishing asset)."""
    return intervallo(attive())


def intervallo_tutte() -> dict[str, str]:
    """Run tags for one run over every partition, former Camere included: what every landing folder holds loads."""
    return intervallo(camere_partizioni.get_partition_keys())


def codici_camera(codice: str) -> list[str]:
    """The Camera codes whose rows belong to partition `codice`: the Camera and every Camera merged into it,
    however long ago (data/camere/camere.yaml `confluita_in`, followed to the end). A Camera's office
    holds the records of the Camere it absorbed, so a merged Camera's partition rebuilds their rows too.
    Raises KeyError for a code not in the list."""
    every = settings.camere()
    every[codice]  # noqa: B018 - an unknown code raises here, never selects nothing in silence
    out, frontier = [codice], [codice]
    while frontier:
        frontier = sorted(c for c, cam in every.items() if cam.confluita_in in frontier)
        out += frontier
    return out
