"""Errors the office reads: Italian sentences naming the file, sheet, row and column, and the fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problema:
    file: str
    messaggio: str
    foglio: str | None = None
    riga: int | None = None
    colonna: str | None = None  # "E (valore)": Excel letter and header name

    def __str__(self) -> str:
        where = [f"cartella {self.file}" if self.file.endswith("/") else f"file {self.file}"]
        if self.foglio:
            where.append(f"foglio «{self.foglio}»")
        if self.riga is not None:
            where.append(f"riga {self.riga}")
        if self.colonna:
            where.append(f"colonna {self.colonna}")
        return f"{', '.join(where)}: {self.messaggio}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "foglio": self.foglio,
            "riga": self.riga,
            "colonna": self.colonna,
            "messaggio": self.messaggio,
        }


class ErroreEstratto(Exception):
    """An extract the pipeline refuses: nothing of it reaches the warehouse."""

    MAX_SHOWN = 20

    def __init__(self, problemi: list[Problema]):
        self.problemi = list(problemi)
        super().__init__(self.testo())

    def testo(self) -> str:
        n = len(self.problemi)
        head = "Estratto rifiutato: 1 problema" if n == 1 else f"Estratto rifiutato: {n} problemi"
        lines = [f"- {p}" for p in self.problemi[: self.MAX_SHOWN]]
        if n > self.MAX_SHOWN:
            lines.append(f"- … e altri {n - self.MAX_SHOWN} problemi dello stesso tipo")
        lines.append("Il magazzino dati è rimasto com'era: correggere il file e rilanciare.")
        return "\n".join([head, *lines])
