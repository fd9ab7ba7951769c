"""National benchmark: Lucca and the national set, full refresh, no-op rerun, one new file, chapters.

Every scenario runs in a fresh Python process, as a user's command would (imports, Great
Expectations and Chromium starts count on every side alike), against its own temporary home.
Printed in one run, each with its ratio and its verdict against the issue's target:

- full refresh of the main job for Lucca (bundled sample) and for the national set
  (`benchmarks/nazionale.py`, size knob `--scala`, 1 = 20 years and 80 quarterly InfoCamere stocks);
- seconds per stage: ingest (raw steps without validation), checks (Great Expectations and the
  quality models), marts (meta, territory, staging, marts), charts, documents (tables, HTML, PDF);
- ingest per source against a bare DuckDB `read_csv` of the same files (rows read per second);
- a rerun with nothing new and a refresh after one new InfoCamere quarter, as ratios to the full refresh;
- peak resident memory of each process; one Camera's chapter; every Camera's chapter (one Chromium
  per worker).

Results go to `benchmarks/risultati/` (JSON and a Markdown summary with machine and date).

    python benchmarks/bench_nazionale.py [--scala 1.0] [--capitoli 0 = tutte] [--lavoratori 2]

`--solo-ingest` times only the raw steps of the national set against the bare DuckDB read, and with
`--prima REF` (a git revision, e.g. main) the same steps of that revision too, alternated in one run
(`--giri N` rounds, medians): per source, before and after, each as a ratio to the bare read, then the
same steps rerun with nothing new.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
RESULTS = PROJECT / "benchmarks" / "risultati"

TARGETS = {  # the targets (seconds, ratios, MB)
    "lucca_s": 30.0, "nazionale_s": 300.0, "nazionale_rss_mb": 2048.0, "ingest_rapporto": 1.5,
    "noop_rapporto": 0.05, "incrementale_rapporto": 0.10, "capitolo_s": 10.0,
}


# --- child side: one scenario in this process -----------------------------------------------

def _national_camere() -> None:
    """Make the Camere of the national set known to this process (one per province)."""
    from benchmarks.nazionale import camere_nazionali
    from pipelines import capitolo, settings

    known = settings.camere()
    extra = {code: settings.Camera(codice=code, nome=c["nome"], province=tuple(c["province"]), regione=c["regione"],
                                   campione=None)
             for code, c in camere_nazionali().items() if code not in known}

    def camere():
        return {**known, **extra}

    settings.camere = camere
    capitolo.camere = camere


class _Cronometro:
    """Seconds spent inside a few functions of the pipeline (validation, charts, PDF), by wrapping them."""

    def __init__(self):
        self.secondi: dict[str, float] = {}

    def avvolgi(self, module, name: str, label: str) -> None:
        fn = getattr(module, name)

        def wrapped(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.secondi[label] = self.secondi.get(label, 0.0) + time.perf_counter() - t0

        setattr(module, name, wrapped)


def esegui(nazionale: bool) -> dict:
    """Run the main job once in this process; return wall time, step times, stage times, peak RSS."""
    t0 = time.perf_counter()
    import dagster as dg

    from pipelines import grafici, loading, pubblicazione

    if nazionale:
        _national_camere()
    crono = _Cronometro()
    crono.avvolgi(loading, "validate", "controlli_gx")
    crono.avvolgi(pubblicazione, "scrivi", "grafici")
    from pipelines.definitions import defs
    from pipelines.jobs import MAIN_JOB

    from pipelines.runs import esegui_lavoro

    result = esegui_lavoro(
        dg.DagsterInstance.ephemeral(), MAIN_JOB, tutte=True, raise_on_error=True,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    total = time.perf_counter() - t0
    steps = {e.step_key: e.event_specific_data.duration_ms / 1000
             for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    gx = crono.secondi.get("controlli_gx", 0.0)
    charts = crono.secondi.get("grafici", 0.0)
    stages = {"ingest": 0.0, "controlli": gx, "marts": 0.0, "grafici": charts, "documenti": 0.0}
    for key, secs in steps.items():
        if key.startswith("raw__"):
            stages["ingest"] += secs
        elif key.startswith("qualita__"):
            stages["controlli"] += secs
        elif key.startswith("pubblica_"):
            stages["documenti"] += secs
        else:
            stages["marts"] += secs
    stages["ingest"] -= gx
    stages["documenti"] -= charts
    stages["avvio_e_orchestrazione"] = total - sum(steps.values())
    return {"totale_s": total, "passi": steps, "fasi": stages, **_ricostruiti(result),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _ricostruiti(result) -> dict:
    """Which SQL models the run rebuilt (their materialization says `ricostruita`), out of how many it ran."""
    rebuilt, models = [], 0
    for e in result.all_events:
        if e.event_type_value != "ASSET_MATERIALIZATION":
            continue
        mat = e.event_specific_data.materialization
        flag = mat.metadata.get("ricostruita")
        if flag is None:
            continue
        models += 1
        if getattr(flag, "value", flag):
            rebuilt.append(mat.asset_key.to_user_string())
    return {"modelli": models, "modelli_ricostruiti": sorted(rebuilt)}


def ingest(progetto: Path | None) -> dict:
    """Run only the raw steps of the main job in this process, with the code of `progetto` (default this
    checkout); return their seconds (the raw step of each source: parse, validate, write) and the total."""
    if progetto is not None:
        sys.path.insert(0, str(progetto))
    t0 = time.perf_counter()
    import dagster as dg

    _national_camere()
    from pipelines.definitions import defs
    from pipelines.jobs import MAIN_JOB

    job = defs.resolve_job_def(MAIN_JOB)
    raw = [k for k in defs.resolve_all_asset_keys() if k.path[0] == "raw"]
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=True, asset_selection=raw,
                                    run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    steps = {e.step_key: e.event_specific_data.duration_ms / 1000
             for e in result.all_events if e.event_type_value == "STEP_SUCCESS"}
    return {"totale_s": time.perf_counter() - t0, "passi": steps,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _step_of(fonte: str, steps: dict) -> float | None:
    """Seconds of the raw step loading `fonte` (bilancio's step is raw__bilancio_voci)."""
    step = next((v for k, v in steps.items() if k.startswith("raw__") and fonte in k), None)
    if step is None:
        step = next((v for k, v in steps.items() if k.startswith("raw__") and fonte.split("_")[0] in k), None)
    return step


def misura_ingest(scala: float, prima: str | None, giri: int) -> dict:
    """The national set's ingest: bare DuckDB read, then the raw steps of this checkout and of `prima`
    (a git revision exported aside), each in a fresh process on its own empty warehouse, then rerun
    with nothing new; `giri` alternated rounds."""
    from benchmarks.nazionale import genera

    res: dict = {"tipo": "ingest", "data": dt.datetime.now().isoformat(timespec="seconds"), "scala": scala,
                 "prima": prima, "giri": giri, "macchina": _macchina()}
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        tmp = Path(tmp)
        landing = tmp / "landing"
        res["righe_generate"] = genera(landing, scala)
        versions = {"dopo": PROJECT}
        if prima:
            export = tmp / "prima"
            export.mkdir()
            archive = subprocess.run(["git", "-C", str(PROJECT), "archive", prima], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(export)], input=archive.stdout, check=True)
            res["prima_commit"] = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--short", prima],
                                                 capture_output=True, text=True, check=True).stdout.strip()
            versions = {"prima": export, "dopo": PROJECT}
        runs: dict[str, list] = {k: [] for k in versions}
        bare = []
        for giro in range(giri):
            bare.append(lettura_nuda(landing))
            for label, folder in (versions.items() if giro % 2 == 0 else reversed(versions.items())):
                home = tmp / f"{label}_{giro}"
                env = {"OSSERVATORIO_LANDING": str(landing)}
                full = _child(["--fase", "ingest", "--progetto", str(folder)], home, env)
                noop = _child(["--fase", "ingest", "--progetto", str(folder)], home, env)
                runs[label].append({"completo": full, "senza_novita": noop})
        res["lettura_nuda"] = {f: {"righe": bare[0][f]["righe"], "file": bare[0][f]["file"],
                                   "secondi": statistics.median(b[f]["secondi"] for b in bare)} for f in bare[0]}
        res["versioni"] = {}
        for label, rounds in runs.items():
            out = {}
            for fonte in res["lettura_nuda"]:
                for kind in ("completo", "senza_novita"):
                    times = [_step_of(fonte, r[kind]["passi"]) for r in rounds]
                    if None not in times:
                        out.setdefault(fonte, {})[kind] = statistics.median(times)
            res["versioni"][label] = {"fonti": out, "giri": rounds}
    return res


def stampa_ingest(res: dict) -> str:
    m = res["macchina"]
    lines = [f"Ingest nazionale, {res['data']}: {m['cpu']} core ({m['processore']}), {m['memoria_gb']} GB, "
             f"{m['sistema']}, Python {m['python']}; scala {_it(res['scala'], 3)}; {res['giri']} giri alternati, mediane",
             "Ogni passo raw__<fonte> (lettura, controlli Great Expectations, scrittura) in un processo nuovo su un "
             "magazzino vuoto, poi rilanciato senza novità; rapporto = passo / lettura nuda DuckDB (read_csv) degli "
             "stessi file."]
    if res.get("prima"):
        lines.append(f"prima = {res['prima']} ({res.get('prima_commit', '')}), dopo = questa versione, nello stesso giro.")
    versions = [v for v in ("prima", "dopo") if v in res["versioni"]]
    head = f"{'fonte':24s} {'righe':>9s} {'file':>5s} {'DuckDB (s)':>11s}"
    for v in versions:
        head += f" {v + ' (s)':>10s} {'rapporto':>9s}"
    head += f" {'esito':>6s}"
    for v in versions:
        head += f" {v + ', senza novità (s)':>26s}"
    lines += ["", head]
    for fonte, bare in res["lettura_nuda"].items():
        if not all(fonte in res["versioni"][v]["fonti"] for v in versions):
            continue
        row = f"{fonte:24s} {_it(bare['righe'], 0):>9s} {bare['file']:>5d} {_it(bare['secondi'], 2):>11s}"
        ratio = None
        for v in versions:
            step = res["versioni"][v]["fonti"][fonte]["completo"]
            ratio = step / bare["secondi"]
            row += f" {_it(step, 2):>10s} {_it(ratio, 1):>9s}"
        row += f" {_verdict(ratio <= TARGETS['ingest_rapporto']):>6s}"
        for v in versions:
            row += f" {_it(res['versioni'][v]['fonti'][fonte]['senza_novita'], 2):>26s}"
        lines.append(row)
    lines.append("")
    lines.append("esito: il rapporto di «dopo» entro " + _it(TARGETS["ingest_rapporto"], 1) + " volte la lettura nuda")
    return "\n".join(lines)


def _macchina() -> dict:
    return {"cpu": os.cpu_count(), "processore": platform.processor() or platform.machine(),
            "sistema": platform.platform(), "python": platform.python_version(),
            "memoria_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def lettura_nuda(landing: Path) -> dict:
    """A bare DuckDB read of every file of every source: rows and seconds per source."""
    import duckdb

    out = {}
    conn = duckdb.connect()
    conn.execute("SET preserve_insertion_order = false")
    for folder in sorted(p for p in landing.iterdir() if p.is_dir()):
        files = sorted(str(p) for p in folder.glob("*.csv") if not p.name.startswith("_"))
        if not files:
            continue
        sep = ";" if folder.name in ("infocamere_opendata", "mef_irpef") else ","
        skip = 1 if folder.name == "istat_demo_popolazione" else 0
        t0 = time.perf_counter()
        conn.execute(f"CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_csv({files!r}, delim='{sep}', skip={skip}, "
                     "header=true, union_by_name=true, all_varchar=true)")
        rows = conn.execute("SELECT count(*) FROM t").fetchone()[0]
        out[folder.name] = {"righe": rows, "secondi": time.perf_counter() - t0, "file": len(files)}
    return out


def capitoli(codici: list[str], cartella: Path) -> dict:
    """Publish one edition per Camera (the default edition's periods, that Camera's territory) from a read-only warehouse."""
    t0 = time.perf_counter()
    _national_camere()
    from pipelines import capitolo, settings
    from pipelines.pubblicazione import pubblica

    base = capitolo.carica_edizione
    default = sorted((PROJECT / "data" / "edizioni").glob("*.yaml"))[0].stem

    def edizione(edizione_id: str) -> dict:
        ed = base(default)
        code = edizione_id.removeprefix("bench_")
        ed.update(id=edizione_id, camera=code, camera_obj=settings.camere()[code])
        return ed

    capitolo.carica_edizione = edizione
    import duckdb

    tempi = {}
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as conn:
        for code in codici:
            t1 = time.perf_counter()
            try:
                pubblica(conn, f"bench_{code}", cartella / code)
                tempi[code] = time.perf_counter() - t1
            except Exception as exc:  # noqa: BLE001 - a Camera without data: counted, not fatal
                tempi[code] = None
                print(f"capitolo {code}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return {"totale_s": time.perf_counter() - t0, "capitoli": tempi,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# --- parent side: the scenarios, each in a fresh process --------------------------------------

def _child(args: list[str], home: Path, extra_env: dict | None = None) -> dict:
    env = {**os.environ, "OSSERVATORIO_HOME": str(home), "GX_ANALYTICS_ENABLED": "False"}
    env.pop("OSSERVATORIO_CAMERA", None)
    env.pop("OSSERVATORIO_LANDING", None)
    env.pop("OSSERVATORIO_WAREHOUSE", None)
    env.update(extra_env or {})
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, cwd=PROJECT)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} non riuscito:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _verdict(ok: bool) -> str:
    return "OK" if ok else "NO"


def _it(x: float, d: int = 1) -> str:
    return f"{x:,.{d}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def misura(scala: float, n_capitoli: int, lavoratori: int) -> dict:
    from benchmarks.nazionale import camere_nazionali, genera, infocamere_opendata_successivo

    res: dict = {"data": dt.datetime.now().isoformat(timespec="seconds"), "scala": scala, "macchina": _macchina()}
    with tempfile.TemporaryDirectory(prefix="bench_nazionale_") as tmp:
        tmp = Path(tmp)
        res["lucca"] = _child(["--fase", "esegui"], tmp / "lucca")
        home = tmp / "nazionale"
        t0 = time.perf_counter()
        res["righe_generate"] = genera(home / "landing", scala)
        res["generazione_s"] = time.perf_counter() - t0
        res["lettura_nuda"] = lettura_nuda(home / "landing")
        res["nazionale"] = _child(["--fase", "esegui", "--nazionale"], home)
        res["noop"] = _child(["--fase", "esegui", "--nazionale"], home)
        # the rewritten context models against their earlier versions, on this warehouse, in one process
        sql = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "bench_sql.py"),
                              str(home / "warehouse" / "osservatorio.duckdb"), "--uscita", str(tmp / "sql")],
                             capture_output=True, text=True, cwd=PROJECT)
        res["sql"] = sql.stdout.split("\nRisultati:")[0] if sql.returncode == 0 else f"non riuscito: {sql.stderr[-500:]}"
        infocamere_opendata_successivo(home / "landing")
        res["incrementale"] = _child(["--fase", "esegui", "--nazionale"], home)
        codici = sorted(camere_nazionali())
        if n_capitoli:
            codici = codici[:n_capitoli]
        chunks = [codici[i::lavoratori] for i in range(lavoratori)]
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, __file__, "--fase", "capitoli", "--cartella", str(tmp / "capitoli"),
                                   *c], env={**os.environ, "OSSERVATORIO_HOME": str(home)},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT)
                 for c in chunks if c]
        outs = [p.communicate() for p in procs]
        wall = time.perf_counter() - t0
        per = {}
        for (stdout, stderr), p in zip(outs, procs):
            if p.returncode != 0:
                raise RuntimeError(f"capitoli non riusciti:\n{stderr[-3000:]}")
            per.update(json.loads(stdout.strip().splitlines()[-1])["capitoli"])
        res["capitoli"] = {"camere": len(codici), "camere_totali": len(camere_nazionali()), "lavoratori": lavoratori,
                           "totale_s": wall, "per_camera_s": per}
    return res


def stampa(res: dict) -> str:
    lines = []
    m = res["macchina"]
    lines.append(f"Benchmark nazionale, {res['data']}: {m['cpu']} core ({m['processore']}), {m['memoria_gb']} GB, "
                 f"{m['sistema']}, Python {m['python']}; scala {_it(res['scala'], 2)}")
    gen = res["righe_generate"]
    lines.append(f"Insieme nazionale: {sum(gen.values()):,d} righe in ingresso".replace(",", ".") + " ("
                 + ", ".join(f"{k} {v:,d}".replace(",", ".") for k, v in gen.items()) + ")")
    lu, na = res["lucca"], res["nazionale"]
    lines.append("")
    lines.append(f"{'misura':46s} {'valore':>12s} {'obiettivo':>12s} {'esito':>6s}")
    def row(label, value, target, ok):
        lines.append(f"{label:46s} {value:>12s} {target:>12s} {_verdict(ok):>6s}")
    row("Lucca, aggiornamento completo (s)", _it(lu["totale_s"]), f"< {_it(TARGETS['lucca_s'], 0)}",
        lu["totale_s"] < TARGETS["lucca_s"])
    row("nazionale, aggiornamento completo (s)", _it(na["totale_s"]), f"< {_it(TARGETS['nazionale_s'], 0)}",
        na["totale_s"] < TARGETS["nazionale_s"])
    row("nazionale / Lucca (rapporto)", _it(na["totale_s"] / lu["totale_s"], 2), "", True)
    row("nazionale, memoria di picco (MB)", _it(na["rss_mb"], 0), f"< {_it(TARGETS['nazionale_rss_mb'], 0)}",
        na["rss_mb"] < TARGETS["nazionale_rss_mb"])
    row("Lucca, memoria di picco (MB)", _it(lu["rss_mb"], 0), "", True)
    noop = res["noop"]["totale_s"] / na["totale_s"]
    inc = res["incrementale"]["totale_s"] / na["totale_s"]
    row(f"rilancio senza novità ({_it(res['noop']['totale_s'])} s) / completo", _it(noop, 3),
        f"< {_it(TARGETS['noop_rapporto'], 2)}", noop < TARGETS["noop_rapporto"])
    row(f"un file nuovo ({_it(res['incrementale']['totale_s'])} s) / completo", _it(inc, 3),
        f"< {_it(TARGETS['incrementale_rapporto'], 2)}", inc < TARGETS["incrementale_rapporto"])
    for label, run in (("rilancio senza novità", res["noop"]), ("un file nuovo", res["incrementale"])):
        if "modelli" in run:
            n = len(run["modelli_ricostruiti"])
            row(f"{label}: modelli SQL ricostruiti", f"{n} di {run['modelli']}", "" if label == "un file nuovo" else "0",
                n == 0 or label == "un file nuovo")
    pub = [v for k, v in lu["passi"].items() if k.startswith("pubblica_")]
    if pub:
        row("un capitolo (Lucca, grafici e PDF) (s)", _it(max(pub)), f"< {_it(TARGETS['capitolo_s'], 0)}",
            max(pub) < TARGETS["capitolo_s"])
    cap = res["capitoli"]
    ok = [v for v in cap["per_camera_s"].values() if v is not None]
    if ok:
        label = f"capitoli di {cap['camere']} Camere, {cap['lavoratori']} processi (s)"
        row(label, _it(cap["totale_s"]), "", True)
        if cap["camere"] < cap["camere_totali"]:
            stima = cap["totale_s"] / cap["camere"] * cap["camere_totali"]
            row(f"  stima per tutte le {cap['camere_totali']} Camere (s)", _it(stima), "", True)
    lines.append("")
    lines.append(f"{'fase (s)':24s} {'Lucca':>10s} {'nazionale':>10s} {'senza novità':>13s} {'un file':>9s}")
    for fase in na["fasi"]:
        lines.append(f"{fase:24s} {_it(lu['fasi'][fase], 2):>10s} {_it(na['fasi'][fase], 2):>10s} "
                     f"{_it(res['noop']['fasi'][fase], 2):>13s} {_it(res['incrementale']['fasi'][fase], 2):>9s}")
    lines.append("")
    lines.append(f"{'ingest per fonte':24s} {'righe lette':>12s} {'DuckDB (s)':>11s} {'pipeline (s)':>13s} "
                 f"{'righe/s':>10s} {'rapporto':>9s} {'esito':>6s}")
    for fonte, bare in res["lettura_nuda"].items():
        step = _step_of(fonte, na["passi"])
        if step is None:
            continue
        ratio = step / bare["secondi"]
        lines.append(f"{fonte:24s} {_it(bare['righe'], 0):>12s} {_it(bare['secondi'], 2):>11s} {_it(step, 2):>13s} "
                     f"{_it(bare['righe'] / step, 0):>10s} {_it(ratio, 1):>9s} "
                     f"{_verdict(ratio <= TARGETS['ingest_rapporto']):>6s}")
    if res.get("sql"):
        lines += ["", res["sql"]]
    lines.append("")
    lines.append("passi più lenti (nazionale, s): " + "; ".join(
        f"{k} {_it(v, 1)}" for k, v in sorted(na["passi"].items(), key=lambda kv: -kv[1])[:8]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scala", type=float, default=1.0)
    parser.add_argument("--capitoli", type=int, default=0, help="quante Camere pubblicare (0 = tutte)")
    parser.add_argument("--lavoratori", type=int, default=2)
    parser.add_argument("--fase", choices=["esegui", "capitoli", "ingest"])
    parser.add_argument("--solo-ingest", action="store_true", help="solo i passi raw contro la lettura nuda DuckDB")
    parser.add_argument("--prima", help="revisione git da misurare nello stesso giro (es. main)")
    parser.add_argument("--giri", type=int, default=1)
    parser.add_argument("--progetto", type=Path)
    parser.add_argument("--nazionale", action="store_true")
    parser.add_argument("--cartella", type=Path)
    parser.add_argument("--uscita", type=Path, default=RESULTS)
    parser.add_argument("codici", nargs="*")
    args = parser.parse_args()
    if args.fase == "esegui":
        print(json.dumps(esegui(args.nazionale)))
        return
    if args.fase == "capitoli":
        print(json.dumps(capitoli(args.codici, args.cartella)))
        return
    if args.fase == "ingest":
        print(json.dumps(ingest(args.progetto)))
        return
    if args.solo_ingest:
        res = misura_ingest(args.scala, args.prima, args.giri)
        text = stampa_ingest(res)
        stem = f"ingest_{res['data'][:10]}_scala{res['scala']:g}"
    else:
        res = misura(args.scala, args.capitoli, args.lavoratori)
        text = stampa(res)
        stem = f"nazionale_{res['data'][:10]}_scala{res['scala']:g}"
    print(text)
    args.uscita.mkdir(parents=True, exist_ok=True)
    (args.uscita / f"{stem}.json").write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    (args.uscita / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nRisultati: {args.uscita / stem}.json, .txt")


if __name__ == "__main__":
    main()
