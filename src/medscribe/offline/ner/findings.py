"""Findings said in words no lexicon lists as a condition on their own: a sign adjective at a body site
("tonsils enlarged", "the eardrum is bulging", "inflamed conjunctivae"), and a reduced function ("poor
concentration", "low energy", "reduced mobility").

AWS returns such a finding as a MEDICAL_CONDITION (DX_NAME, SIGN or SYMPTOM) whose SYSTEM_ORGAN_SITE is the
site ("Tonsils are enlarged": "enlarged" + ANATOMY "Tonsils"). A bare adjective is a finding only next to a
site — "red" alone, or in "red blood cells", is not one.
"""

from __future__ import annotations

from medscribe.offline.ner.text import Doc, Span

# adjectives of examination findings; only at a site (before it, or after it with a linking verb)
SIGN_ADJECTIVES = frozenset({
    "enlarged", "swollen", "tender", "inflamed", "erythematous", "bulging", "dilated", "hot",
    "boggy", "infected", "bruised", "deformed", "distended", "injected", "cracked", "scaly", "weeping",
    "crusted", "crusty", "ulcerated", "discoloured", "discolored", "mottled", "thickened", "atrophic",
    "oedematous", "edematous", "indurated", "fluctuant", "retracted", "perforated", "dull", "pitted",
    "hypertrophied", "wasted", "weak", "floppy", "stiff", "numb", "itchy", "sore", "painful", "watery",
    "sticky", "bloodshot", "puffy", "pale", "cold", "clammy", "blistered", "peeling", "sunken",
})  # fmt: skip
# "green discharge", "no discharge": the finding, unless it is the leaving of hospital ("on discharge",
# "discharge summary")
_DISCHARGE_NOT_BEFORE = frozenset({
    "on", "at", "for", "after", "before", "upon", "until", "since", "post", "pre", "of", "the", "planned",
    "safe", "early", "delayed", "her", "his", "their", "your", "awaiting", "await", "facilitate", "to",
    "pending", "day", "ready", "fit",
})  # fmt: skip
_DISCHARGE_NOT_AFTER = frozenset({
    "summary", "summaries", "letter", "planning", "plan", "home", "date", "medication", "medications",
    "meds", "instructions", "criteria", "lounge", "team", "destination", "today", "tomorrow", "after", "on",
    "following", "when", "once", "checklist", "arrangements",
})  # fmt: skip
_PLACES = frozenset({"hospital", "ward", "clinic", "service", "services", "icu", "unit", "care", "follow"})
_LINKING = frozenset({
    "is", "are", "was", "were", "feels", "feel", "felt", "looks", "look", "looked", "appears", "appear",
    "appeared", "seems", "seem", "became", "becomes", "remains", "remain", "both", "all", "has", "have", "had",
    "been", "getting", "gone",
})  # fmt: skip
_DEGREE = frozenset({
    "very", "slightly", "mildly", "markedly", "moderately", "smoothly", "diffusely", "grossly", "quite",
    "rather", "somewhat", "a", "bit", "little", "more", "less", "still", "now", "visibly", "obviously",
})  # fmt: skip
_DIRECTION = frozenset({"left", "right", "both", "bilateral", "upper", "lower"})

# "poor concentration", "low energy", "reduced mobility": a reduced function is a symptom
_REDUCED = frozenset({"poor", "reduced", "decreased", "low", "diminished", "impaired", "weak", "lack"})
_FUNCTIONS = frozenset({
    "concentration", "appetite", "sleep", "memory", "energy", "mobility", "balance", "feeding", "feeds",
    "vision", "hearing", "libido", "motivation", "coordination", "grip", "intake", "oral intake",
    "urine output", "exercise tolerance", "stream", "urinary stream", "eye contact", "attention",
    "self care", "weight gain", "growth", "sensation", "power", "air entry",
})  # fmt: skip


def _free(taken: list[bool], i: int) -> bool:
    return 0 <= i < len(taken) and not taken[i]


def _sign(doc: Doc, i: int, trait: str, taken: list[bool]) -> Span:
    s = doc.span(doc.toks[i].begin, doc.toks[i].end, "MEDICAL_CONDITION", "DX_NAME", 0.8)
    s.traits.append((trait, 0.85))
    taken[i] = True
    return s


def _signs_after(doc: Doc, site: Span, taken: list[bool]) -> list[Span]:
    """ "Tonsils enlarged", "the eardrum is red and bulging", "calf tender and swollen"."""
    out: list[Span] = []
    i = site.t1
    n = len(doc.toks)
    while i < n and doc.sent[i] == doc.sent[site.t0] and doc.toks[i].norm in _LINKING | _DEGREE:
        if i - site.t1 >= 3:
            return out
        i += 1
    while (
        i < n and doc.sent[i] == doc.sent[site.t0] and _free(taken, i) and doc.toks[i].norm in SIGN_ADJECTIVES
    ):
        if doc.text[doc.toks[i - 1].end : doc.toks[i].begin].strip(" ,"):
            break  # a clause break (";", ".") ends the run
        out.append(_sign(doc, i, "SIGN", taken))
        j = i + 1
        if j + 1 < n and doc.toks[j].norm in ("and", "or") and doc.toks[j + 1].norm in SIGN_ADJECTIVES:
            i = j + 1
            continue
        break
    return out


def _sign_before(doc: Doc, site: Span, taken: list[bool]) -> list[Span]:
    """ "Red conjunctivae", "swollen MCP joints", "dilated left atrium": the adjective right before."""
    i = site.t0 - 1
    if i >= 0 and doc.toks[i].norm in _DIRECTION and doc.text[site.begin - 1 : site.begin] == " ":
        i -= 1
    if i < 0 or doc.sent[i] != doc.sent[site.t0] or not _free(taken, i):
        return []
    if doc.toks[i].norm not in SIGN_ADJECTIVES or doc.text[doc.toks[i].end : doc.toks[i + 1].begin].strip():
        return []
    return [_sign(doc, i, "SIGN", taken)]


def site_signs(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    out: list[Span] = []
    for site in [s for s in found if s.category == "ANATOMY"]:
        out += _sign_before(doc, site, taken)
        out += _signs_after(doc, site, taken)
    return out


def discharges(doc: Doc, taken: list[bool]) -> list[Span]:
    """ "discharge" as a sign ("green discharge", "discharge from the left eye", "no discharge")."""
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if tok.norm != "discharge" or taken[i]:
            continue
        before = doc.toks[i - 1].norm if i > 0 and doc.sent[i - 1] == doc.sent[i] else ""
        after = doc.toks[i + 1].norm if i + 1 < len(doc.toks) and doc.sent[i + 1] == doc.sent[i] else ""
        if before in _DISCHARGE_NOT_BEFORE or after in _DISCHARGE_NOT_AFTER:
            continue
        if after == "from" and {t.norm for t in doc.toks[i + 2 : i + 4]} & _PLACES:
            continue  # "discharge from hospital"
        out.append(_sign(doc, i, "SIGN", taken))
    return out


# "had a fit", "febrile fits": a seizure; never "fit and well", "fit to drive", "keep fit"
_FIT_BEFORE = frozenset({
    "a", "another", "first", "second", "further", "febrile", "had", "having", "has", "no", "any", "more",
    "generalised", "generalized", "prolonged", "witnessed", "two", "three", "several", "recurrent",
})  # fmt: skip
_FIT_NOT_AFTER = frozenset({"and", "to", "for", "enough", "in", "with", "into", "as", "well", "the"})
# "a temperature", "high temperature": a fever said in lay words, not the test ("temperature 38.2")
_FEVER_BEFORE = frozenset({"a", "high", "raised", "spiking", "spiked", "running", "any"})


def lay_signs(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """ "had a fit" (a seizure), "gets a temperature" (a fever)."""
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        before = doc.toks[i - 1].norm if i > 0 and doc.sent[i - 1] == doc.sent[i] else ""
        after = doc.toks[i + 1].norm if i + 1 < len(doc.toks) and doc.sent[i + 1] == doc.sent[i] else ""
        if (
            tok.norm in ("fit", "fits")
            and not taken[i]
            and before in _FIT_BEFORE
            and after not in _FIT_NOT_AFTER
        ):
            out.append(_sign(doc, i, "SYMPTOM", taken))
        elif (
            tok.norm == "temperature"
            and before in _FEVER_BEFORE
            and not after[:1].isdigit()
            and after != "of"
        ):
            test = next((s for s in found if s.t0 == i and s.t1 == i + 1 and s.type == "TEST_NAME"), None)
            if test is not None:
                found.remove(test)
                taken[i] = False
            if not taken[i]:
                out.append(_sign(doc, i, "SIGN", taken))
    return out


# a quality said as the symptom itself: "the burning in his feet", "stinging when passing urine"
_QUALITY_NOUNS = frozenset({"burning", "stinging", "aching", "throbbing", "itching", "tingling"})
# "" is a sentence start: "Aching in her lower back since the weekend."
_QUALITY_DETERMINERS = frozenset(
    {"", "the", "a", "some", "of", "with", "and", "no", "any", "for", "her", "his"}
)
_QUALITY_AFTER = frozenset({"in", "on", "over", "around", "when", "during", "after", "of", "at"})


def quality_symptoms(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """ "the burning in his feet": a quality word that qualifies no condition, used as a noun."""
    out: list[Span] = []
    starts = {s.t0 for s in found if s.category == "MEDICAL_CONDITION"}
    for i, tok in enumerate(doc.toks):
        if tok.norm not in _QUALITY_NOUNS or taken[i] or i + 1 in starts or i + 1 >= len(doc.toks):
            continue
        before = doc.toks[i - 1].norm if i > 0 and doc.sent[i - 1] == doc.sent[i] else ""
        if before in _QUALITY_DETERMINERS and doc.toks[i + 1].norm in _QUALITY_AFTER:
            out.append(_sign(doc, i, "SYMPTOM", taken))
    return out


def reduced_functions(doc: Doc, taken: list[bool]) -> list[Span]:
    out: list[Span] = []
    n = len(doc.toks)
    for i, tok in enumerate(doc.toks):
        if tok.norm not in _REDUCED or taken[i]:
            continue
        j = i + 1
        if tok.norm == "lack" and j < n and doc.toks[j].norm == "of":
            j += 1
        for k in (2, 1):
            if j + k > n or any(taken[j : j + k]) or any(doc.sent[x] != doc.sent[i] for x in range(j, j + k)):
                continue
            if " ".join(t.norm for t in doc.toks[j : j + k]) in _FUNCTIONS:
                s = doc.span(tok.begin, doc.toks[j + k - 1].end, "MEDICAL_CONDITION", "DX_NAME", 0.85)
                s.traits.append(("SYMPTOM", 0.85))
                out.append(s)
                for x in range(i, j + k):
                    taken[x] = True
                break
    return out
