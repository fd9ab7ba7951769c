"""Each source's release calendar (`calendario` in data/registry/fonti.yaml): when a new extract is
expected, the cron of the check that looks for it, and whether it is overdue.

`calendario: {mesi: [1, 4, 7, 10], giorno: 20, tolleranza_giorni: 30}` reads: a release is expected
on the 20th of January, April, July and October, and is overdue 30 days later. Sources released
"ad ogni documento" have no calendar (`calendario` absent) and are never overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines import catalog


@dataclass(frozen=True)
class Calendario:
    mesi: tuple[int, ...]
    giorno: int
    tolleranza_giorni: int

    def cron(self) -> str:
        """The day a release becomes overdue is not a fixed day of month: check on each expected day."""
        return f"0 7 {self.giorno} {','.join(map(str, self.mesi))} *"

    def attesa_scaduta(self, oggi: dt.date) -> dt.date | None:
        """The latest expected release date whose tolerance has run out by `oggi` (None if none yet)."""
        limite = oggi - dt.timedelta(days=self.tolleranza_giorni)
        for anno in (limite.year, limite.year - 1):
            for mese in sorted(self.mesi, reverse=True):
                if (attesa := dt.date(anno, mese, self.giorno)) <= limite:
                    return attesa
        return None


def calendario(fonte_id: str) -> Calendario | None:
    """A source's calendar from the registry; raises ValueError (Italian) when it is malformed."""
    spec = catalog.fonte(fonte_id).get("calendario")
    if not spec:
        return None
    mesi, giorno, tolleranza = tuple(spec.get("mesi") or ()), spec.get("giorno"), spec.get("tolleranza_giorni")
    if not mesi or not all(isinstance(m, int) and 1 <= m <= 12 for m in mesi) \
            or not isinstance(giorno, int) or not 1 <= giorno <= 28 or not isinstance(tolleranza, int) or tolleranza < 0:
        raise ValueError(f"data/registry/fonti.yaml, fonte «{fonte_id}»: calendario non valido ({spec}); "
                         "servono mesi (1-12), giorno (1-28) e tolleranza_giorni (>= 0).")
    return Calendario(mesi, giorno, tolleranza)


def ritardo(fonte_id: str, ultimo_caricamento: dt.date | None, oggi: dt.date) -> str | None:
    """The Italian sentence saying a source is overdue, or None when it is not (or has no calendar).

    Overdue: a release was expected on date E, E plus the tolerance has passed, and no new file of
    the source has been loaded since E.
    """
    cal = calendario(fonte_id)
    if cal is None:
        return None
    attesa = cal.attesa_scaduta(oggi)
    if attesa is None or (ultimo_caricamento is not None and ultimo_caricamento >= attesa):
        return None
    giorni = (oggi - attesa).days
    ultimo = f"l'ultimo è stato caricato il {ultimo_caricamento:%d/%m/%Y}" if ultimo_caricamento else "nessuno è mai stato caricato"
    return (f"Fonte «{fonte_id}»: un nuovo estratto era atteso dal {attesa:%d/%m/%Y} (tolleranza {cal.tolleranza_giorni} "
            f"giorni), {ultimo}: in ritardo di {giorni} giorni. Depositarlo in landing/{fonte_id}/.")
