"""The slot pools and quantities of :mod:`dose_phrases`: what a template draws its drug, strength, unit, form,
route, frequency and modifier from, and :class:`Q`, a quantity as written, as said and as its truth atom.

An **atom** is the quantity in one comparable form: a number and a canonical unit, a mass in mg ("1 g" ->
"1000 mg", "125 micrograms" -> "0.125 mg"), "unit", "ml", a count noun singular ("2 puff"), "mg/kg",
"mg/kg/day", "mg/m2", "mcg/h" (a patch's rate), "250 mg/5 ml" (a liquid's strength), "1-2 tablet" (a range).
"""

from __future__ import annotations

import random

from medscribe.evaluation.asr_form import number_words

_MASS = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "ng": 0.000001}
# unit key -> its (written, said) spellings; the said one is read by recogniser_form ("mg" -> "milligrams")
_SPELLINGS: dict[str, list[tuple[str, str]]] = {
    "mg": [("mg", "mg"), ("mg", "mg"), ("milligrams", "milligrams")],
    "g": [("g", "g"), ("grams", "grams")],
    "mcg": [("mcg", "micrograms"), ("micrograms", "micrograms"), ("\u00b5g", "micrograms")],
    "units": [("units", "units")],
    "mL": [("mL", "ml"), ("ml", "ml"), ("millilitres", "millilitres")],
    "mg/kg": [("mg/kg", "milligrams per kilogram"), ("mg per kg", "milligrams per kilogram")],
    "mg/kg/day": [
        ("mg/kg/day", "milligrams per kilogram per day"),
        ("mg/kg per day", "milligrams per kilo per day"),
    ],
    "mg/m2": [
        ("mg/m2", "milligrams per square metre"),
        ("mg/m\u00b2", "milligrams per metre squared"),
        ("mg per square metre", "milligrams per square metre"),
    ],
    "tablets": [("tablets", "tablets")],
    "puffs": [("puffs", "puffs")],
    "drops": [("drops", "drops")],
}
_LONG = {"mg": "milligrams", "mcg": "micrograms", "g": "grams", "mL": "millilitres"}
_CANON = {"units": "unit", "mL": "ml", "tablets": "tablet", "puffs": "puff", "drops": "drop"}
_SINGULAR = {"tablets": "tablet", "puffs": "puff", "drops": "drop", "units": "unit", "grams": "gram"}
_SINGULAR |= {"milligrams": "milligram", "micrograms": "microgram", "millilitres": "millilitre"}


def num(n: float) -> str:
    return f"{n:g}"


def words(n: float) -> str:
    """A number as said: 5 -> "five", 2.5 -> "two point five", 62.5 -> "sixty two point five"."""
    whole, _, frac = num(n).partition(".")
    said = number_words(int(whole))
    return f"{said} point {' '.join(number_words(int(d)) for d in frac)}" if frac else said


def atom(n: float, unit: str) -> str:
    if unit in _MASS:
        return f"{round(n * _MASS[unit], 6):g} mg"
    return f"{num(n)} {_CANON.get(unit, unit)}"


class Q:
    """A quantity: ``written`` (the punctuated form), ``said`` (digits and spoken units, for recogniser_form)
    and ``atom`` (the truth)."""

    def __init__(
        self, n: float, unit: str, rng: random.Random | None = None, written: str | None = None
    ) -> None:
        spellings = _SPELLINGS.get(unit, [(unit, unit)])
        w_unit, s_unit = rng.choice(spellings) if rng else spellings[0]
        if n == 1 and w_unit in _SINGULAR:
            w_unit, s_unit = _SINGULAR[w_unit], _SINGULAR.get(s_unit, s_unit)
        if written is not None:  # the number said as words in the typed form too
            w_unit = _LONG.get(unit, w_unit)
            w_unit = _SINGULAR.get(w_unit, w_unit) if n == 1 else w_unit
        self.written = f"{written if written is not None else num(n)} {w_unit}"
        self.said = f"{num(n)} {s_unit}"
        self.atom = atom(n, unit)

    def __repr__(self) -> str:
        return f"Q({self.written!r} = {self.atom!r})"

    @classmethod
    def _of(cls, written: str, said: str, atom_: str) -> Q:
        q = cls.__new__(cls)
        q.written, q.said, q.atom = written, said, atom_
        return q

    @classmethod
    def range(cls, lo: float, hi: float, unit: str, joiner: str, rng: random.Random) -> Q:
        w_unit, s_unit = rng.choice(_SPELLINGS.get(unit, [(unit, unit)]))
        written = (
            f"{num(lo)}-{num(hi)} {w_unit}" if joiner == "-" else f"{num(lo)} {joiner} {num(hi)} {w_unit}"
        )
        said = f"{num(lo)} {'to' if joiner == '-' else joiner} {num(hi)} {s_unit}"
        lo_atom, hi_atom = atom(lo, unit), atom(hi, unit)
        return cls._of(written, said, f"{lo_atom.split()[0]}-{hi_atom}")

    @classmethod
    def concentration(cls, n: float, unit: str, per_ml: float, join: str, rng: random.Random) -> Q:
        ml = rng.choice(("mL", "ml"))
        written = (
            f"{num(n)} {unit}/{num(per_ml)} {ml}"
            if join == "/"
            else f"{num(n)} {unit} {join} {num(per_ml)} {ml}"
        )
        said = f"{num(n)} {unit} {'per' if join == '/' else join} {num(per_ml)} ml"
        return cls._of(written, said, f"{atom(n, unit)}/{num(per_ml)} ml")

    @classmethod
    def rate(cls, n: float, rate: str, rng: random.Random) -> Q:
        unit = rng.choice(("micrograms", "mcg"))
        written = f"{num(n)} {unit}/hour" if rate == "/hour" else f"{num(n)} {unit} {rate}"
        said = f"{num(n)} micrograms {'per hour' if rate == '/hour' else rate}"
        return cls._of(written, said, f"{num(n)} mcg/h")

    @classmethod
    def count(cls, n: float, noun: str, rng: random.Random) -> Q:
        one = _SINGULAR.get(noun, noun)
        spoken = {0.5: f"half a {one}", 1.5: f"one and a half {noun}", 2.5: f"two and a half {noun}"}[n]
        digits = {0.5: f"0.5 {one}", 1.5: f"1.5 {noun}", 2.5: f"2.5 {noun}"}[n]
        written = rng.choice((spoken, digits, spoken))
        return cls._of(written, spoken, f"{num(n)} {_CANON.get(noun, noun)}")


def mcg(n: float, rng: random.Random) -> Q:
    return Q(n, "mcg", rng)


# ---- pools: (drug, …) as each family draws them -------------------------------------------------------------
CHANGE_DRUGS = [  # (drug, unit, doses ascending, frequency)
    ("ramipril", "mg", [1.25, 2.5, 5, 10], "once daily"),
    ("bisoprolol", "mg", [1.25, 2.5, 5, 7.5, 10], "once daily"),
    ("amlodipine", "mg", [5, 10], "once daily"),
    ("atorvastatin", "mg", [10, 20, 40, 80], "at night"),
    ("sertraline", "mg", [50, 100, 150, 200], "once daily"),
    ("metformin", "mg", [500, 1000], "twice daily"),
    ("furosemide", "mg", [20, 40, 80], "each morning"),
    ("levothyroxine", "mcg", [25, 50, 75, 100, 125], "once daily"),
    ("gabapentin", "mg", [300, 600], "three times a day"),
    ("mirtazapine", "mg", [15, 30, 45], "at night"),
    ("Lantus", "units", [10, 12, 14, 16, 18, 20], "at night"),
    ("losartan", "mg", [25, 50, 100], "once daily"),
    ("citalopram", "mg", [10, 20], "once daily"),
]
TAPERS = [  # (drug, unit, steps descending)
    ("prednisolone", "mg", [40, 30, 20, 15, 10, 5]),
    ("prednisolone", "mg", [60, 50, 40, 30]),
    ("dexamethasone", "mg", [8, 6, 4, 2]),
    ("diazepam", "mg", [10, 8, 6, 4, 2]),
]
RANGES = [  # (drug, strength or None, low, high, unit, frequency)
    ("codeine", (30, "mg"), 1, 2, "tablets", "every 6 hours as needed"),
    ("paracetamol", (500, "mg"), 1, 2, "tablets", "four times a day as needed"),
    ("oxycodone", None, 5, 10, "mg", "every 4 hours as required"),
    ("Oramorph", None, 2.5, 5, "mg", "every 2 hours as needed"),
    ("salbutamol", None, 2, 4, "puffs", "as needed"),
    ("lactulose", None, 10, 15, "mL", "twice daily"),
    ("cyclizine", None, 25, 50, "mg", "three times a day as needed"),
]
LIMITS = [  # (drug, dose atoms, limit, frequency)
    ("paracetamol", ((1, "g"),), (4, "g"), "four times a day"),
    ("ibuprofen", ((400, "mg"),), (1.2, "g"), "three times a day"),
    ("sumatriptan", ((50, "mg"),), (300, "mg"), "at the onset of a migraine"),
    ("salbutamol", ((2, "puffs"),), (8, "puffs"), "as needed"),
    ("codeine", ((30, "mg"),), (240, "mg"), "every 6 hours as needed"),
    ("zolmitriptan", ((2.5, "mg"),), (10, "mg"), "as needed"),
    ("naproxen", ((250, "mg"),), (1, "g"), "twice daily"),
]
WEIGHT_DRUGS = [  # (drug, mg/kg, frequency)
    ("amoxicillin", 30, "three times a day"),
    ("paracetamol", 15, "every 6 hours"),
    ("ibuprofen", 10, "every 8 hours"),
    ("gentamicin", 7, "once daily"),
    ("vancomycin", 15, "every 12 hours"),
    ("ceftriaxone", 80, "once daily"),
]
WEIGHT_DAY_DRUGS = [  # (drug, mg/kg/day, divided into)
    ("amoxicillin", 90, "two"),
    ("ciclosporin", 5, "two"),
    ("azathioprine", 2, "two"),
    ("flucloxacillin", 100, "four"),
    ("cefalexin", 50, "three"),
]
SURFACE_DRUGS = [  # (drug, mg/m2, frequency)
    ("doxorubicin", 60, "every 3 weeks"),
    ("cyclophosphamide", 600, "every 3 weeks"),
    ("cisplatin", 75, "every 3 weeks"),
    ("paclitaxel", 175, "every 3 weeks"),
    ("docetaxel", 75, "every 3 weeks"),
    ("fluorouracil", 400, "every 2 weeks"),
]
MICROGRAM_DRUGS = [  # (drug, micrograms, frequency)
    ("levothyroxine", 75, "once daily"),
    ("levothyroxine", 125, "each morning"),
    ("digoxin", 62.5, "once daily"),
    ("digoxin", 125, "once daily"),
    ("alfacalcidol", 0.25, "once daily"),
    ("alfacalcidol", 1, "once daily"),
    ("folic acid", 400, "once daily"),
    ("desmopressin", 200, "at night"),
    ("fludrocortisone", 100, "once daily"),
    ("tamsulosin", 400, "once daily"),
]
INSULINS = [  # (drug, units, frequency)
    ("Lantus", 18, "at night"),
    ("insulin glargine", 24, "once daily at night"),
    ("Levemir", 10, "twice daily"),
    ("NovoRapid", 6, "with meals"),
    ("Humalog", 8, "three times a day with meals"),
    ("Tresiba", 30, "once daily"),
    ("Humulin I", 14, "twice daily"),
]
LIQUIDS = [  # (drug, form, strength, per mL, volumes, frequency)
    ("amoxicillin", "oral suspension", (250, "mg"), 5, [5, 10], "three times a day"),
    ("paracetamol", "oral suspension", (120, "mg"), 5, [5, 7.5, 10], "four times a day"),
    ("phenoxymethylpenicillin", "oral solution", (125, "mg"), 5, [5, 10], "four times a day"),
    ("Oramorph", "oral solution", (10, "mg"), 5, [2.5, 5], "every 4 hours as needed"),
    ("clarithromycin", "suspension", (125, "mg"), 5, [5, 7.5], "twice daily"),
    ("ibuprofen", "oral suspension", (100, "mg"), 5, [5, 7.5], "three times a day"),
]
PATCHES = [  # (drug, micrograms an hour, change)
    ("buprenorphine", 5, "change every 7 days"),
    ("buprenorphine", 10, "change every 7 days"),
    ("buprenorphine", 20, "change every 7 days"),
    ("fentanyl", 12, "change every 72 hours"),
    ("fentanyl", 25, "change every 72 hours"),
    ("fentanyl", 50, "change every 3 days"),
]
INHALERS = [  # (drug, micrograms a puff, puffs, frequency)
    ("salbutamol", 100, [1, 2], "four times a day as needed"),
    ("Clenil", 100, [2], "twice daily"),
    ("beclometasone", 200, [1, 2], "twice daily"),
    ("Qvar", 50, [1, 2], "twice daily"),
    ("fluticasone", 125, [2], "twice daily"),
    ("Ventolin", 100, [2], "when required"),
]
DROPS = [  # (drug, drops, frequency)
    ("latanoprost", [1], "at night"),
    ("timolol", [1], "twice daily"),
    ("chloramphenicol", [1, 2], "four times a day"),
    ("hypromellose", [1, 2], "as needed"),
    ("brimonidine", [1], "twice daily"),
    ("dorzolamide", [1], "three times a day"),
]
WEEKLY = [  # (drug, amount, unit)
    ("methotrexate", 15, "mg"),
    ("methotrexate", 7.5, "mg"),
    ("alendronic acid", 70, "mg"),
    ("risedronate", 35, "mg"),
    ("colecalciferol", 20000, "units"),
    ("folic acid", 5, "mg"),
    ("semaglutide", 0.5, "mg"),
]
PLAIN_DRUGS = [  # (drug, unit, strengths, frequency)
    ("prednisolone", "mg", [5, 1], "once daily"),
    ("warfarin", "mg", [1, 3, 5], "at 6 pm"),
    ("bisoprolol", "mg", [2.5, 5], "once daily"),
    ("amlodipine", "mg", [5, 10], "once daily"),
    ("furosemide", "mg", [20, 40], "each morning"),
    ("spironolactone", "mg", [25, 50], "once daily"),
    ("sertraline", "mg", [50, 100], "once daily"),
]
