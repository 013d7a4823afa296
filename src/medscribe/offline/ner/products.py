"""Medicinal products as dictated: the drug name apart from its form and device, devices never drugs, drug levels.

AWS's MEDICATION entity is the drug name only; the form is a ``FORM`` attribute. The package's dictionary holds
product strings that glue a form or a delivery device onto the name ("lantus solostar", "rivastigmine patch",
"nicotine patches"), and the fuzzy matcher takes device trade names for near-miss drugs ("FlexPen",
"Respimat"). So, after dictionary matching and before fuzzy matching:

- a dictionary drug match ending in a form or device word is cut back to the drug name when that name is a drug
  on its own or the match's canonical name ("Lantus SoloStar" -> "Lantus", "nicotine patches" -> "nicotine");
  the cut word is then the drug's ``FORM`` ("patches", "SoloStar"); a product name of our own lists keeps its
  form word ("emollient cream", "blue inhaler");
- a delivery device or monitor (``device`` lines of ``data/ner/drug_products.txt``) is never a drug: it is the
  ``FORM`` of a drug just before it ("NovoRapid FlexPen", "Seretide 250 Evohaler"), and nothing alone ("an
  Omnipod pump", "her Libre sensor");
- a route opening a dictionary product string is cut off, the drug after it kept ("IV immunoglobulin");
- a drug brand right before a household appliance ("the Vicks humidifier") is the appliance's maker, no drug;
- a drug right before "level(s)" names a test, as AWS returns "digoxin level" (TEST_NAME), not the drug;
- a salt word right after a drug name is part of it ("amlodipine besilate", "quetiapine fumarate"), as AWS
  returns "levothyroxine sodium" (``people.is_salt``, ``people.salt_shaped``; the dictionary holds some such names,
  not the British ones), and so is any word the dictionary writes after that drug ("testosterone undecanoate");
- a brand filed under a product category rather than an ingredient (the lexicons map Diprobase, Oilatum, Dermol
  ... to "Emollient") followed by that category's word names one product ("Diprobase emollient"): the word is
  the product's kind, not a second drug;
- a brand named with a person word ("Night Nurse", "Day Nurse") after an article or before a verb of reporting
  is the person ("the night nurse saw her", "Night nurse reports she slept").
"""

from __future__ import annotations

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import people
from medscribe.offline.ner.text import Doc, Span

# form words a dictionary product string may end with (the dose-form words of the lexicon's filter, plurals,
# and the forms UK prescribing names after a drug)
_FORM_TAIL = frozenset(
    {"patch", "patches", "pen", "pens", "inhaler", "inhalers", "injection", "injections", "tablet", "tablets",
     "capsule", "capsules", "cream", "creams", "ointment", "gel", "drops", "spray", "sprays", "solution",
     "suspension", "syrup", "lozenge", "lozenges", "gum", "pessary", "pessaries", "suppository", "suppositories",
     "liquid", "linctus", "elixir", "lotion", "depot", "implant", "foam", "shampoo", "mouthwash", "granules", "sachets", "sachet"}
)  # fmt: skip
_LEVEL_WORDS = frozenset({"level", "levels", "concentration", "concentrations"})
# route words a dictionary product string may open with ("IV immunoglobulin", "intravenous immunoglobulin")
_ROUTE_HEAD = frozenset({"iv", "im", "sc", "po", "intravenous", "intramuscular", "subcutaneous", "oral"})
# household and care appliances: a drug brand right before one names the appliance's maker ("the Vicks
# humidifier"), never a drug the patient takes (a drug's own device or form stays its FORM)
_APPLIANCES = frozenset(
    {"humidifier", "humidifiers", "vaporiser", "vaporizer", "thermometer", "thermometers", "scales", "fan",
     "fans", "wipes", "tissues", "nappies", "toothbrush"}
)  # fmt: skip
_DEVICE_REACH = 3  # tokens between a drug and its device ("Seretide 250 Evohaler")
DEVICE_FORM_SCORE = 0.85
LEVEL_TEST_SCORE = 0.9


def refine(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """``found`` with product strings cut to the drug name, device matches dropped and device tokens taken
    (so fuzzy and unknown-name matching skip them), and "<drug> level" made a test."""
    devices = lex.drug_devices()
    out: list[Span] = []
    for s in found:
        if s.category != "MEDICATION":
            out.append(s)
            continue
        if _key(doc, s.t0, s.t1) in devices or _before_appliance(doc, s):
            continue
        _cut_route(doc, s, taken)
        _cut_form(doc, s, taken, devices)
        _with_salt(doc, s, taken)
        _as_level_test(doc, s, taken)
        if (out and _kind_of_brand(doc, out[-1], s)) or _staff_not_brand(doc, s):
            continue
        out.append(s)
    for i, tok in enumerate(doc.toks):
        if tok.norm in devices:
            taken[i] = True
    return out


def device_forms(doc: Doc, entities: list[Span]) -> list[tuple[int, int]]:
    """(begin, end) of each device word within reach after a drug of its sentence: that drug's FORM."""
    devices = lex.drug_devices()
    out: list[tuple[int, int]] = []
    for s in entities:
        if s.category != "MEDICATION":
            continue
        for i in range(s.t1, min(s.t1 + _DEVICE_REACH, len(doc.toks))):
            if doc.sent[i] != doc.sent[s.t0]:
                break
            if doc.toks[i].norm in devices:
                out.append((doc.toks[i].begin, doc.toks[i].end))
                break
    return out


def _before_appliance(doc: Doc, s: Span) -> bool:
    nxt = s.t1
    return (
        s.type == "BRAND_NAME"
        and nxt < len(doc.toks)
        and doc.sent[nxt] == doc.sent[s.t0]
        and doc.toks[nxt].norm in _APPLIANCES
    )


# canonical names the lexicons give brands that name a product category, not an ingredient
_CATEGORY_CANONICALS = frozenset({"emollient"})


def _kind_of_brand(doc: Doc, prev: Span, s: Span) -> bool:
    """ "Diprobase emollient": ``s`` is the category word of the category brand ``prev`` right before it."""
    names = lex.drug_lexicon().names
    brand, word = names.get(_key(doc, prev.t0, prev.t1)), _key(doc, s.t0, s.t1)
    return (
        prev.category == "MEDICATION"
        and prev.type == "BRAND_NAME"
        and brand is not None
        and lex.normalize(brand.canonical) in _CATEGORY_CANONICALS
        and word.rstrip("s") == lex.normalize(brand.canonical)
        and prev.t1 == s.t0
        and not doc.text[prev.end : s.begin].strip()
    )


# words before a person noun that make "night nurse" the nurse on duty, not the Night Nurse product
_DETERMINERS = frozenset({"the", "a", "an", "our", "their", "another", "each", "every", "ward", "duty"})


# verbs of reporting and seeing after a person noun: "Night nurse reports she slept", "day nurse noted"
_REPORTING = frozenset(
    {"reports", "reported", "said", "says", "noted", "notes", "found", "saw", "sees", "observed", "documented",
     "called", "rang", "phoned", "asked", "gave", "gives", "administered", "checked", "felt", "thought"}
)  # fmt: skip


def _staff_not_brand(doc: Doc, s: Span) -> bool:
    """ "the night nurse", "Night nurse reports": a brand of several words ending in a person word, after an
    article or before a verb of reporting, is the person."""
    if s.category != "MEDICATION" or s.t1 - s.t0 < 2 or not people.is_person(doc.toks[s.t1 - 1].norm):
        return False
    before = doc.toks[s.t0 - 1].norm if s.t0 > 0 else ""
    after = doc.toks[s.t1].norm if s.t1 < len(doc.toks) else ""
    return before in _DETERMINERS or after in _REPORTING


def _key(doc: Doc, t0: int, t1: int) -> str:
    return " ".join(t.norm for t in doc.toks[t0:t1])


def _cut_route(doc: Doc, s: Span, taken: list[bool]) -> None:
    """ "IV immunoglobulin": a dictionary name opening with its route is the drug after it (when that is a name
    too); the route word is left for the ROUTE_OR_MODE pattern, as AWS returns "IV" apart from the drug."""
    names = lex.drug_lexicon().names
    while s.t1 - s.t0 >= 2 and doc.toks[s.t0].norm in _ROUTE_HEAD and _key(doc, s.t0 + 1, s.t1) in names:
        taken[s.t0] = False
        s.t0 += 1
        s.begin = doc.toks[s.t0].begin
        drug = names[_key(doc, s.t0, s.t1)]
        s.type = "BRAND_NAME" if drug.is_brand else "GENERIC_NAME"


def _cut_form(doc: Doc, s: Span, taken: list[bool], devices: frozenset[str]) -> None:
    names = lex.drug_lexicon().names
    if _key(doc, s.t0, s.t1) in lex.curated_drug_names():
        return  # a product name of our own lists, form and all ("emollient cream", "blue inhaler")
    whole = names.get(_key(doc, s.t0, s.t1))
    canonical = lex.normalize(whole.canonical) if whole is not None else ""
    while s.t1 - s.t0 >= 2 and (doc.toks[s.t1 - 1].norm in _FORM_TAIL or doc.toks[s.t1 - 1].norm in devices):
        rest = _key(doc, s.t0, s.t1 - 1)
        if rest not in names and rest != canonical:
            break
        taken[s.t1 - 1] = doc.toks[s.t1 - 1].norm in devices  # a form word is free for the FORM pattern
        s.t1 -= 1
        s.end = doc.toks[s.t1 - 1].end
        drug = names.get(rest)
        if drug is not None:
            s.type = "BRAND_NAME" if drug.is_brand else "GENERIC_NAME"


def _with_salt(doc: Doc, s: Span, taken: list[bool]) -> None:
    nxt = s.t1
    if nxt >= len(doc.toks) or taken[nxt]:
        return
    word = doc.toks[nxt].norm
    named = f"{_key(doc, s.t0, s.t1)} {word}" in lex.drug_lexicon().names
    if not (people.is_salt(word) or people.salt_shaped(word) or (named and word.endswith(people.ANION))):
        return
    if doc.text[s.end : doc.toks[nxt].begin] == " " and doc.sent[nxt] == doc.sent[s.t0]:
        s.t1 = nxt + 1
        s.end = doc.toks[nxt].end
        taken[nxt] = True


def _as_level_test(doc: Doc, s: Span, taken: list[bool]) -> None:
    nxt = s.t1
    if nxt < len(doc.toks) and doc.toks[nxt].norm in _LEVEL_WORDS and doc.sent[nxt] == doc.sent[s.t0]:
        if doc.text[s.end : doc.toks[nxt].begin].strip():
            return  # "lithium, levels" is not one name
        s.category, s.type, s.score = "TEST_TREATMENT_PROCEDURE", "TEST_NAME", LEVEL_TEST_SCORE
        s.t1 = nxt + 1
        s.end = doc.toks[nxt].end
        taken[nxt] = True
