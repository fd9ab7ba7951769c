"""The contract of each table, read from the source registry (data/registry/fonti.yaml).

For each source the registry declares its columns (type, required, allowed values `valori`,
range `intervallo`, pattern `formato`), its key (`chiave`), extra row checks (`controlli`) and,
for the context sources, each measure (`misure`): unit, sign rule (`segno`: positivo |
qualsiasi), aggregation (`aggregazione`: additiva | rapporto | variazione | non_aggregabile, read by `catalog.misure`), plausible range and, for
SDMX dataflows, the data structure its messages may name instead of the dataflow (`struttura`).

From it come: the Great Expectations suites in expectations/ (`genera_suite`, written by
`python -m pipelines.contratto`; a test fails when a file on disk differs), the raw DDL and the
data-dictionary comments (`pipelines.loading.raw_columns`), the measure name, unit and
sign/range columns of publisher files (`applica`, `regole_misure`) and the duplicate-key checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipelines import catalog
from pipelines.errors import ErroreEstratto, Problema
from pipelines.settings import EXPECTATIONS_DIR

SEGNI = ("positivo", "qualsiasi")
AGGREGAZIONI = ("additiva", "rapporto", "variazione", "non_aggregabile")


def misure(spec: dict) -> dict[str, dict]:
    """Declared measures of a source: name -> {unita, segno, aggregazione, intervallo, struttura}."""
    return {str(k): v for k, v in (spec.get("misure") or {}).items()}


def misura(nome: str) -> tuple[str, dict] | None:
    """(source id, declaration) of a measure declared anywhere in the registry, or None."""
    for fonte_id, spec in catalog.fonti().items():
        if (m := misure(spec).get(str(nome))) is not None:
            return fonte_id, m
    return None


def _measure_names(spec: dict) -> dict[str, str]:
    """Every name a file may give a measure (its id, its SDMX structure, long dataflow ids) -> measure."""
    names = {}
    for name, m in misure(spec).items():
        names[name] = name
        for alias in [m.get("struttura"), *(m.get("alias") or [])]:
            if alias:
                names[str(alias)] = name
    return names


def applica(frame: pd.DataFrame, spec: dict, file_name: str) -> pd.DataFrame:
    """Give a parsed publisher file the measure names and units its contract declares.

    `frame` is tidy (pipelines.formats.TIDY). A measure named by its SDMX data structure or a
    long dataflow id gets its registered name; a missing unit comes from the measure (or the
    source's `unita`), never a default. Raises ErroreEstratto when the file yields no value, or
    a measure has no unit in the file nor in the registry.
    """
    if frame.empty or frame["valore"].isna().all():
        raise ErroreEstratto([Problema(file_name, "il file non contiene valori: nessuna riga con un numero "
                                                  "(solo intestazione, o tutti i valori mancanti)")])
    names = _measure_names(spec)
    frame["misura"] = _per_valore(frame["misura"], lambda m: names.get(str(m), m))
    declared = misure(spec)
    units = _per_valore(frame["misura"], lambda m: (declared.get(m) or {}).get("unita") or spec.get("unita"))
    frame["unita"] = frame["unita"].where(frame["unita"].notna() & (frame["unita"] != ""), units)
    unknown = sorted(set(frame.loc[frame["unita"].isna(), "misura"].astype(str)))
    if unknown:
        raise ErroreEstratto([Problema(
            file_name, f"unità di misura sconosciuta per {', '.join(unknown[:5])}: il file non la indica (manca "
                       "UNIT_MEAS) e il registro data/registry/fonti.yaml non la dichiara; aggiungere la misura "
                       "con unita, segno e aggregazione", colonna="unita")])
    return frame


def regole_misure(frame: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """Columns `_min_ammesso`, `_max_ammesso` for the range checks of each row's measure.

    Declared measures: `segno: positivo` gives a minimum of 0, `intervallo: [a, b]` its bounds.
    Undeclared measures (the office templates carry hundreds): counts and amounts (units n, euro,
    mln_euro) may not be negative unless the name says a change or balance (var, saldo), and
    percentages named quota/composizione/incidenza lie in 0-100.
    """
    declared = misure(spec)
    pairs = pd.DataFrame({"misura": frame["misura"].astype("string"), "unita": frame["unita"].astype("string")},
                         index=frame.index)
    distinct = pairs.drop_duplicates()
    lo, hi = [], []
    for measure, unit in zip(distinct["misura"], distinct["unita"]):  # one rule per measure and unit, not per row
        m = declared.get(str(measure))
        if m is not None:
            low, high = (m.get("intervallo") or [None, None])
            if m.get("segno") == "positivo":
                low = 0 if low is None else max(low, 0)
        else:
            name = str(measure).lower()
            change = any(w in name for w in ("var", "saldo", "rank"))
            low = 0 if unit in ("n", "euro", "mln_euro") and not change else None
            high = None
            if unit == "%" and any(w in name for w in ("quota", "composizione", "incidenza")):
                low, high = 0, 100
        lo.append(low)
        hi.append(high)
    rules = distinct.assign(_min_ammesso=pd.array(lo, dtype="Float64"), _max_ammesso=pd.array(hi, dtype="Float64"))
    bounds = pairs.merge(rules, on=["misura", "unita"], how="left")
    frame["_min_ammesso"] = bounds["_min_ammesso"].array
    frame["_max_ammesso"] = bounds["_max_ammesso"].array
    return frame


def _per_valore(series: pd.Series, fn) -> pd.Series:
    """`series.map(fn)` computing `fn` once per distinct value (missing values passed through `fn` too)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    mapped = pd.Series([fn(u) for u in uniques], dtype=object)
    return pd.Series(mapped.to_numpy()[codes], index=series.index, name=series.name)


# --- Great Expectations suites generated from the registry ------------------------------------

def _expectation(kind: str, kwargs: dict, colonna: str, messaggio: str) -> dict:
    return {"type": kind, "kwargs": kwargs, "meta": {"colonna": colonna, "messaggio": messaggio}}


def _fmt(x) -> str:
    return f"{x:,}".replace(",", ".") if isinstance(x, int) else str(x)


def genera_suite(nome: str) -> dict:
    """The Great Expectations suite `nome` as the registry defines it (every source using it must
    declare the same columns, key and checks, or this raises ValueError)."""
    specs = {k: v for k, v in catalog.fonti().items() if v["suite"] == nome}
    if not specs:
        raise ValueError(f"nessuna fonte usa la suite {nome}")
    first_id, spec = next(iter(specs.items()))
    for other_id, other in specs.items():
        for part in ("colonne", "chiave", "controlli", "duplicato"):
            if other.get(part) != spec.get(part):
                raise ValueError(f"le fonti {first_id} e {other_id} usano la suite {nome} ma dichiarano {part} diverse")
    out = []
    for col in spec["colonne"]:
        name, text = col["nome"], col.get("messaggio")
        if col.get("formato"):
            out.append(_expectation("expect_column_values_to_match_regex", {"column": name, "regex": col["formato"]},
                                    name, text or f"{name} non valido"))
        if col.get("valori"):
            out.append(_expectation("expect_column_values_to_be_in_set", {"column": name, "value_set": col["valori"]},
                                    name, text or f"{name} non valido: usare {', '.join(map(str, col['valori']))}"))
        if col.get("intervallo"):
            low, high = col["intervallo"]
            out.append(_expectation("expect_column_values_to_be_between",
                                    {"column": name, "min_value": low, "max_value": high}, name,
                                    text or f"{name} fuori dall'intervallo ammesso {_fmt(low)} - {_fmt(high)}"))
        if col.get("non_nullo"):
            out.append(_expectation("expect_column_values_to_not_be_null", {"column": name}, name,
                                    text or f"manca {name}"))
    for check in spec.get("controlli") or []:
        out.append(_expectation(check["tipo"], check["parametri"], check["colonna"], check["messaggio"]))
    if any(c["nome"] == "misura" for c in spec["colonne"]):
        for column_a, column_b, text in (
            ("valore", "_min_ammesso", "valore sotto il minimo ammesso per la misura (negativo per una misura che "
                                       "non può esserlo, o fuori dall'intervallo del registro)"),
            ("_max_ammesso", "valore", "valore sopra il massimo ammesso per la misura (registro data/registry/fonti.yaml)"),
        ):
            out.append(_expectation("expect_column_pair_values_a_to_be_greater_than_b",
                                    {"column_A": column_a, "column_B": column_b, "or_equal": True,
                                     "ignore_row_if": "either_value_is_missing"}, "valore", text))
    key, dup = spec["chiave"], spec.get("duplicato") or {}
    out.append(_expectation("expect_compound_columns_to_be_unique", {"column_list": key}, dup.get("colonna", key[-1]),
                            dup.get("messaggio", f"chiave duplicata: più righe con gli stessi {', '.join(key)}")))
    return {"name": nome, "expectations": out,
            "meta": {"descrizione": f"Generata da data/registry/fonti.yaml (python -m pipelines.contratto) per "
                                    f"le fonti {', '.join(specs)}: non modificare a mano."}}


def suite_names() -> list[str]:
    return sorted({v["suite"] for v in catalog.fonti().values()})


def scrivi_suite(folder: Path = EXPECTATIONS_DIR) -> list[Path]:
    """Write every suite generated from the registry to expectations/<suite>.json."""
    written = []
    for nome in suite_names():
        path = folder / f"{nome}.json"
        path.write_text(json.dumps(genera_suite(nome), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in scrivi_suite():
        print(p)
