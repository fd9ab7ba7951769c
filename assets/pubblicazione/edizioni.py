"""One multi-asset per edition (data/edizioni/*.yaml): every chart, the tables and the chapter (HTML, PDF),
built in one step so one Chromium serves every figure. Downstream of the quality findings: a
blocking finding stops the edition."""

import dagster as dg

from pipelines import settings
from pipelines.capitolo import GRAFICI_FISSI, carica_edizione
from pipelines.settings import DATA_DIR
from pipelines.warehouse import Warehouse

DEPS = [dg.AssetKey(k.split(".")) for k in (
    "marts.contesto_osservazioni", "marts.contesto_quote", "marts.contesto_ranghi", "marts.contesto_composizione",
    "marts.contesto_variazioni", "marts.contesto_indicatori", "marts.stato_salute", "marts.benchmark_confronto",
    "marts.riconciliazione_pubblicati", "marts.salute_prospetto", "marts.salute_esiti",
    "marts.salute_verifica_pubblicati", "qualita.rilievi_ente", "qualita.rilievi_contesto")]


def chart_names() -> list[str]:
    from pipelines.rapporto_salute import nomi_grafici

    return GRAFICI_FISSI + nomi_grafici()


def edition_asset(edizione_id: str) -> dg.AssetsDefinition:
    prefix = ["pubblicazione", edizione_id]
    charts = {name: dg.AssetSpec([*prefix, "grafici", name], deps=DEPS, skippable=True, group_name="pubblicazione",
                                 kinds={"plotly", "svg", "png"}, description=f"Grafico {name}: HTML interattivo, SVG e PNG")
              for name in chart_names()}
    tables = dg.AssetSpec([*prefix, "tabelle"], deps=DEPS, skippable=True, group_name="pubblicazione", kinds={"xlsx", "csv"},
                          description="Ogni tabella del capitolo in XLSX e CSV, con il titolo e la riga «Fonte:»")
    chapter = dg.AssetSpec([*prefix, "capitolo"], deps=DEPS, skippable=True, group_name="pubblicazione",
                           kinds={"html", "pdf"},
                           description="Il capitolo «Analisi del contesto» con lo stato di salute dell'Ente, in HTML "
                                       "accessibile e in PDF stampato dallo stesso Chromium")

    @dg.multi_asset(name=f"pubblica_{edizione_id}", specs=[*charts.values(), tables, chapter], can_subset=False)
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse):
        from pipelines.pubblicazione import pubblica

        edition = carica_edizione(edizione_id)
        if edition["camera"] != settings.camera_corrente().codice:
            context.log.info(f"Edizione {edizione_id} della Camera {edition['camera']}: non è la Camera di questa esecuzione.")
            return
        folder = settings.output_dir() / edizione_id
        with warehouse.reader() as conn:
            out = pubblica(conn, edizione_id, folder)
        for name, files in out["grafici"].items():
            if name in charts:
                yield dg.MaterializeResult(asset_key=charts[name].key, metadata={
                    "svg": str(files["svg"]), "png": str(files["png"]), "html": str(files["html"]),
                    "byte_svg": files["svg"].stat().st_size})
        yield dg.MaterializeResult(asset_key=tables.key, metadata={
            "tabelle": ", ".join(out["tabelle"]), "cartella": str(folder / "tabelle")})
        yield dg.MaterializeResult(asset_key=chapter.key, metadata={
            "html": dg.MetadataValue.path(str(out["html"])), "pdf": dg.MetadataValue.path(str(out["pdf"])),
            "ricostruito": out["ricostruita"],
            "sezioni": ", ".join(out["sezioni"])})

    return _asset


pubblicazione_assets = [edition_asset(p.stem) for p in sorted((DATA_DIR / "edizioni").glob("*.yaml"))]
