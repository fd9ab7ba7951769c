"""Smoke test of the national benchmark at a tiny size: the generator writes files the pipeline reads,
and the benchmark's report prints every figure with its verdict. No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_nazionale, nazionale  # noqa: E402


def test_generator_writes_every_source_in_its_real_format(tmp_path):
    from pipelines import catalog
    from pipelines.loading import read_source_file

    counts = nazionale.genera(tmp_path, scala=0.002)
    assert all(n > 0 for n in counts.values())
    for fonte in ("infocamere_opendata", "istat_demo_popolazione", "istat_demo_bilancio", "mef_irpef"):
        files = sorted(p for p in (tmp_path / fonte).glob("*.csv") if not p.name.startswith("_"))
        assert len(files) >= 2, fonte
        frame = read_source_file(files[-1], catalog.fonte(fonte))
        assert len(frame) and frame["valore"].notna().any(), fonte
        assert frame["rilascio"].nunique() == 1 and str(frame["rilascio"].iloc[0]) != "", fonte
    new = nazionale.infocamere_opendata_successivo(tmp_path)
    assert new.name.startswith("2025-03-31")


def test_report_prints_every_figure_with_a_verdict():
    run = {"totale_s": 10.0, "rss_mb": 500.0,
           "fasi": {"ingest": 1.0, "controlli": 1.0, "marts": 1.0, "grafici": 1.0, "documenti": 1.0,
                    "avvio_e_orchestrazione": 5.0},
           "passi": {"raw__infocamere_opendata": 2.0, "pubblica_lucca_pp2019": 4.0}}
    res = {"data": "2026-11-30T00:00:00", "scala": 0.01, "macchina": {"cpu": 2, "processore": "x", "memoria_gb": 8,
                                                                      "sistema": "Linux", "python": "3.11"},
           "righe_generate": {"infocamere_opendata": 100}, "lucca": run, "nazionale": {**run, "totale_s": 20.0},
           "noop": {**run, "totale_s": 2.0, "modelli": 54, "modelli_ricostruiti": []}, "incrementale": {**run, "totale_s": 4.0},
           "lettura_nuda": {"infocamere_opendata": {"righe": 100, "secondi": 1.0, "file": 2}},
           "capitoli": {"camere": 2, "camere_totali": 107, "lavoratori": 2, "totale_s": 8.0,
                        "per_camera_s": {"AG": 4.0, "AL": 4.0}}}
    text = bench_nazionale.stampa(res)
    for label in ("Lucca, aggiornamento completo", "nazionale, aggiornamento completo", "memoria di picco",
                  "rilancio senza novità", "un file nuovo", "un capitolo", "capitoli di 2 Camere",
                  "stima per tutte le 107", "infocamere_opendata"):
        assert label in text, label
    assert "0,100" in text and "0,200" in text  # the no-op and one-file ratios, computed
    assert "rilancio senza novità: modelli SQL ricostruiti" in text and "0 di 54" in text
    assert text.count(" OK") + text.count(" NO") >= 8


@pytest.mark.parametrize("scala", [0.0, -1.0])
def test_scale_must_be_positive(scala):
    with pytest.raises(ValueError):
        nazionale.Dimensioni.da_scala(scala)


def test_ingest_report_prints_before_and_after_ratios_with_a_verdict():
    fonti = {"infocamere_opendata": {"completo": 3.0, "senza_novita": 0.2}, "mef_irpef": {"completo": 1.2, "senza_novita": 0.1}}
    res = {"data": "2026-11-30T00:00:00", "scala": 0.03, "giri": 1, "prima": "main", "prima_commit": "abc1234",
           "macchina": {"cpu": 2, "processore": "x", "memoria_gb": 8, "sistema": "Linux", "python": "3.11"},
           "lettura_nuda": {"infocamere_opendata": {"righe": 100, "secondi": 2.0, "file": 2},
                            "mef_irpef": {"righe": 10, "secondi": 1.0, "file": 1}},
           "versioni": {"prima": {"fonti": {k: {"completo": v["completo"] * 10, "senza_novita": 1.0}
                                            for k, v in fonti.items()}},
                        "dopo": {"fonti": fonti}}}
    text = bench_nazionale.stampa_ingest(res)
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith(("infocamere", "mef"))}
    assert "15,0" in rows["infocamere_opendata"] and "1,5" in rows["infocamere_opendata"]  # 30/2, 3/2: computed
    assert rows["infocamere_opendata"].split()[-3] == "OK" and rows["mef_irpef"].split()[-3] == "OK"
    assert "prima = main (abc1234)" in text
