"""Every call to Chromium (kaleido's chart export, the PDF print) under a time limit, so publishing never hangs.

Each call runs in a child process started in its own session: when the limit passes, or the run
is interrupted (SIGTERM/SIGINT, which Dagster raises in the step), the whole process group,
Chromium included, is killed and the office gets an Italian message naming what was being
produced and what to check. A Chromium that never answers (plotly/Kaleido issues #87, #110, #134,
"write_image hangs") therefore costs at most the limit, never the run.

Run as `python -m pipelines.chromium <lavoro.json>` it is the chart exporter's child process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

LIMITE_PREDEFINITO = 180.0   # seconds; a whole edition's charts take about 10 s on two cores


class ChromiumBloccato(RuntimeError):
    """Chromium did not finish within the time limit (Italian message naming the output)."""


def limite_secondi() -> float:
    """Time limit of one Chromium call: OSSERVATORIO_LIMITE_CHROMIUM seconds, default 180."""
    value = os.environ.get("OSSERVATORIO_LIMITE_CHROMIUM")
    try:
        return float(value) if value else LIMITE_PREDEFINITO
    except ValueError:
        raise ValueError(f"OSSERVATORIO_LIMITE_CHROMIUM=«{value}» non è un numero di secondi") from None


def consigli(browser: str) -> str:
    return (f"Controllare che Chromium si avvii da solo (`{browser} --headless --no-sandbox --version` deve rispondere "
            "subito), che BROWSER_PATH indichi il Chromium di sistema e non un altro programma, che non restino "
            "processi chromium bloccati (ps -ef | grep chromium) e, su una macchina molto lenta, alzare il limite "
            "con OSSERVATORIO_LIMITE_CHROMIUM (secondi).")


def esegui(cmd: list[str], limite: float, bloccato: Callable[[], str]) -> subprocess.CompletedProcess:
    """Run `cmd` in a new session; return its CompletedProcess (text stdout/stderr).

    Raises ChromiumBloccato with `bloccato()` as message when it runs longer than `limite` seconds.
    On that or any interruption the child's whole process group is killed before returning."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    finished = False
    try:
        out, err = proc.communicate(timeout=limite)
        finished = True
    except subprocess.TimeoutExpired:
        raise ChromiumBloccato(bloccato()) from None
    finally:
        if not finished:
            _kill_group(proc)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the child, its process group and every descendant, and wait until they are gone.

    kaleido's choreographer starts Chromium in a session of its own, so the group alone would leave
    the browser running: the tree is frozen top-down (SIGSTOP, so nobody forks meanwhile), then killed."""
    tree, todo = [], [proc.pid]
    while todo:
        pid = todo.pop()
        if pid in tree:
            continue
        tree.append(pid)
        _signal(pid, signal.SIGSTOP)
        todo += _children(pid)
    for pid in tree:
        _signal(pid, signal.SIGKILL)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    for _ in range(200):   # a killed process lingers until the kernel schedules its exit
        if not any(_running(pid) for pid in tree[1:]):
            break
        time.sleep(0.05)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _running(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _children(parent: int) -> list[int]:
    """Process ids whose parent is `parent`, read from /proc (Linux); empty where /proc is missing."""
    out = []
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if fields is not None and int(fields[1]) == parent:
            out.append(int(entry.name))
    return out


def esporta_immagini(figure: list[tuple[str, object, dict[str, Path]]], cartella: Path, browser: str) -> None:
    """Write each figure's SVG and PNG (paths in its dict) with kaleido, in one child process under the limit.

    `figure`: (name, plotly Figure, {"svg": Path, "png": Path}). Raises ChromiumBloccato naming the first
    chart not written, RuntimeError (Italian) if the exporter failed."""
    limite = limite_secondi()
    lavoro = cartella / ".esportazione.json"
    specs = []
    for nome, fig, paths in figure:
        spec = cartella / f".{nome}.json"
        spec.write_text(fig.to_json(), encoding="utf-8")
        specs.append({"nome": nome, "json": str(spec), "svg": str(paths["svg"]), "png": str(paths["png"])})
    lavoro.write_text(json.dumps(specs), encoding="utf-8")

    def bloccato() -> str:
        missing = [s["nome"] for s in specs
                   if not all(Path(s[f]).exists() and Path(s[f]).stat().st_size for f in ("svg", "png"))]
        who = f"il grafico «{missing[0]}»" + (f" (e altri {len(missing) - 1} non ancora scritti)" if len(missing) > 1 else "") \
            if missing else "la chiusura del browser"
        return (f"Esportazione dei grafici interrotta: Chromium (kaleido) non ha esportato entro {limite:g} secondi "
                f"{who} in {cartella}. " + consigli(browser))

    try:
        result = esegui([sys.executable, "-m", "pipelines.chromium", str(lavoro)], limite, bloccato)
    finally:
        for s in specs:
            Path(s["json"]).unlink(missing_ok=True)
        lavoro.unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(f"Esportazione dei grafici in {cartella} non riuscita (kaleido, codice {result.returncode}): "
                           f"{result.stderr.strip()[-800:]}\n" + consigli(browser))


def _esporta(lavoro: Path) -> None:
    """Child process: one kaleido server (one Chromium, MathJax off) for every figure of the job."""
    import kaleido
    import plotly.io as pio

    specs = json.loads(lavoro.read_text(encoding="utf-8"))
    figs = [pio.from_json(Path(s["json"]).read_text(encoding="utf-8")) for s in specs]
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        pio.write_images(figs, [s["svg"] for s in specs])
        pio.write_images(figs, [s["png"] for s in specs], scale=2)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


if __name__ == "__main__":
    _esporta(Path(sys.argv[1]))
