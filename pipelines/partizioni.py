"""Dagster partitions of Osservatorio: one partition per Camera di Commercio of data/camere/camere.yaml.

Today's Camere and the former ones (whose past editions can still be rebuilt after their merger) are
both partitions; `attive()` lists today's.
"""

import dagster as dg

from pipelines.settings import camere



def attive() -> list[str]:
    """Codes of the Camere that exist today (the partitions `osservatorio run --tutte` builds)."""
    return sorted(c.codice for c in camere().values() if c.attiva)


def cessate() -> list[str]:
    """Codes of the former Camere, merged into one of today's."""
    return sorted(c.codice for c in camere().values() if not c.attiva)


# today's Camere first, so that "every Camera of today" is one contiguous range of partitions
camere_partizioni = dg.StaticPartitionsDefinition([*attive(), *cessate()])


def intervallo_attive() -> dict[str, str]:
    """Run tags for one run over every Camera of today (a single-run backfill of the publishing asset)."""
    codes = attive()
    return {"dagster/asset_partition_range_start": codes[0], "dagster/asset_partition_range_end": codes[-1]}
