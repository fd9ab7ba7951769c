"""The download from the Istat web service: the asset upstream of raw.istat_sdmx.

It writes the responses of the dataflows in data/registry/istat_dataflows.yaml into the cache
folder (landing/istat_sdmx/ by default), where raw.istat_sdmx loads them; it never touches the
warehouse. It runs in the `istat_web` concurrency pool (one step at a time across runs), and every
request is booked in the client's ledger file, so the project never exceeds Istat's budget.
"""

import dagster as dg

RISPOSTE_ISTAT = dg.AssetKey(["landing", "istat_sdmx"])


@dg.asset(
    key=RISPOSTE_ISTAT,
    group_name="istat",
    kinds={"csv"},
    pool="istat_web",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=120, backoff=dg.Backoff.EXPONENTIAL),
    description="Risposte del servizio web Istat (SDMX-CSV) per i dataflow di data/registry/istat_dataflows.yaml, "
                "salvate in landing/istat_sdmx/ (o OSSERVATORIO_ISTAT_CACHE): al massimo 5 richieste al minuto fra "
                "tutti i processi, un rilascio rivisto diventa un file nuovo, quelli vecchi restano. "
                "Fonte: Istat, CC BY 4.0.",
    metadata={"editore": "Istat - servizio web SDMX (agenzia IT1)", "licenza": "CC BY 4.0",
              "configurazione": "data/registry/istat_dataflows.yaml"},
)
def risposte_istat(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Refresh every registered dataflow; returns the files and which of them are new releases.

    A 429 (or a ban still running) fails the step at once with the Italian message saying until
    when Istat blocks the client, and Dagster does not retry it; other failures (5xx after the
    client's own retries, network) are retried by the asset's retry policy, which re-reads the cache."""
    from pipelines.istat import IstatBloccato, IstatClient, load_config

    config = load_config()
    client = IstatClient.from_config(config=config)
    try:
        done = client.aggiorna(config["dataflow"], log=context.log.info)
    except IstatBloccato as exc:
        raise dg.Failure(description=str(exc), allow_retries=False,
                         metadata={"richieste": client.calls}) from None
    new = [d.file.name for d in done if d.nuovo]
    return dg.MaterializeResult(metadata={
        "cartella": str(client.cache_dir),
        "richieste": client.calls,
        "nuovi_rilasci": ", ".join(new) or "nessuno",
        "file_correnti": dg.MetadataValue.md("\n".join(f"- {d.nome}: {d.file.name}" for d in done)),
    })


istat_assets = [risposte_istat]
