"""The context models before and after their rewrite (issue #13): same rows, and how much faster.

`benchmarks/sql_prima/` keeps the models as they were before the rewrite (the versions the recorded
"before" figures ran). On one warehouse, read-only, this script

- proves each rewritten model gives the same rows as its earlier version (`EXCEPT ALL` both ways;
  doubles compared to 10 significant digits, since a parallel sum may differ in its last bits from one
  run to the next, and the provinces ahead of a tie compared as sets, since the earlier version listed
  tied provinces in no fixed order);
- times both versions back to back in the same process, alternating, several rounds (medians, and
  their ratio: the machine's load weighs on both sides alike);
- with `--spiega`, writes DuckDB's EXPLAIN ANALYZE of both versions to the results folder.

    python benchmarks/bench_sql.py WAREHOUSE.duckdb [--giri 3] [--spiega]

A warehouse to try it on: `python benchmarks/nazionale.py /tmp/n/landing --scala 0.05`, then
`OSSERVATORIO_HOME=/tmp/n osservatorio run` (or the national benchmark, which builds one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
PRIMA = PROJECT / "benchmarks" / "sql_prima"
RESULTS = PROJECT / "benchmarks" / "risultati"

# the rewritten models, each with its earlier version in benchmarks/sql_prima/<layer>/<table>.sql
MODELLI = ["marts/contesto_composizione",
           "qualita/q01_contesto_somme"]

# ten significant digits of a double (NULL, zero, infinities and NaN as they are)
_SIGNIFICATIVE = ("CREATE OR REPLACE TEMP MACRO _sig10(x) AS CASE WHEN x IS NULL OR x = 0 OR isinf(x) OR isnan(x) "
                  "THEN x ELSE round(x, 9 - CAST(floor(log10(abs(x))) AS INTEGER)) END")


def sql(modello: str, prima: bool) -> str:
    """The rendered SELECT of a model: the current one (sql/) or its earlier version (sql_prima/)."""
    from pipelines.settings import SQL_DIR
    from pipelines.warehouse import render_model

    return render_model((PRIMA if prima else SQL_DIR) / f"{modello}.sql")


def _prepara(conn) -> None:
    from pipelines.warehouse import MACROS

    conn.execute(MACROS.read_text(encoding="utf-8"))
    conn.execute(_SIGNIFICATIVE)


def _colonne_confrontabili(conn, query: str) -> str:
    cols = []
    for name, kind, *_ in conn.execute(f"DESCRIBE ({query})").fetchall():
        q = f'"{name}"'
        if kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL"):
            cols.append(f"_sig10(CAST({q} AS DOUBLE)) AS {q}")
        elif kind.endswith("[]"):
            cols.append(f"list_sort({q}) AS {q}")
        else:
            cols.append(q)
    return ", ".join(cols)


def differenze(conn, modello: str) -> dict:
    """Rows of the earlier version missing from the current one and vice versa (0 and 0: the same
    rows, duplicates counted), with the row count of each. `conn` may be read-only."""
    _prepara(conn)
    old, new = sql(modello, True), sql(modello, False)
    cols = _colonne_confrontabili(conn, new)
    conn.execute(f"CREATE OR REPLACE TEMP TABLE _prima AS SELECT {cols} FROM ({old})")
    conn.execute(f"CREATE OR REPLACE TEMP TABLE _dopo AS SELECT {cols} FROM ({new})")
    out = {
        "righe_prima": conn.execute("SELECT count(*) FROM _prima").fetchone()[0],
        "righe_dopo": conn.execute("SELECT count(*) FROM _dopo").fetchone()[0],
        "solo_prima": conn.execute("SELECT count(*) FROM (FROM _prima EXCEPT ALL FROM _dopo)").fetchone()[0],
        "solo_dopo": conn.execute("SELECT count(*) FROM (FROM _dopo EXCEPT ALL FROM _prima)").fetchone()[0],
    }
    conn.execute("DROP TABLE _prima")
    conn.execute("DROP TABLE _dopo")
    return out


def cronometra(conn, modello: str, giri: int) -> dict:
    """Median seconds of building each version into a temporary table, alternating old and new."""
    _prepara(conn)
    tempi: dict[str, list[float]] = {"prima": [], "dopo": []}
    for giro in range(giri):
        order = ("prima", "dopo") if giro % 2 == 0 else ("dopo", "prima")
        for lato in order:
            query = sql(modello, lato == "prima")
            t0 = time.perf_counter()
            conn.execute(f"CREATE OR REPLACE TEMP TABLE _t AS {query}")
            tempi[lato].append(time.perf_counter() - t0)
            conn.execute("DROP TABLE _t")
    prima, dopo = statistics.median(tempi["prima"]), statistics.median(tempi["dopo"])
    return {"prima_s": prima, "dopo_s": dopo, "rapporto": dopo / prima if prima else None, "giri": giri}


def spiega(conn, modello: str) -> dict[str, str]:
    _prepara(conn)
    return {lato: conn.execute(f"EXPLAIN ANALYZE {sql(modello, lato == 'prima')}").fetchall()[0][1]
            for lato in ("prima", "dopo")}


def _it(x: float, d: int = 2) -> str:
    return f"{x:,.{d}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def main() -> None:
    import duckdb

    from pipelines.warehouse import duckdb_config

    parser = argparse.ArgumentParser()
    parser.add_argument("magazzino", type=Path)
    parser.add_argument("--giri", type=int, default=3)
    parser.add_argument("--spiega", action="store_true")
    parser.add_argument("--uscita", type=Path, default=RESULTS)
    args = parser.parse_args()
    conn = duckdb.connect(str(args.magazzino), read_only=True, config=duckdb_config(args.magazzino))
    n = conn.execute("SELECT count(*) FROM marts.contesto_osservazioni").fetchone()[0]
    load = os.getloadavg()
    lines = [f"Modelli del contesto prima e dopo (#13), {dt.datetime.now().isoformat(timespec='seconds')}: "
             f"{os.cpu_count()} core, carico {_it(load[0])} / {_it(load[1])} / {_it(load[2])}; "
             f"{args.magazzino}: {_it(n, 0)} righe in marts.contesto_osservazioni",
             "",
             f"{'modello':34s} {'righe':>10s} {'diverse':>8s} {'prima (s)':>10s} {'dopo (s)':>10s} {'dopo/prima':>11s}"]
    for modello in MODELLI:
        diff = differenze(conn, modello)
        tempi = cronometra(conn, modello, args.giri)
        diverse = diff["solo_prima"] + diff["solo_dopo"]
        lines.append(f"{modello:34s} {_it(diff['righe_dopo'], 0):>10s} {diverse:>8d} {_it(tempi['prima_s']):>10s} "
                     f"{_it(tempi['dopo_s']):>10s} {_it(tempi['rapporto'], 3):>11s}")
        if args.spiega:
            args.uscita.mkdir(parents=True, exist_ok=True)
            for lato, piano in spiega(conn, modello).items():
                (args.uscita / f"spiega_{modello.replace('/', '.')}_{lato}.txt").write_text(piano, encoding="utf-8")
    lines.append("")
    lines.append(f"mediane di {args.giri} giri alternati, nello stesso processo; 'diverse' = righe in una sola versione "
                 "(EXCEPT ALL nei due sensi), deve essere 0")
    text = "\n".join(lines)
    print(text)
    args.uscita.mkdir(parents=True, exist_ok=True)
    out = args.uscita / f"sql_{dt.date.today().isoformat()}.txt"
    out.write_text(text + "\n", encoding="utf-8")
    print(f"\nRisultati: {out}")


if __name__ == "__main__":
    main()
