"""Generated prescription phrases with their truth: the shapes held-out notes rarely hold (issue 15, items 3, 5-7).

Each **template** is one phrasing of one **family** (a dose change, a taper, a range, a limit, a dose by weight or
body surface, micrograms, insulin units, a liquid's strength and volume, a patch's rate, puffs, drops per eye,
weekly dosing, fractions, number words, a self-correction). A template composes drug x strength x unit x form x
route x frequency x modifier from its own pools (:mod:`dose_pools`) with a seeded ``random.Random``, and knows
what the Medications row must say (:class:`Truth`). Every case is drafted in two forms: ``text`` (punctuated, as
typed) and ``asr`` (:func:`medscribe.evaluation.asr_form.recogniser_form` of ``said``, the text with its units as
spoken: "mg/m2" said "mg per square metre", "µg" said "micrograms").

The templates are split once, by :data:`SPLIT_SEED`, into a tuning two thirds and a held-out third
(:func:`held_out`): the held-out third's phrases and outcomes are never looked at while fixing the reader;
``scripts/measure_dose_phrases.py`` reports it as counts only. Written and committed before any reader change
(corpus/drafts/PROCEDURE.md section 31).
"""

from __future__ import annotations

import random

from dose_pools import (
    CHANGE_DRUGS,
    DROPS,
    INHALERS,
    INSULINS,
    LIMITS,
    LIQUIDS,
    MICROGRAM_DRUGS,
    PATCHES,
    PLAIN_DRUGS,
    RANGES,
    SURFACE_DRUGS,
    TAPERS,
    WEEKLY,
    WEIGHT_DAY_DRUGS,
    WEIGHT_DRUGS,
    Q,
    mcg,
    words,
)
from dose_truth import Truth, cap, say, template

ROUND = 1


# ---- dose changes ---------------------------------------------------------------------------------------------
def _change(rng: random.Random, up: bool) -> tuple[str, Q, Q, str]:
    drug, unit, doses, freq = rng.choice(CHANGE_DRUGS)
    i = rng.randrange(len(doses) - 1)
    a, b = (doses[i], doses[i + 1]) if up else (doses[i + 1], doses[i])
    return drug, Q(a, unit, rng), Q(b, unit, rng), freq


for _verb, _up in (("Increase", True), ("Reduce", False), ("Raise", True), ("Decrease", False)):

    @template(f"change_from_to_{_verb.lower()}", "change from A to B")
    def _(rng: random.Random, verb: str = _verb, up: bool = _up) -> tuple[str, str, Truth]:
        drug, a, b, freq = _change(rng, up)
        w, s = say([f"{verb} {drug} from", a, "to", b, f"{freq}."])
        return w, s, Truth(drug, (b,), was=(a,))


@template("change_the_dose_from_to", "change from A to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, a, b, freq = _change(rng, rng.random() < 0.5)
    w, s = say([f"{cap(drug)}: change the dose from", a, "to", b, f"{freq}."])
    return w, s, Truth(drug, (b,), was=(a,))


@template("change_current_then_increase", "change from A to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, a, b, freq = _change(rng, True)
    w, s = say([f"She takes {drug}", a, f"{freq}; we will increase it to", b, f"{freq} from today."])
    return w, s, Truth(drug, (b,), was=(a,))


@template("change_up_to", "up to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, _a, b, freq = _change(rng, True)
    w, s = say([f"Increase {drug} up to", b, f"{freq}."])
    return w, s, Truth(drug, (b,), was=())


@template("change_go_up_to", "up to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, a, b, freq = _change(rng, True)
    w, s = say([f"{cap(drug)}", a, f"{freq} at present, go up to", b, f"{freq} today."])
    return w, s, Truth(drug, (b,), was=(a,))


@template("change_reduce_to", "reduce to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, _a, b, freq = _change(rng, False)
    verb = rng.choice(("Reduce", "Cut", "Drop", "Lower"))
    w, s = say([f"{verb} {drug} to", b, f"{freq}."])
    return w, s, Truth(drug, (b,), was=())


@template("change_reduce_the_dose_to", "reduce to B")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, a, b, freq = _change(rng, False)
    w, s = say([f"{cap(drug)}", a, f"{freq}, please reduce the dose to", b, f"{freq}."])
    return w, s, Truth(drug, (b,), was=(a,))


# ---- tapers ---------------------------------------------------------------------------------------------------
def _steps(rng: random.Random) -> tuple[str, list[Q], int]:
    drug, unit, doses = rng.choice(TAPERS)
    n = rng.choice((3, 4)) if len(doses) >= 4 else 3
    start = rng.randrange(len(doses) - n + 1)
    return drug, [Q(d, unit, rng) for d in doses[start : start + n]], rng.choice((3, 5, 7))


@template("taper_then_for_days", "taper")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, steps, days = _steps(rng)
    parts: list[str | Q] = [cap(drug)]
    for k, q in enumerate(steps):
        parts += (["then"] if k else []) + [
            q,
            f"daily for {days} days,",
        ]
    w, s = say([*parts, "then stop."])
    return w, s, Truth(drug, tuple(steps), taper=True)


@template("taper_reduce_to_each_week", "taper")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, steps, _days = _steps(rng)
    parts: list[str | Q] = [f"Start {drug}", steps[0], "once daily for one week,"]
    for q in steps[1:]:
        parts += ["then reduce to", q, "once daily for one week,"]
    w, s = say([*parts, "then stop."])
    return w, s, Truth(drug, tuple(steps), taper=True)


@template("taper_reducing_course_list", "taper")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, steps, days = _steps(rng)
    parts: list[str | Q] = [f"Reducing course of {drug}:"]
    for k, q in enumerate(steps):
        parts += [q, f"for {days} days" + (", then" if k < len(steps) - 1 else ",")]
    w, s = say([*parts, "then stop."])
    return w, s, Truth(drug, tuple(steps), taper=True)


# ---- ranges ---------------------------------------------------------------------------------------------------
for _tid, _joiner in (("range_to", "to"), ("range_dash", "-"), ("range_or", "or")):

    @template(_tid, "range")
    def _(rng: random.Random, joiner: str = _joiner) -> tuple[str, str, Truth]:
        drug, strength, lo, hi, unit, freq = rng.choice(RANGES)
        r = Q.range(lo, hi, unit, joiner, rng)
        head: list[str | Q] = [cap(drug)] + ([Q(strength[0], strength[1], rng)] if strength else [])
        w, s = say([*head, r, f"{freq}."])
        atoms = ((Q(strength[0], strength[1]),) if strength else ()) + (r,)
        return w, s, Truth(drug, atoms, range=True)


# ---- limits ---------------------------------------------------------------------------------------------------
for _tid, _cue in (
    ("limit_max_in_24", "max {q} in 24 hours"),
    ("limit_no_more_than_a_day", "no more than {q} a day"),
    ("limit_maximum_of", "maximum of {q} in 24 hours"),
    ("limit_do_not_exceed", "do not exceed {q} in 24 hours"),
):

    @template(_tid, "maximum dose")
    def _(rng: random.Random, cue: str = _cue) -> tuple[str, str, Truth]:
        drug, dose, limit, freq = rng.choice(LIMITS)
        d = tuple(Q(n, u, rng) for n, u in dose)
        lim = Q(limit[0], limit[1], rng)
        before, _, after = cue.partition("{q}")
        w, s = say([cap(drug), *d, f"{freq},", before.strip(), lim, f"{after.strip()}."])
        return w, s, Truth(drug, d, limit=(lim,))


# ---- by weight, by body surface -------------------------------------------------------------------------------
@template("weight_per_kg", "mg/kg")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(WEIGHT_DRUGS)
    q = Q(n, "mg/kg", rng)
    w, s = say([cap(drug), q, f"{freq}."])
    return w, s, Truth(drug, (q,))


@template("weight_per_kg_dosing", "mg/kg")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(WEIGHT_DRUGS)
    q = Q(n, "mg/kg", rng)
    w, s = say([f"Weight 14 kg. {cap(drug)} at", q, f"{freq}."])
    return w, s, Truth(drug, (q,))


@template("weight_per_kg_per_day", "mg/kg/day")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, split = rng.choice(WEIGHT_DAY_DRUGS)
    q = Q(n, "mg/kg/day", rng)
    w, s = say([cap(drug), q, f"in {split} divided doses."])
    return w, s, Truth(drug, (q,))


@template("surface_per_m2", "mg/m2")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(SURFACE_DRUGS)
    q = Q(n, "mg/m2", rng)
    w, s = say([cap(drug), q, f"intravenously {freq}."])
    return w, s, Truth(drug, (q,))


@template("surface_dose_of", "mg/m2")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(SURFACE_DRUGS)
    q = Q(n, "mg/m2", rng)
    w, s = say([f"Give {drug} at a dose of", q, f"{freq}."])
    return w, s, Truth(drug, (q,))


# ---- micrograms, insulin units --------------------------------------------------------------------------------
@template("micrograms_daily", "micrograms")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(MICROGRAM_DRUGS)
    q = mcg(n, rng)
    w, s = say([cap(drug), q, f"{freq}."])
    return w, s, Truth(drug, (q,))


@template("micrograms_continue", "micrograms")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(MICROGRAM_DRUGS)
    q = mcg(n, rng)
    w, s = say([f"Continue {drug}", q, f"{freq} by mouth."])
    return w, s, Truth(drug, (q,))


@template("insulin_units", "insulin units")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(INSULINS)
    q = Q(n, "units", rng)
    w, s = say([cap(drug), q, f"subcutaneously {freq}."])
    return w, s, Truth(drug, (q,))


@template("insulin_units_takes", "insulin units")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, n, freq = rng.choice(INSULINS)
    q = Q(n, "units", rng)
    w, s = say([f"He injects {drug}", q, f"{freq}."])
    return w, s, Truth(drug, (q,))


# ---- liquids, patches, puffs, drops ---------------------------------------------------------------------------
for _tid, _join in (("liquid_in", "in"), ("liquid_slash", "/"), ("liquid_per", "per")):

    @template(_tid, "liquid strength and volume")
    def _(rng: random.Random, join: str = _join) -> tuple[str, str, Truth]:
        drug, form, (n, unit), per_ml, volumes, freq = rng.choice(LIQUIDS)
        strength = Q.concentration(n, unit, per_ml, join, rng)
        vol = Q(rng.choice(volumes), "mL", rng)
        w, s = say([cap(drug), form, strength, ",", vol, f"{freq}."])
        return w, s, Truth(drug, (vol,), strength=(strength,))


for _tid, _rate in (("patch_an_hour", "an hour"), ("patch_per_hour", "per hour"), ("patch_slash", "/hour")):

    @template(_tid, "patch rate")
    def _(rng: random.Random, rate: str = _rate) -> tuple[str, str, Truth]:
        drug, n, change = rng.choice(PATCHES)
        q = Q.rate(n, rate, rng)
        w, s = say([cap(drug), q, f"patch, {change}."])
        return w, s, Truth(drug, (q,))


@template("puffs_strength", "puffs")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, strength, puffs, freq = rng.choice(INHALERS)
    st = mcg(strength, rng) if isinstance(strength, int | float) else Q.combination(strength)
    p = Q(rng.choice(puffs), "puffs", rng)
    w, s = say([cap(drug), "inhaler", st, ",", p, f"{freq}."])
    return w, s, Truth(drug, (st, p))


@template("puffs_only", "puffs")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, _strength, puffs, freq = rng.choice(INHALERS)
    p = Q(rng.choice(puffs), "puffs", rng)
    w, s = say([cap(drug), p, f"{freq} via spacer."])
    return w, s, Truth(drug, (p,))


for _tid, _where in (
    ("drops_each_eye", "in each eye"),
    ("drops_both_eyes", "into both eyes"),
    ("drops_left", "in the left eye"),
):

    @template(_tid, "eye drops")
    def _(rng: random.Random, where: str = _where) -> tuple[str, str, Truth]:
        drug, drops, freq = rng.choice(DROPS)
        d = Q(rng.choice(drops), "drops", rng)
        w, s = say([cap(drug), "eye drops,", d, where, f"{freq}."])
        return w, s, Truth(drug, (d,))


# ---- weekly, fractions, number words, self-corrections --------------------------------------------------------
for _tid, _freq in (
    ("weekly_once_weekly", "once weekly"),
    ("weekly_once_a_week", "once a week"),
    ("weekly_every_day", "every Monday"),
):

    @template(_tid, "weekly")
    def _(rng: random.Random, freq: str = _freq) -> tuple[str, str, Truth]:
        drug, n, unit = rng.choice(WEEKLY)
        q = Q(n, unit, rng)
        w, s = say([cap(drug), q, f"{freq}."])
        return w, s, Truth(drug, (q,), frequency="weekly" if "week" in freq else "monday")


for _tid, _count in (("fraction_and_a_half", 1.5), ("fraction_half", 0.5), ("fraction_two_and_a_half", 2.5)):

    @template(_tid, "fractions")
    def _(rng: random.Random, count: float = _count) -> tuple[str, str, Truth]:
        drug, unit, strengths, freq = rng.choice(PLAIN_DRUGS)
        st = Q(rng.choice(strengths), unit, rng)
        c = Q.count(count, "tablets", rng)
        w, s = say([cap(drug), st, "tablets: take", c, f"{freq}."])
        return w, s, Truth(drug, (st, c))


@template("words_plain", "number words")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, unit, strengths, freq = rng.choice(PLAIN_DRUGS)
    n = rng.choice(strengths)
    q = Q(n, unit, rng, written=words(n))
    w, s = say([cap(drug), q, f"{freq}."])
    return w, s, Truth(drug, (q,))


@template("words_count", "number words")
def _(rng: random.Random) -> tuple[str, str, Truth]:
    drug, _strength, puffs, freq = rng.choice(INHALERS)
    n = rng.choice(puffs)
    p = Q(n, "puffs", rng, written=words(n))
    w, s = say([cap(drug), p, f"{freq}."])
    return w, s, Truth(drug, (p,))


for _tid, _cue in (
    ("selfcorrect_sorry", ", sorry,"),
    ("selfcorrect_i_mean", ", I mean"),
    ("selfcorrect_no", ", no,"),
):

    @template(_tid, "self-corrected dose")
    def _(rng: random.Random, cue: str = _cue) -> tuple[str, str, Truth]:
        drug, a, b, freq = _change(rng, rng.random() < 0.5)
        w, s = say([cap(drug), a, cue, b, f"{freq}."])
        return w, s, Truth(drug, (b,))
