"""Editions of the chapter as data: a Camera, a document, a data cut-off and an edition date.

An edition file `data/edizioni/<id>.yaml` says which Camera, which document and title, the cut-off
printed at the start ("dati aggiornati al 30 settembre 2018") and the edition date (each figure uses
the latest release out by that date). It never lists periods: the chapter derives them from the data
available at the cut-off (`pipelines.capitolo.Capitolo.periodo`). A Camera without an edition file
has a current edition, `<codice>_corrente`, whose cut-off and date are today's.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from pipelines.settings import DATA_DIR, camere

CARTELLA = DATA_DIR / "edizioni"
CAMPI = {"camera", "documento", "titolo", "data_taglio", "data_edizione"}
FACOLTATIVI = {"id", "descrizione", "modello"}  # modello: the model chapter (data/catalog/capitolo_modello.csv)
CORRENTE = "_corrente"


class EdizioneNonValida(ValueError):
    """An edition file that cannot be used, with the Italian reason."""


def _data(value, campo: str, origine: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise EdizioneNonValida(f"{origine}: «{campo}» = «{value}» non è una data (scrivere 30/09/2018 o 2018-09-30).")


def ids() -> list[str]:
    """The ids of the edition files, sorted."""
    return sorted(p.stem for p in CARTELLA.glob("*.yaml"))


def carica(edizione_id: str, oggi: dt.date | None = None) -> dict:
    """Read and check one edition.

    `edizione_id` is a file id (data/edizioni/<id>.yaml) or `<codice>_corrente` for a Camera's current
    edition. Returns a dict with camera (code), camera_obj (settings.Camera), documento, titolo,
    data_taglio and data_edizione (datetime.date), id. Raises EdizioneNonValida with the Italian reason
    (unknown id or Camera, missing or unknown field, a date that is not one, a cut-off after the edition)."""
    path = CARTELLA / f"{edizione_id}.yaml"
    known = camere()
    if not path.exists():
        code = edizione_id[: -len(CORRENTE)].upper() if edizione_id.endswith(CORRENTE) else None
        if code in known:
            return corrente(code, oggi)
        raise EdizioneNonValida(f"Edizione «{edizione_id}» sconosciuta: le edizioni sono {', '.join(ids())} "
                                "(data/edizioni/) e, per ogni Camera, <codice>_corrente.")
    origine = f"data/edizioni/{path.name}"
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    missing = sorted(CAMPI - set(raw))
    unknown = sorted(set(raw) - CAMPI - FACOLTATIVI)
    if missing:
        raise EdizioneNonValida(f"{origine}: mancano i campi {', '.join(missing)}.")
    if unknown:
        raise EdizioneNonValida(f"{origine}: campi sconosciuti {', '.join(unknown)} (i periodi non si scrivono: "
                                "si ricavano dai dati disponibili alla data di aggiornamento).")
    ed = dict(raw, id=edizione_id)
    ed["camera"] = str(ed["camera"]).strip().upper()
    if ed["camera"] not in known:
        raise EdizioneNonValida(f"{origine}: Camera «{ed['camera']}» sconosciuta (data/camere/camere.yaml).")
    ed["data_taglio"] = _data(ed["data_taglio"], "data_taglio", origine)
    ed["data_edizione"] = _data(ed["data_edizione"], "data_edizione", origine)
    if ed["data_taglio"] > ed["data_edizione"]:
        raise EdizioneNonValida(f"{origine}: la data di aggiornamento dei dati ({ed['data_taglio']:%d/%m/%Y}) segue "
                                f"quella dell'edizione ({ed['data_edizione']:%d/%m/%Y}).")
    ed["camera_obj"] = known[ed["camera"]]
    return ed


def corrente(codice: str, oggi: dt.date | None = None) -> dict:
    """A Camera's current edition: the context chapter with every figure out by today."""
    camera = camere()[codice]
    oggi = oggi or dt.date.today()
    return {"id": f"{codice.lower()}{CORRENTE}", "camera": codice, "camera_obj": camera,
            "documento": "Osservatorio economico", "titolo": "Analisi del contesto",
            "data_taglio": oggi, "data_edizione": oggi, "corrente": True}


def data_aggiornamento(ed: dict) -> dt.date:
    """The date printed as "dati aggiornati al": an edition file's cut-off; for a current edition (cut-off
    today) the latest date its figures refer to, once the chapter is built (`data_dati`), else the cut-off."""
    return ed.get("data_dati") or ed["data_taglio"]


def della_camera(codice: str) -> list[str]:
    """The edition ids of a Camera: its edition files, or its current edition when it has none."""
    own = [i for i in ids() if carica(i)["camera"] == codice]
    return own or [f"{codice.lower()}{CORRENTE}"]


def cartella_uscita(edizione_id: str) -> str:
    """Folder name of an edition's outputs (the id, safe for a file system)."""
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", edizione_id)
