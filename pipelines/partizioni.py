"""Dagster partitions of Osservatorio: one partition per Camera di Commercio of data/camere/camere.yaml.

Today's Camere and the former ones (whose past editions, such as Lucca's before the merger into the
Toscana Nord-Ovest, can still be rebuilt) are both partitions; `attive()` lists today's.
"""

import dagster as dg

from pipelines.settings import camere

camere_partizioni = dg.StaticPartitionsDefinition(sorted(camere()))


def attive() -> list[str]:
    """Codes of the Camere that exist today (the partitions `osservatorio run --tutte` builds)."""
    return sorted(c.codice for c in camere().values() if c.attiva)
