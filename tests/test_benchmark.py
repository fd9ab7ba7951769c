"""Benchmarking: panel statistics recomputed independently, ranks follow each indicator's direction."""

from __future__ import annotations

import statistics

import pytest


def test_panel_statistics_and_rank(lucca):
    rows = lucca.execute("SELECT camera, valore, media, mediana, rango, n_camere, origine, esito_confronto, favorevole "
                         "FROM marts.benchmark_confronto WHERE panel = 'toscana' AND indicatore = 'EQGC' "
                         "AND anno = 2017").fetchall()
    values = {r[0]: r[1] for r in rows}
    assert len(values) == 10 and rows[0][5] == 10
    assert rows[0][2] == pytest.approx(statistics.mean(values.values()))
    assert rows[0][3] == pytest.approx(statistics.median(values.values()))
    lucca_row = next(r for r in rows if r[0] == "LU")
    # Lucca is not in the panel extract: its own computed EQGC 2017 (107,2%) enters
    assert lucca_row[6] == "calcolato" and lucca_row[1] == pytest.approx(107.248954, abs=1e-5)
    # EQGC: lower is better, so rank 1 is the smallest value
    assert lucca_row[4] == 1 + sum(v < lucca_row[1] for v in values.values())
    assert lucca_row[8] is (lucca_row[1] < lucca_row[3])


def test_higher_is_better_ranks_descending(lucca):
    rows = lucca.execute("SELECT camera, valore, rango FROM marts.benchmark_confronto WHERE panel = 'nord_ovest' "
                         "AND indicatore = '370' AND anno = 2016 ORDER BY rango").fetchall()
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    assert [r[2] for r in rows] == [1, 2, 3]


def test_band_indicators_have_no_rank_and_everything_is_labelled_illustrative(lucca):
    assert lucca.execute("SELECT count(*) FROM marts.benchmark_confronto WHERE illustrativo IS NOT TRUE").fetchone()[0] == 0
    assert lucca.execute("SELECT count(*) FROM marts.benchmark_confronto WHERE direzione = 'banda' "
                         "AND rango IS NOT NULL").fetchone()[0] == 0
