"""Write the bundled Lucca sample extracts (data/sample/lucca/<fonte>/) from the published figures.

Run: python data/sample/build_lucca_sample.py   (tests check the committed files equal its output)

Two kinds of rows, kept apart in the column `natura`:
- ufficiale: figures printed in the Camera's documents (data/reference/lucca/health_inputs_lucca.csv),
  as printed, in thousands of euro, each with its document and line;
- illustrativo: amounts the documents never publish (balance sheet, split by function, FTE,
  crediti da diritto annuale, imprese attive 2015-2016, nuovi investimenti), constructed here so
  that they are consistent with the ratios the documents do publish (001:1120-1133). They let the
  default run show every indicator, and they are NOT evidence that the pipeline reproduces those
  ratios: the reproduction tests use only the ufficiale rows.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "reference" / "lucca" / "health_inputs_lucca.csv"
OUT = HERE / "lucca"
RILASCIO = "2019-01-31"  # Piano della performance 2019-2021, adopted January 2019
DOC = "001"

# Items of the resource tables (001:277-308) -> template item codes.
ITEMS = {
    "proventi_correnti.diritto_annuale": "pc_diritto_annuale",
    "proventi_correnti.diritti_segreteria": "pc_diritti_segreteria",
    "proventi_correnti.contributi_trasferimenti_altre_entrate": "pc_contributi_trasferimenti",
    "proventi_correnti.proventi_gestione_beni_servizi": "pc_proventi_gestione_servizi",
    "proventi_correnti.variazione_rimanenze": "pc_variazione_rimanenze",
    "proventi_correnti.totale": "pc_totale",
    "oneri_correnti.personale": "oc_personale",
    "oneri_correnti.funzionamento.spese_varie": "oc_funz_spese_varie",
    "oneri_correnti.funzionamento.quote_associative": "oc_funz_quote_associative",
    "oneri_correnti.funzionamento.organi_istituzionali": "oc_funz_organi_istituzionali",
    "oneri_correnti.interventi_economici": "oc_interventi_economici",
    "oneri_correnti.ammortamenti_accantonamenti": "oc_ammortamenti_accantonamenti",
    "oneri_correnti.totale": "oc_totale",
    "investimenti.totale": "inv_totale",
    "personale.headcount_31dic": "pers_dipendenti_31dic",
    "imprese.attive_31dic": "imp_attive_31dic",
}
ONERI = ["oc_personale", "oc_funz_spese_varie", "oc_funz_quote_associative",
         "oc_funz_organi_istituzionali", "oc_interventi_economici", "oc_ammortamenti_accantonamenti"]

# Published health indicators, 001:1120-1133 (2018 is a preconsuntivo), in print order.
PUBLISHED = {
    "MSFB": (1120, {2018: 398.2, 2017: 399.4, 2016: 415.0, 2015: 91.2}),
    "EQGC": (1121, {2018: 105.2, 2017: 107.3, 2016: 93.6, 2015: 105.6}),
    "ICS": (1122, {2018: 87.8, 2017: 92.8, 2016: 80.3, 2015: 92.4}),
    "MSAI": (1123, {2018: 88.0, 2017: 88.2, 2016: 88.5, 2015: 96.9}),
    "IAI": (1124, {2018: 72.9, 2017: 73.4, 2016: 73.5, 2015: 73.2}),
    "SOL": (1125, {2018: 82.8, 2017: 83.2, 2016: 83.1, 2015: 75.5}),
    "CGP": (1127, {2018: 9.9, 2017: 12.3, 2016: 10.6, 2015: 9.6}),
    "EFFOP": (1128, {2018: 88.1, 2017: 83.7, 2016: 85.6, 2015: 93.9}),
    "EFFSTR": (1129, {2018: 44.0, 2017: 44.0, 2016: 47.2, 2015: 46.5}),
    "ECOSA": (1130, {2018: 78.5, 2017: 84.2, 2016: 89.6, 2015: 80.4}),
    "IEINV": (1131, {2018: 34.6, 2017: 26.4, 2016: 31.8, 2015: 113.9}),
    "CMF": (1132, {2018: 24827.0, 2017: 22728.6, 2016: 23371.4, 2015: 25534.4}),
    "TVCDA": (1133, {2018: -11.8, 2017: -26.6, 2016: -25.3, 2015: -32.2}),
}
# "Indice di rigidità economica" (001:315-320): the same formula as ICS, printed under another name.
RIGIDITA = (320, {2014: 80.4, 2015: 92.4, 2016: 80.3, 2017: 92.8, 2018: 87.8, 2019: 85.1})
# Targets of 2019 (001:1120-1133, column "VALORE 2019 OBIETTIVO").
TARGETS = {
    "MSFB": ("banda", 380, 390, 1120), "EQGC": ("<=", None, 105.0, 1121), "ICS": ("banda", 85, 90, 1122),
    "MSAI": ("<=", None, 100, 1123), "IAI": ("banda", 70, 80, 1124), "SOL": ("banda", 75, 85, 1125),
    "CGP": ("banda", 10, 13, 1127), "EFFOP": ("<=", None, 90.0, 1128), "EFFSTR": ("<=", None, 45, 1129),
    "ECOSA": (">=", 83, None, 1130), "IEINV": (">=", 30, None, 1131), "CMF": ("<=", None, 26000, 1132),
    "TVCDA": ("<=", None, -20, 1133),
}
# Illustrative scale of the balance sheet (total assets, euro) and of the 2014 receivables.
TOTALE_ATTIVO = {2015: 41_500_000, 2016: 39_800_000, 2017: 38_900_000, 2018: 38_200_000}
CREDITI_DA_2014 = 9_800_000


def kind(year: int) -> str:
    return "preconsuntivo" if year == 2018 else "preventivo" if year == 2019 else "consuntivo"


def r1(x: float, d: int = 1) -> float:
    """Round half away from zero, as the documents print."""
    q = 10 ** d
    return math.floor(abs(x) * q + 0.5) / q * (1 if x >= 0 else -1)


def published_inputs() -> tuple[list[dict], dict]:
    rows, values = [], {}
    with open(REFERENCE, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            code = ITEMS.get(rec["item"])
            if code is None or rec["chamber"] != "Lucca":
                continue
            year = int(rec["year"])
            unit = {"EUR_k": "EUR_k", "count": "n"}[rec["unit"]]
            rows.append({"anno": year, "tipo": kind(year), "voce": code, "valore": f"{float(rec['value']):.1f}" if unit == "EUR_k" else rec["value"], "unita": unit,
                         "natura": "ufficiale", "riferimento": f"{rec['seed_file'][:3]}:{rec['seed_line']}", "nota": ""})
            values[(year, code)] = float(rec["value"]) * (1000 if unit == "EUR_k" else 1)
    return rows, values


def solve_structure(year: int) -> dict:
    """Balance-sheet aggregates whose ratios print as the published MSAI, IAI, SOL and MSFB."""
    ta = TOTALE_ATTIVO[year]
    iai, sol, msai = (PUBLISHED[k][1][year] for k in ("IAI", "SOL", "MSAI"))
    best = None
    for i in range(-49, 50):
        for j in range(-49, 50):
            a, s = iai + i / 1000, sol + j / 1000
            ai, pn = round(a / 100 * ta), round(s / 100 * ta)
            if (r1(100 * ai / ta), r1(100 * pn / ta), r1(100 * ai / pn)) == (iai, sol, msai):
                score = abs(i) + abs(j)
                if best is None or score < best[0]:
                    best = (score, ai, pn)
    assert best, f"no balance sheet consistent with the published ratios for {year}"
    _, ai, pn = best
    ac = ta - ai
    pb = round(ac / (1 + PUBLISHED["MSFB"][1][year] / 100))
    out = {"sp_attivo_immobilizzato": ai, "sp_attivo_circolante": ac, "sp_patrimonio_netto": pn,
           "sp_passivo_breve": pb, "sp_passivo_fisso": ta - pn - pb}
    assert r1(100 * (ac - pb) / pb) == PUBLISHED["MSFB"][1][year] and out["sp_passivo_fisso"] >= 0
    return out


def fte_for(funzionamento: float, cmf: float) -> float:
    for decimals in range(2, 7):
        fte = round(funzionamento / cmf, decimals)
        if r1(funzionamento / fte) == cmf:
            return fte
    raise AssertionError("no FTE reproduces the published cost per employee")


def illustrative(values: dict) -> list[dict]:
    rows = []

    def add(year, code, value, unit, note):
        rows.append({"anno": year, "tipo": kind(year), "voce": code, "valore": value, "unita": unit,
                     "natura": "illustrativo", "riferimento": "", "nota": note})

    credit = CREDITI_DA_2014
    add(2014, "sp_crediti_diritto_annuale", credit, "EUR", "illustrativo: base della serie TVCDA")
    for year in (2015, 2016, 2017, 2018):
        why = f"illustrativo, coerente con gli indicatori pubblicati ({DOC}:1120-1133)"
        for code, value in solve_structure(year).items():
            add(year, code, value, "EUR", why)
        credit = round(credit * (1 + PUBLISHED["TVCDA"][1][year] / 100))
        add(year, "sp_crediti_diritto_annuale", credit, "EUR", why)

        total = round(sum(values[(year, c)] for c in ONERI))
        interventi = round(values[(year, "oc_interventi_economici")])
        segreteria = round(values[(year, "pc_diritti_segreteria")])
        ab = round(PUBLISHED["EFFSTR"][1][year] / 100 * total)
        c = round(segreteria / (PUBLISHED["ECOSA"][1][year] / 100))
        d = total - ab - c
        assert d >= interventi
        for code, value in [("fz_a_oneri", round(ab * 0.4)), ("fz_b_oneri", ab - round(ab * 0.4)),
                            ("fz_c_oneri", c), ("fz_d_oneri", d), ("fz_c_interventi_economici", 0),
                            ("fz_d_interventi_economici", interventi), ("fz_c_diritti_segreteria", segreteria)]:
            add(year, code, value, "EUR", why + "; interventi economici tutti in funzione D")

        imprese = values.get((year, "imp_attive_31dic"))
        if imprese is None:
            imprese = round((c + d - interventi) / PUBLISHED["EFFOP"][1][year])
            add(year, "imp_attive_31dic", imprese, "n", why + " (da Efficienza operativa)")
        nuovi = max(0, round(PUBLISHED["IEINV"][1][year] * imprese - interventi))
        if year >= 2017:  # 001:1131 holds for 2017 and 2018 with interventi economici alone
            nuovi = 0
        add(year, "inv_nuovi_immobilizzazioni", nuovi, "EUR", why + " (da IEINV)")
        funz = sum(values[(year, k)] for k in ("oc_funz_spese_varie", "oc_funz_quote_associative",
                                                "oc_funz_organi_istituzionali"))
        add(year, "pers_fte_indeterminato_dirigenti", fte_for(funz, PUBLISHED["CMF"][1][year]), "FTE",
            why + " (da Costo medio di funzionamento)")
    return rows


def write(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, delimiter=",", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    official, values = published_inputs()
    # 31/12/2017 companies: 36.301 at 31/12/2018 less the change of -201 printed beside it (003:1098-1100)
    values[(2017, "imp_attive_31dic")] = values[(2018, "imp_attive_31dic")] + 201
    official.append({"anno": 2017, "tipo": "consuntivo", "voce": "imp_attive_31dic",
                     "valore": str(int(values[(2017, "imp_attive_31dic")])), "unita": "n",
                     "natura": "ufficiale", "riferimento": "003:1098-1100",
                     "nota": "36.301 al 31/12/2018 meno la variazione di -201 imprese"})
    rows = [{"camera": "LU", "rilascio": RILASCIO, **r} for r in official + illustrative(values)]
    header = ["camera", "anno", "tipo", "voce", "valore", "unita", "rilascio", "natura", "riferimento", "nota"]
    write(OUT / "bilancio" / "bilancio_lucca_pp2019.csv", header, rows)

    published = [{"camera": "LU", "anno": y, "tipo": kind(y), "indicatore": ind, "valore": v, "decimali": 1,
                  "rilascio": RILASCIO, "riferimento": f"{DOC}:{line}"}
                 for ind, (line, series) in PUBLISHED.items() for y, v in series.items()]
    published += [{"camera": "LU", "anno": y, "tipo": kind(y), "indicatore": "Indice di rigidità economica",
                   "valore": v, "decimali": 1, "rilascio": RILASCIO, "riferimento": f"{DOC}:{RIGIDITA[0]}"}
                  for y, v in RIGIDITA[1].items()]
    write(OUT / "indicatori_pubblicati" / "indicatori_pp2019.csv",
          ["camera", "anno", "tipo", "indicatore", "valore", "decimali", "rilascio", "riferimento"], published)

    targets = [{"camera": "LU", "anno": 2019, "indicatore": ind, "operatore": op, "valore_min": lo,
                "valore_max": hi, "rilascio": RILASCIO, "riferimento": f"{DOC}:{line}"}
               for ind, (op, lo, hi, line) in TARGETS.items()]
    write(OUT / "obiettivi_salute" / "obiettivi_2019.csv",
          ["camera", "anno", "indicatore", "operatore", "valore_min", "valore_max", "rilascio", "riferimento"], targets)
    benchmark()


# Illustrative benchmarking panel: plausible values around a centre per indicator, fixed seed.
# Lucca's own financial indicators are left out on purpose: the pipeline fills them from its
# own computation (origine = 'calcolato' in marts.benchmark_confronto).
PANEL_CENTRES = {"EQGC": (100.0, 6.0), "ICS": (85.0, 6.0), "CGP": (11.0, 2.5), "CMF": (24500.0, 2500.0),
                 "101": (3.5, 1.2), "370": (85.0, 7.0), "399": (80.0, 9.0), "57": (18.0, 6.0)}
TOSCANA = ["AR", "FI", "GR", "LI", "LU", "MS", "PI", "PT", "PO", "SI"]
PANELS = {
    "toscana": ("Camere di Commercio toscane", TOSCANA),
    "dimensione_simile": ("Camere toscane di dimensione simile a Lucca (30-45 mila imprese attive)",
                          ["AR", "LI", "LU", "PI", "PT"]),
    "nord_ovest": ("Camere della futura Toscana Nord-Ovest", ["LU", "MS", "PI"]),
}


def benchmark() -> None:
    import random

    rng = random.Random(2019)
    rows = []
    for year in (2016, 2017):
        for code, (centre, spread) in PANEL_CENTRES.items():
            for camera in TOSCANA:
                if camera == "LU" and not code.isdigit():
                    continue
                rows.append({"camera": camera, "anno": year, "codice": code,
                             "valore": round(rng.gauss(centre, spread), 1), "rilascio": "2019-02-15",
                             "natura": "illustrativo"})
    write(OUT / "benchmark_valori" / "panel_illustrativo_2016_2017.csv",
          ["camera", "anno", "codice", "valore", "rilascio", "natura"], rows)
    members = [{"panel": panel, "descrizione": text, "camera": c}
               for panel, (text, cams) in PANELS.items() for c in cams]
    write(OUT / "benchmark_panel" / "panel.csv", ["panel", "descrizione", "camera"], members)


if __name__ == "__main__":
    main()
