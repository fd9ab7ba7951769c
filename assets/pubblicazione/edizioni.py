"""The Camera's publications as one multi-asset partitioned by Camera: every chart, the tables and the
chapter (HTML, PDF) of each edition of that Camera (its files in data/edizioni/, or its current edition),
built in one step so one Chromium serves every figure. It reads the national context and the health
marts (unpartitioned, computed once for every Camera) through a read-only connection, downstream of
the quality findings: a blocking finding stops the edition. Missing data never fail it: what a
chapter leaves out is listed in the chapter and in the metadata."""

import contextlib

import dagster as dg

from assets.pubblicazione.istantanea import ISTANTANEA
from pipelines import edizioni, settings
from pipelines.capitolo import GRAFICI_FISSI
from pipelines.partizioni import camere_partizioni
from pipelines.warehouse import Warehouse

DEPS = [dg.AssetKey(k.split(".")) for k in (
    "marts.contesto_osservazioni", "marts.contesto_quote", "marts.contesto_ranghi", "marts.contesto_composizione",
    "marts.contesto_variazioni", "marts.contesto_indicatori", "marts.stato_salute", "marts.benchmark_confronto",
    "marts.riconciliazione_pubblicati", "marts.salute_prospetto", "marts.salute_esiti",
    "marts.salute_verifica_pubblicati", "marts.sezione_imprese_settori", "marts.sezione_specializzazione",
    "marts.sezione_turismo_aree", "marts.sezione_popolazione", "marts.sezione_irpef", "marts.sezione_imprese_status",
    "marts.sezione_turismo", "marts.salute_rilasci",
    "qualita.rilievi_ente", "qualita.rilievi_contesto")] + [ISTANTANEA]
PREFIX = ["pubblicazione"]
RILASCI_SUCCESSIVI = "rilasci_successivi"  # chapter metadata: edition id -> the note of pipelines.rapporto_salute


class ConfigEdizioni(dg.Config):
    """Which editions of the Camera to build (default: all of them)."""

    edizioni: list[str] = []


def chart_names() -> list[str]:
    from pipelines.rapporto_salute import nomi_grafici

    return GRAFICI_FISSI + nomi_grafici()


def _specs() -> tuple[dict[str, dg.AssetSpec], dg.AssetSpec, dg.AssetSpec]:
    charts = {name: dg.AssetSpec([*PREFIX, "grafici", name], deps=DEPS, skippable=True, group_name="pubblicazione",
                                 kinds={"plotly", "svg", "png"}, description=f"Grafico {name}: HTML interattivo, SVG e PNG")
              for name in chart_names()}
    tables = dg.AssetSpec([*PREFIX, "tabelle"], deps=DEPS, skippable=True, group_name="pubblicazione", kinds={"xlsx", "csv"},
                          description="Ogni tabella del capitolo in XLSX e CSV, con il titolo e la riga «Fonte:»")
    chapter = dg.AssetSpec([*PREFIX, "capitolo"], deps=DEPS, skippable=True, group_name="pubblicazione",
                           kinds={"html", "pdf"},
                           description="Il capitolo «Analisi del contesto» con lo stato di salute dell'Ente, in HTML "
                                       "accessibile e in PDF stampato dallo stesso Chromium; le parti senza dati sono "
                                       "elencate in «Informazioni non disponibili»")
    return charts, tables, chapter


CHARTS, TABLES, CHAPTER = _specs()


@dg.multi_asset(name="pubblica_camera", specs=[*CHARTS.values(), TABLES, CHAPTER], can_subset=False,
                partitions_def=camere_partizioni, backfill_policy=dg.BackfillPolicy.single_run())
def pubblica_camera(context: dg.AssetExecutionContext, config: ConfigEdizioni, warehouse: Warehouse):
    """Build the editions of the run's Camera (one partition, or every partition of a single-run backfill)
    into output/<edizione>/; metadata per edition. `config.edizioni` restricts a one-Camera run."""
    from pipelines.pubblicazione import pubblica

    codes = context.partition_keys
    chosen = []
    for codice in codes:
        own = edizioni.della_camera(codice)
        wanted = [e for e in config.edizioni if e in own or edizioni.carica(e)["camera"] == codice]
        chosen += wanted if config.edizioni else own
    foreign = sorted(set(config.edizioni) - set(chosen))
    if foreign:
        raise dg.Failure(description=f"Le edizioni {', '.join(foreign)} non sono della Camera {', '.join(codes)}.")
    charts_done, tables_done, chapters, missing = {}, [], {}, {}
    with contextlib.ExitStack() as stack:
        conn = stack.enter_context(warehouse.snapshot_reader())  # the analysts' snapshot: never the working file
        for edizione_id in chosen:
            out = pubblica(conn, edizione_id, settings.output_dir() / edizioni.cartella_uscita(edizione_id))
            for name, files in out["grafici"].items():
                charts_done.setdefault(name, files)
            tables_done += [f"{edizione_id}/{t}" for t in out["tabelle"]]
            chapters[edizione_id] = out
            missing[edizione_id] = out["mancanti"]
            context.log.info(f"{edizione_id}: {len(out['sezioni'])} sezioni, {len(out['mancanti'])} parti non disponibili")
            if out["rilasci_successivi"]:
                context.log.warning(f"{edizione_id}: {out['rilasci_successivi']}")
    for name, files in charts_done.items():
        if name in CHARTS:
            yield dg.MaterializeResult(asset_key=CHARTS[name].key, metadata={
                "svg": str(files["svg"]), "png": str(files["png"]), "html": str(files["html"]),
                "byte_svg": files["svg"].stat().st_size})
    yield dg.MaterializeResult(asset_key=TABLES.key, metadata={"tabelle": ", ".join(tables_done) or "nessuna"})
    first = next(iter(chapters.values()))
    yield dg.MaterializeResult(asset_key=CHAPTER.key, metadata={
        "edizioni": ", ".join(chapters),
        "ricostruite": ", ".join(e for e, o in chapters.items() if o["ricostruita"]) or "nessuna",
        "html": dg.MetadataValue.path(str(first["html"])), "pdf": dg.MetadataValue.path(str(first["pdf"])),
        "sezioni": "; ".join(f"{e}: {', '.join(o['sezioni']) or 'nessuna'}" for e, o in chapters.items()),
        # a dated edition whose health figures include releases later than its date (the console prints it)
        RILASCI_SUCCESSIVI: dg.MetadataValue.json({e: o["rilasci_successivi"] for e, o in chapters.items()
                                                   if o["rilasci_successivi"]}),
        "non_disponibili": dg.MetadataValue.md("\n".join(
            f"- {e}: {m.sezione}, {m.elemento}: {m.motivo}" for e, ms in missing.items() for m in ms) or "nulla"),
    })


pubblicazione_assets = [pubblica_camera]
