"""The code location loads as `dagster dev -w workspace.yaml` loads it, and every asset is described."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg
import yaml

from conftest import PROJECT


def test_definitions_validate():
    from pipelines.definitions import defs

    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw/bilancio_voci", "marts/indicatori_salute", "marts/benchmark_confronto", "qualita/rilievi"} <= keys
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, f"{key.to_user_string()} has no description"
    assert defs.resolve_job_def("osservatorio_completo")


def test_asset_keys_mirror_the_warehouse_tables():
    from pipelines.warehouse import model_table, sql_models

    from pipelines.definitions import defs

    keys = {k.to_user_string().replace("/", ".") for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {model_table(p) for p in sql_models()} <= keys


def test_workspace_yaml_points_at_the_code_location():
    spec = yaml.safe_load((PROJECT / "workspace.yaml").read_text())
    module = spec["load_from"][0]["python_module"]["module_name"]
    out = subprocess.run([sys.executable, "-c", f"import {module} as m; print(type(m.defs).__name__)"],
                         cwd=PROJECT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Definitions"


def test_dagster_cli_lists_the_assets():
    """`dagster asset list -m pipelines.definitions` is what the UI and CLI load."""
    out = subprocess.run([sys.executable, "-m", "dagster", "asset", "list", "-m", "pipelines.definitions"],
                         cwd=PROJECT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "marts/indicatori_salute" in out.stdout


def test_writers_share_one_pool():
    """Every asset that writes the warehouse is in the single-writer pool; publishing only reads it."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        if key.path[0] in ("pubblicazione", "landing"):  # landing/istat_sdmx downloads files, in its own pool
            continue
        assert graph.get(key).pools == {"duckdb_writer"}, key


def test_every_suite_loads_every_expectation():
    import json

    from pipelines.quality import load_suite

    for path in (PROJECT / "expectations").glob("*.json"):
        declared = len(json.loads(path.read_text())["expectations"])
        assert len(load_suite(path.stem).expectations) == declared > 0


def test_every_suite_is_generated_from_the_source_registry():
    """expectations/*.json are written by `python -m pipelines.contratto` from data/registry/fonti.yaml
    (columns, key, checks, measures): a suite edited by hand, or a registry changed without regenerating,
    fails here, so the suites and the registry cannot drift."""
    import json

    from pipelines import catalog, contratto

    on_disk = {p.stem for p in (PROJECT / "expectations").glob("*.json")}
    assert on_disk == set(contratto.suite_names())
    for name in contratto.suite_names():
        written = json.loads((PROJECT / "expectations" / f"{name}.json").read_text(encoding="utf-8"))
        assert written == contratto.genera_suite(name), f"rigenerare expectations/{name}.json"
    for fonte, spec in catalog.fonti().items():
        unique = next(e for e in contratto.genera_suite(spec["suite"])["expectations"]
                      if e["type"] == "expect_compound_columns_to_be_unique")
        assert unique["kwargs"]["column_list"] == spec["chiave"], fonte
        for misura, m in contratto.misure(spec).items():
            assert m.get("segno") in contratto.SEGNI and m.get("aggregazione") in contratto.AGGREGAZIONI, (fonte, misura)
            assert m.get("unita"), (fonte, misura)


def test_jobs_select_by_key_prefix_whatever_the_groups():
    """Jobs select by key prefix, never by group (groups are the UI's domains): the main job builds every
    table and the analysts' snapshot but publishes nothing and downloads nothing; the publishing job is
    exactly the Camera-partitioned publishing assets."""
    from assets.pubblicazione.edizioni import pubblica_camera
    from assets.pubblicazione.istantanea import ISTANTANEA
    from pipelines.definitions import defs
    from pipelines.warehouse import model_table, sql_models

    def selected(job: str) -> set[dg.AssetKey]:
        return set(defs.resolve_job_def(job).asset_layer.selected_asset_keys)

    main = selected("osservatorio_completo")
    assert {dg.AssetKey(model_table(p).split(".")) for p in sql_models()} | {ISTANTANEA} <= main
    assert not {k for k in main if k.path[0] in ("pubblicazione", "landing")}
    assert selected("pubblica_edizioni") == set(pubblica_camera.keys)
    everything = set(defs.resolve_asset_graph().get_all_asset_keys())
    assert main | selected("pubblica_edizioni") | selected("aggiorna_istat") == everything
    for half in ("salute_ente", "contesto_economico"):  # a half refreshes the analysts' snapshot too
        assert ISTANTANEA in selected(half) and selected(half) < main, half
    assert dg.AssetKey(["raw", "bilancio_voci"]) not in selected("contesto_economico")
    assert dg.AssetKey(["raw", "infocamere_stockview"]) not in selected("salute_ente")
