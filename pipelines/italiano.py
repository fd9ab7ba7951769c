"""Italian wording and number formats for the chapters, from the locale library (Babel), not hand-rolled.

9.810; +0,7%; 25.175 euro; "terzo", "45esima"; the words for a change chosen from its size and
sign, and the comparison word derived from the numbers so it can never contradict them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "it_IT"

ORDINALI = {1: "primo", 2: "secondo", 3: "terzo", 4: "quarto", 5: "quinto", 6: "sesto", 7: "settimo",
            8: "ottavo", 9: "nono", 10: "decimo"}


def numero(value: float, decimali: int = 0) -> str:
    """9810 -> '9.810'; 9.573, 1 -> '9,6' (rounded half away from zero, as the documents print)."""
    rounded = arrotonda(value, decimali)
    pattern = "#,##0" + ("." + "0" * decimali if decimali else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def arrotonda(value: float, decimali: int = 0) -> float:
    q = 10 ** decimali
    return math.copysign(math.floor(abs(value) * q + 0.5) / q, value)


def percentuale(value: float, decimali: int = 1) -> str:
    return f"{numero(value, decimali)}%"


def variazione(value: float, decimali: int = 1, unita: str = "%") -> str:
    """+0,7% / -0,6% / 0,0%: the sign is always written, as the chapters do."""
    rounded = arrotonda(value, decimali)
    sign = "+" if rounded > 0 else ""  # the minus comes with the number
    return f"{sign}{numero(rounded, decimali)}{unita}"


def _del(value: float, decimali: int = 1) -> str:
    """'del 3,3%' / "dell'8,2%": the preposition and the unsigned percentage after a word of change."""
    return f"{articolata_numero('di', value, decimali)}{percentuale(abs(value), decimali)}"


def cambiamento(value: float, decimali: int = 1, unita: str = "%", aumento: str = "un aumento",
                calo: str = "una flessione", nulla: str = "una variazione nulla") -> str:
    """A change in words: the word says the direction, so the figure carries no sign (Italian editors'
    rule, as the chapters print 'una flessione del 9,2%', never 'del -9,2%' nor 'un aumento del +3,3%').

    3.3 -> 'un aumento del 3,3%'; -9.2 -> 'una flessione del 9,2%'; 8.2 -> "un aumento dell'8,2%";
    26, 0, ' unità', 'un incremento', 'un calo' -> 'un incremento di 26 unità'; a change that rounds to
    zero -> `nulla`. `unita` other than '%' follows the number after 'di' (a count, an amount)."""
    rounded = arrotonda(value, decimali)
    if rounded == 0:
        return nulla
    word = aumento if rounded > 0 else calo
    if unita == "%":
        return f"{word} {_del(rounded, decimali)}"
    return f"{word} di {numero(abs(rounded), decimali)}{unita}"


def euro(value: float, decimali: int = 0) -> str:
    return f"{numero(value, decimali)} euro"


def data(value: dt.date, formato: str = "d MMMM yyyy") -> str:
    """30/9/2018 -> '30 settembre 2018'; the first of the month as Italians write it: '1° gennaio 2017'."""
    text = format_date(value, format=formato, locale=LOCALE)
    if value.day == 1 and formato.startswith("d MMMM"):
        text = "1°" + text[1:]
    return text


ROMA = ZoneInfo("Europe/Rome")  # the office's clock: the time a reader in Italy sees on the wall


def data_ora(momento: dt.datetime) -> str:
    """An instant as the office reads it, in Italian local time: '30/11/2026 alle 11:29' (a naive
    datetime is taken as UTC)."""
    if momento.tzinfo is None:
        momento = momento.replace(tzinfo=dt.UTC)
    local = momento.astimezone(ROMA)
    return f"{local:%d/%m/%Y} alle {local:%H:%M}"


def mese_anno(value: dt.date) -> str:
    """'Ottobre 2018' (release labels of the sources)."""
    return format_date(value, format="MMMM yyyy", locale=LOCALE).capitalize()


def ordinale(n: int, femminile: bool = False) -> str:
    """3 -> 'terzo' (or 'terza'); 45 -> '45esimo' / '45esima'."""
    word = ORDINALI.get(n, f"{n}esimo")
    return word[:-1] + "a" if femminile else word


CARDINALI = {1: "uno", 2: "due", 3: "tre", 4: "quattro", 5: "cinque", 6: "sei", 7: "sette", 8: "otto", 9: "nove",
             10: "dieci", 11: "undici", 12: "dodici"}


def cardinale(n: int) -> str:
    """A count in running text: words up to nine, as Italian editors write them ('cinque'), digits above ('15')."""
    return CARDINALI[n] if 0 < n <= 9 else numero(n)


def mesi(n: int) -> str:
    """9 -> 'nove mesi', 1 -> 'mese' (as in "nei primi nove mesi", "nel primo mese")."""
    return "mese" if n == 1 else f"{CARDINALI.get(n, str(n))} mesi"


def elenco(items: list[str]) -> str:
    """['Firenze', 'Pisa', 'Siena'] -> 'Firenze, Pisa e Siena'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " e " + items[-1]


def intensita(pct: float) -> str:
    """Word for the size of a change: stabile, lieve, contenuta, significativa, forte."""
    size = abs(arrotonda(pct, 1))
    if size <= 0.2:
        return "stabile"
    if size <= 1.0:
        return "lieve"
    if size <= 3.0:
        return "contenuta"
    if size <= 10.0:
        return "significativa"
    return "forte"


def andamento(pct: float, decimali: int = 1) -> str:
    """'in lieve crescita (+0,7%)', 'in lieve calo (-0,6%)', 'stabile (+0,1%)', 'balzata del 12,3%'
    (after 'del' the word says the direction: no sign, see `cambiamento`)."""
    word = intensita(pct)
    shown = variazione(pct, decimali)
    if word == "stabile":
        return f"stabile ({shown})"
    if pct > 0:
        return f"balzata {_del(pct, decimali)}" if word == "forte" else f"in {word} crescita ({shown})"
    return f"in forte calo ({shown})" if word == "forte" else f"in {word} calo ({shown})"


PREPOSIZIONI = {  # preposition + article, for the noun that follows
    ("a", "la"): "alla", ("a", "il"): "al", ("a", "quello"): "a quello", ("a", "quella"): "a quella",
    ("di", "la"): "della", ("di", "il"): "del", ("di", "quello"): "di quello", ("di", "quella"): "di quella",
    ("con", "la"): "con la", ("con", "il"): "con il", ("con", "quello"): "con quello", ("con", "quella"): "con quella",
}


def _confronto_parti(value: float, riferimento: float, decimali: int) -> tuple[str, str]:
    """(comparison word, preposition) from the printed values: ('in linea', 'con'), ('inferiore', 'a')."""
    gap = arrotonda(value, decimali) - arrotonda(riferimento, decimali)
    tolerance = 10 ** -decimali
    if abs(gap) < tolerance / 2:
        return "in linea", "con"
    if abs(gap) <= 2 * tolerance:
        return f"poco al di {'sopra' if gap > 0 else 'sotto'}", "di"
    return ("superiore" if gap > 0 else "inferiore"), "a"


def confronto(value: float, riferimento: float, decimali: int = 1, articolo: str = "la") -> str:
    """Comparison words from the printed values, so they cannot contradict them:
    'in linea con la', 'poco al di sotto della', 'superiore alla' (articolo: the following noun's)."""
    word, prep = _confronto_parti(value, riferimento, decimali)
    return f"{word} {PREPOSIZIONI[(prep, articolo)]}"


def confronti(value: float, riferimenti: list[tuple[str, str, float, str]], decimali: int = 1) -> str:
    """The value against several references in one clause, never repeating the comparison word:
    riferimenti = [(articolo, noun, reference, reference as printed)], e.g. ("la", "media regionale", 0.7, "+0,7%").
    'in linea con la media regionale (+0,7%) e inferiore alla media nazionale (+1,5%)';
    'inferiore sia alla media regionale (20.429 euro) sia alla media nazionale (20.049 euro)'."""
    parts = [(*_confronto_parti(value, ref, decimali), art, noun, shown) for art, noun, ref, shown in riferimenti]
    if len(parts) > 1 and len({(w, p) for w, p, *_ in parts}) == 1:
        word, prep = parts[0][:2]
        return f"{word} " + " ".join(f"sia {PREPOSIZIONI[(prep, art)]} {noun} ({shown})" for _, _, art, noun, shown in parts)
    return " e ".join(f"{w} {PREPOSIZIONI[(p, art)]} {noun} ({shown})" for w, p, art, noun, shown in parts)

def articolo(nome: str) -> str:
    """The definite article of a singular noun by its ending, as sector names need it: 'la' (nautica,
    meccanica), 'il' (calzaturiero, cartario), "l'" before a vowel (l'orafo), 'lo' before s + consonant or z."""
    word = nome.strip().lower()
    if word[:1] in "aeiouàèéìòù":
        return "l'"
    if word.startswith("z") or (word.startswith("s") and word[1:2] not in "aeiou"):
        return "lo"
    return "la" if word.endswith("a") else "il"


def con_articolo(nome: str) -> str:
    """'Nautica' -> 'la nautica'; 'Orafo' -> "l'orafo" (a common noun, lower case)."""
    art = articolo(nome)
    return f"{art}{nome.lower()}" if art.endswith("'") else f"{art} {nome.lower()}"


def il(value: float, decimali: int = 1) -> str:
    """The article before a printed number: 'l'' before uno, otto, undici (l'1,0%, l'8,2%, l'11%, l'80%),
    'lo ' before zero (lo 0,8%), else 'il '."""
    whole = str(int(abs(arrotonda(value, decimali))))
    vowel = whole in ("1", "11") or whole.startswith("8")
    return "l'" if vowel else "lo " if whole == "0" else "il "


def articolata_numero(preposizione: str, value: float, decimali: int = 1) -> str:
    """The preposition joined to a printed number's article: ('di', 3.3) -> 'del ', ('di', 8.2) -> "dell'",
    ('di', 0.8) -> 'dello ', ('a', 11.2) -> "all'"."""
    art = il(value, decimali).strip()
    joined = ARTICOLATE[(preposizione, art)]
    return joined if joined.endswith("'") else f"{joined} "


def quota_in_parole(pct: float) -> str:
    """61,8% -> 'quasi i due terzi'; 72,2% -> 'quasi tre su quattro'; 50,4% -> 'poco più della metà'."""
    fractions = [(1 / 4, "un quarto", "poco più di un quarto"), (1 / 3, "un terzo", "poco più di un terzo"),
                 (1 / 2, "la metà", "poco più della metà"), (2 / 3, "i due terzi", "poco più dei due terzi"),
                 (3 / 4, "tre su quattro", "poco più di tre su quattro")]
    share = pct / 100
    for value, exact, above in fractions:
        if value - 0.06 <= share < value:
            return f"quasi {exact}"
        if value <= share < value + 0.03:
            return above
    return percentuale(pct)


# --- names of territories -----------------------------------------------------------------------

ARTICOLATE = {  # preposition + article: "di" + "la" -> "della"
    ("di", "la"): "della", ("di", "il"): "del", ("di", "l'"): "dell'", ("di", "le"): "delle", ("di", "lo"): "dello",
    ("di", "i"): "dei", ("di", "gli"): "degli",
    ("in", "la"): "nella", ("in", "il"): "nel", ("in", "l'"): "nell'", ("in", "le"): "nelle", ("in", "lo"): "nello",
    ("in", "i"): "nei", ("in", "gli"): "negli",
    ("a", "la"): "alla", ("a", "il"): "al", ("a", "l'"): "all'", ("a", "le"): "alle", ("a", "lo"): "allo",
    ("a", "i"): "ai", ("a", "gli"): "agli",
}


def articolata(preposizione: str, articolo: str, nome: str) -> str:
    """('di', 'la', name) -> 'della ' + name; ('di', "l'", name) -> "dell'" + name."""
    joined = ARTICOLATE[(preposizione, articolo)]
    return f"{joined}{nome}" if joined.endswith("'") else f"{joined} {nome}"


@dataclass(frozen=True)
class Nome:
    """How a sentence names a territory, in every position an Italian sentence needs.

    soggetto: 'la provincia di <nome>'; di: 'della provincia di <nome>'; in_: 'in provincia di <nome>';
    breve: '<nome>' (labels, legends); aggettivo: 'provinciale' ('il valore aggiunto provinciale');
    richiamo: 'la provincia' (a later mention), di_richiamo: 'della provincia'."""

    soggetto: str
    di: str
    in_: str
    breve: str
    aggettivo: str
    richiamo: str
    di_richiamo: str


def nome_provincia(nome: str) -> Nome:
    return Nome(f"la provincia di {nome}", f"della provincia di {nome}", f"in provincia di {nome}", nome,
                "provinciale", "la provincia", "della provincia")


def nome_camera(nome_camera: str, nome_breve: str, province: list[str]) -> Nome:
    """A Camera spanning several provinces: 'il territorio della Camera di Commercio della <nome> (province di
    <A>, <B> e <C>)'; a Camera of one province is named as that province ('la provincia di <A>')."""
    if len(province) == 1:
        return nome_provincia(province[0])
    full = f"territorio della {nome_camera} (province di {elenco(province)})"
    return Nome(f"il {full}", f"del {full}", f"nel {full}", nome_breve, "del territorio", "il territorio",
                "del territorio")


def nome_regione(nome: str, articolo: str, preposizione_in: str) -> Nome:
    """A region with its article ('la', 'il', "l'", 'le') and the way one says 'in' it ('in', or the
    articled 'nel', 'nelle'): both from data/camere/regioni.csv."""
    in_ = f"in {nome}" if preposizione_in == "in" else articolata("in", articolo, nome)
    soggetto = f"{articolo}{nome}" if articolo.endswith("'") else f"{articolo} {nome}"
    return Nome(soggetto, articolata("di", articolo, nome), in_, nome, "regionale", "la regione", "della regione")


def nome_regioni(regioni: list[Nome]) -> Nome:
    """One region as itself; several (a Camera across two regions) as 'le regioni Veneto e Friuli-Venezia Giulia'."""
    if len(regioni) == 1:
        return regioni[0]
    names = elenco([r.breve for r in regioni])
    return Nome(f"le regioni {names}", f"delle regioni {names}", f"nelle regioni {names}", names, "regionale",
                "le regioni", "delle regioni")


ITALIA = Nome("l'Italia", "dell'Italia", "in Italia", "Italia", "nazionale", "il Paese", "del Paese")
