"""Round 2 of the generated prescription phrases (PROCEDURE.md section 31a): the shapes of round 1
(:mod:`dose_phrases`) combined and made harder — a change of a count or with a correction inside it, "up to" as a
schedule beside a limit, a limit after a dose by weight, a taper whose later steps drop the unit or keep the dose
and change the schedule, a range of insulin or of a volume, a liquid's volume said before its strength, a patch a
day, drops to an ear, every other week, amounts said in words ("one and a quarter milligrams", "two hundred and fifty
micrograms", "fifteen hundred milligrams", "half a gram"), nanograms, and a unit taken back ("125 mg, I mean
125 micrograms"). Written and committed before any reader change it measures; split on its own seed draw.
"""

from __future__ import annotations

import random

from dose_pools import CHANGE_DRUGS, INHALERS, INSULINS, LIQUIDS, TAPERS, WEIGHT_DRUGS, Q, words
from dose_truth import Truth, cap, say, template

ROUND = 2


def _r2(tid: str, family: str):  # type: ignore[no-untyped-def]
    return template(tid, family, 2)


def _words_q(n: float, unit: str, written: str, said: str) -> Q:
    return Q._of(written, said, Q(n, unit).atom)


@_r2("r2_change_count", "change from A to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, _s, _puffs, freq = rng.choice(INHALERS)
    a, b = Q(2, "puffs", rng), Q(4, "puffs", rng)
    w, s = say([f"Increase {drug} from", a, "to", b, f"{freq}."])
    return w, s, Truth(drug, (b,), was=(a,))


@_r2("r2_change_route_duration", "change from A to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, unit, doses, freq = rng.choice(CHANGE_DRUGS)
    i = rng.randrange(len(doses) - 1)
    a, b = Q(doses[i], unit, rng), Q(doses[i + 1], unit, rng)
    w, s = say([f"Increase the {drug} from", a, "to", b, f"{freq} by mouth for 2 weeks, then review."])
    return w, s, Truth(drug, (b,), was=(a,))


@_r2("r2_change_corrected", "change from A to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, unit, doses, freq = rng.choice([c for c in CHANGE_DRUGS if len(c[2]) >= 3])
    i = rng.randrange(len(doses) - 2)
    a, wrong, b = (Q(d, unit, rng) for d in doses[i : i + 3])
    w, s = say([f"Increase {drug} from", a, "to", wrong, ", sorry, to", b, f"{freq}."])
    return w, s, Truth(drug, (b,), was=(a,))


@_r2("r2_up_to_schedule", "up to as a schedule")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, _s, puffs, _f = rng.choice(INHALERS)
    p = Q(rng.choice(puffs), "puffs", rng)
    w, s = say([cap(drug), p, "up to four times a day when needed."])
    return w, s, Truth(drug, (p,), frequency="up to four times")


@_r2("r2_up_to_schedule_and_max", "up to as a schedule")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    dose, lim = Q(1, "g", rng), Q(4, "g", rng)
    w, s = say(["Paracetamol", dose, "up to four times a day, maximum", lim, "in 24 hours."])
    return w, s, Truth("paracetamol", (dose,), limit=(lim,), frequency="up to four times")


@_r2("r2_range_and_limit", "range and limit")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    st, r, lim = (
        Q(30, "mg", rng),
        Q.range(1, 2, "tablets", rng.choice(("to", "-")), rng),
        Q(8, "tablets", rng),
    )
    drug = rng.choice(("codeine", "co-codamol"))
    w, s = say([cap(drug), st, r, "up to four times a day, no more than", lim, "in 24 hours."])
    return w, s, Truth(drug, (st, r), range=True, limit=(lim,))


@_r2("r2_weight_and_limit", "mg/kg with a limit")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(WEIGHT_DRUGS)
    q, lim = Q(n, "mg/kg", rng), Q(rng.choice((1, 2)), "g", rng)
    w, s = say([cap(drug), q, f"{freq}, maximum", lim, "per dose."])
    return w, s, Truth(drug, (q,), limit=(lim,))


@_r2("r2_taper_unit_once", "taper")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, unit, doses = rng.choice(TAPERS)
    steps = doses[:4]
    first = Q(steps[0], unit, rng)
    rest = [Q._of(words(d) if rng.random() < 0.5 else f"{d:g}", f"{d:g}", Q(d, unit).atom) for d in steps[1:]]
    parts: list[str | Q] = [cap(drug), first, "for 5 days, then"]
    for k, q in enumerate(rest):
        parts += [q, "," if k < len(rest) - 1 else ""] + (["then"] if k < len(rest) - 1 else [])
    w, s = say([*parts, ", each for 5 days."])
    return w, s, Truth(drug, (first, *rest), taper=True)


@_r2("r2_taper_same_dose", "taper")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n = rng.choice((("diazepam", 5), ("diazepam", 2), ("lorazepam", 1), ("zopiclone", 3.75)))
    q = [Q(n, "mg", rng) for _ in range(3)]
    w, s = say([cap(drug), q[0], "three times a day for 3 days, then", q[1], "twice a day for 3 days, then", q[2],
                "at night for 3 days, then stop."])  # fmt: skip
    return w, s, Truth(drug, tuple(q), taper=True)


@_r2("r2_insulin_range", "range")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug = rng.choice(("NovoRapid", "Humalog", "Apidra"))
    lo = rng.choice((2, 4, 6))
    r = Q.range(lo, lo + 4, "units", "to", rng)
    w, s = say([cap(drug), r, "with each meal depending on her sugars."])
    return w, s, Truth(drug, (r,), range=True)


@_r2("r2_liquid_volume_range", "liquid strength and volume")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    strength = Q.concentration(10, "mg", 5, "/", rng)
    r = Q.range(2.5, 5, "mL", "to", rng)
    w, s = say(["Oramorph", strength, "oral solution,", r, "every 2 hours when required."])
    return w, s, Truth("Oramorph", (r,), range=True, strength=(strength,))


@_r2("r2_liquid_volume_first", "liquid strength and volume")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, form, (n, unit), per_ml, volumes, freq = rng.choice(LIQUIDS)
    vol = Q(rng.choice(volumes), "mL", rng)
    strength = Q.concentration(n, unit, per_ml, rng.choice(("/", "in")), rng)
    w, s = say([cap(drug), vol, "of the", strength, form, f"{freq}."])
    return w, s, Truth(drug, (vol,), strength=(strength,))


@_r2("r2_patch_per_24_hours", "patch rate")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    n = rng.choice((25, 50, 75, 100))
    q = Q._of(f"{n} micrograms/24 hours", f"{n} micrograms per 24 hours", f"{n} mcg/24h")
    w, s = say(["Estradiol", q, "patch, changed twice weekly."])
    return w, s, Truth("estradiol", (q,))


@_r2("r2_ear_drops", "drops")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug = rng.choice(("Otomize", "Sofradex", "Otosporin", "ciprofloxacin"))
    d = Q(rng.choice((2, 3)), "drops", rng)
    w, s = say([cap(drug), "ear drops,", d, "into the right ear three times a day for 7 days."])
    return w, s, Truth(drug, (d,))


@_r2("r2_every_other_week", "weekly")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n = rng.choice((("adalimumab", 40), ("Humira", 40), ("etanercept", 50)))
    q = Q(n, "mg", rng)
    w, s = say([cap(drug), q, "subcutaneously every other week."])
    return w, s, Truth(drug, (q,), frequency="week")


@_r2("r2_words_quarter", "number words")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug = rng.choice(("bisoprolol", "ramipril"))
    q = _words_q(1.25, "mg", "one and a quarter milligrams", "one and a quarter milligrams")
    w, s = say([cap(drug), q, "once daily."])
    return w, s, Truth(drug, (q,))


@_r2("r2_words_british_and", "number words")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, unit, said = rng.choice(
        (("digoxin", 250, "mcg", "two hundred and fifty micrograms"),
         ("amoxicillin", 250, "mg", "two hundred and fifty milligrams"),
         ("levothyroxine", 125, "mcg", "one hundred and twenty five micrograms"),
         ("metformin", 1500, "mg", "fifteen hundred milligrams"),
         ("metformin", 1500, "mg", "one thousand five hundred milligrams"),
         ("paracetamol", 500, "mg", "half a gram"),
         ("sertraline", 12.5, "mg", "twelve and a half milligrams"))
    )  # fmt: skip
    q = _words_q(n, unit, said, said)
    w, s = say([cap(drug), q, "once daily."])
    return w, s, Truth(drug, (q,))


@_r2("r2_nanograms", "micrograms")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    n = rng.choice((250, 500))
    q = Q._of(f"{n} nanograms", f"{n} nanograms", f"{round(n * 1e-6, 6):g} mg")
    w, s = say(["Alfacalcidol", q, "once daily."])
    return w, s, Truth("alfacalcidol", (q,))


@_r2("r2_unit_corrected", "self-corrected dose")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n = rng.choice(
        (("digoxin", 125), ("levothyroxine", 100), ("digoxin", 62.5), ("fludrocortisone", 100))
    )
    wrong, right = Q(n, "mg", rng), Q(n, "mcg", rng)
    cue = rng.choice((", I mean", ", sorry,", ", no,"))
    w, s = say([cap(drug), wrong, cue, right, "once daily."])
    return w, s, Truth(drug, (right,))


@_r2("r2_insulin_titration", "insulin units")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(INSULINS)
    q = Q(n, "units", rng)
    w, s = say([cap(drug), q, f"{freq}, increase by 2 units every 3 days until fasting sugars are below 7."])
    return w, s, Truth(drug, (q,))
