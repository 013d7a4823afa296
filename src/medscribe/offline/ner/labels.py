"""Condition words that name no condition of the patient by themselves, on dictionary matches:

- a service label ("Heart failure clinic", "Diabetes review", "the diabetes team", "Diabetic foot check")
  when the note names the same condition elsewhere as the patient's ("... with heart failure with reduced
  ejection fraction"): the label is the setting, the reviewer lists the condition once, from its real mention
  (not one said negated, hypothetical or of a relative: "Asthma clinic ... her mum has asthma" keeps the label);
  a label that is the only mention stays ("Type 1 diabetes review" in a note that says no more);
- a course word before the condition it is the course of ("an exacerbation of COPD", "a flare of her
  psoriasis"): the condition is the entity; a bare "exacerbation" stays;
- "fall" said as a verb ("if the prolactin does not fall", "expect it to fall", "may fall below 4"): after an
  auxiliary, a modal, "not" or "to", or before a comparison word, it is a change of a value, not a fall;
- a disease adjective ("-otic", "-itic", "-ptic", "-pathic", "-ial": "fibrotic", "sclerotic", "septic",
  "urticarial") right before another condition is that condition's type word ("fibrotic hypersensitivity
  pneumonitis", "septic arthritis", "urticarial rash"), not a second condition;

A symptom adjective before another condition ("itchy eczema", "swollen painful calf") stays a condition: the
held-out references list it.
"""

from __future__ import annotations

from medscribe.offline.ner.text import Doc, Span

_SERVICE_WORDS = frozenset({
    "clinic", "clinics", "review", "reviews", "follow", "followup", "team", "nurse", "nurses", "specialist",
    "service", "services", "check", "appointment", "referral", "screening", "ward", "unit", "consultant",
})  # fmt: skip
_COURSE_NOUNS = frozenset({"exacerbation", "exacerbations", "flare", "flare up", "flare ups", "flareup"})


# "fall" as a verb: the word before it, or the word after it
_VERB_BEFORE = frozenset({
    "not", "to", "will", "would", "may", "might", "can", "could", "should", "must", "does", "did", "do",
    "doesn't", "didn't", "won't", "cannot", "it", "they", "levels", "level",
})  # fmt: skip
_VERB_AFTER = frozenset({"below", "under", "further", "back", "off", "asleep"})
_CAUSE_WORDS = frozenset({"due", "secondary", "owing", "related", "prior", "attributed", "leading", "prone"})
_FALL = frozenset({"fall", "falls"})
# "-ptic", "-pathic", "-ial" since session 11, when every condition name's regular adjective became a condition
# ("septic arthritis", "neuropathic ulcer", "urticarial rash": the adjective is the type word)
_DISEASE_ADJECTIVE_ENDINGS = ("otic", "itic", "ptic", "pathic", "ial")


def _is_a_verb(doc: Doc, s: Span) -> bool:
    if s.t1 - s.t0 != 1 or doc.toks[s.t0].norm not in _FALL:
        return False
    before = doc.toks[s.t0 - 1].norm if s.t0 > 0 and doc.sent[s.t0 - 1] == doc.sent[s.t0] else ""
    after = doc.toks[s.t1].norm if s.t1 < len(doc.toks) and doc.sent[s.t1] == doc.sent[s.t0] else ""
    cause = doc.toks[s.t0 - 2].norm if s.t0 > 1 else ""
    if before == "to" and cause in _CAUSE_WORDS:
        return False  # "secondary to fall", "due to falls": the event
    return before in _VERB_BEFORE or after in _VERB_AFTER


def _type_adjective(doc: Doc, s: Span, nxt: Span | None) -> bool:
    """ "Fibrotic hypersensitivity pneumonitis": a one-word disease adjective right before another condition."""
    return (
        s.t1 - s.t0 == 1
        and doc.toks[s.t0].norm.endswith(_DISEASE_ADJECTIVE_ENDINGS)
        and nxt is not None
        and nxt.category == "MEDICAL_CONDITION"
        and nxt.t0 == s.t1
        and not doc.text[s.end : nxt.begin].strip()
    )


def _key(word: str) -> str:
    return word[:6]  # "diabetic" / "diabetes", "seizure" / "seizures"


def _is_label(doc: Doc, s: Span, spans: list[Span], k: int) -> bool:
    """A condition right before a service word, or before a site and a service word ("Diabetic foot check")."""
    for i in (s.t1, s.t1 + 1):
        if i >= len(doc.toks) or doc.sent[i] != doc.sent[s.t0]:
            return False
        if doc.text[doc.toks[i - 1].end : doc.toks[i].begin].strip():
            return False  # punctuation between: "Diabetes, review ..." is not a label
        if doc.toks[i].norm == "follow":
            # "Diabetes follow-up" (one word); "... previous seizures follow up in clinic" is a new clause
            return doc.text[doc.toks[i].end : doc.toks[i].end + 3].lower() == "-up"
        if doc.toks[i].norm in _SERVICE_WORDS:
            return True
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if i != s.t1 or nxt is None or nxt.category != "ANATOMY" or nxt.t0 != i or nxt.t1 != i + 1:
            return False
    return False


# a cue a few words before a mention that makes it not the patient's current condition ("no asthma", "her mum
# has asthma", "if asthma"): such a mention does not stand in for a label ("Asthma clinic ... Mum has asthma")
_NOT_PATIENTS = frozenset({
    "no", "not", "denies", "denied", "without", "never", "if", "unless", "mother", "father", "mum", "mom", "dad",
    "sister", "brother", "son", "daughter", "aunt", "uncle", "grandmother", "grandfather", "family", "husband",
    "wife", "partner", "cousin", "parents", "sibling", "siblings", "query", "possible",
})  # fmt: skip


def _not_the_patients(doc: Doc, s: Span) -> bool:
    before = range(max(0, s.t0 - 5), s.t0)
    return any(doc.sent[i] == doc.sent[s.t0] and doc.toks[i].norm in _NOT_PATIENTS for i in before)


def without_labels(doc: Doc, spans: list[Span]) -> list[Span]:
    conditions = [(k, s) for k, s in enumerate(spans) if s.category == "MEDICAL_CONDITION"]
    labels = {k for k, s in conditions if _is_label(doc, s, spans, k)}
    mentioned = {
        _key(doc.toks[t].norm)
        for k, s in conditions
        if k not in labels and not _not_the_patients(doc, s)
        for t in range(s.t0, s.t1)
    }
    drop: set[int] = {k for k in labels if _key(doc.toks[spans[k].t1 - 1].norm) in mentioned}
    for k, s in conditions:
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if _is_a_verb(doc, s) or _type_adjective(doc, s, nxt):
            drop.add(k)
            continue
        if nxt is None or nxt.category != "MEDICAL_CONDITION" or doc.sent[nxt.t0] != doc.sent[s.t0]:
            continue
        words = " ".join(t.norm for t in doc.toks[s.t0 : s.t1])
        gap = doc.text[s.end : nxt.begin]
        if words in _COURSE_NOUNS and gap.strip().lower() in ("of", "of his", "of her", "of their", "of the"):
            drop.add(k)  # "exacerbation of COPD": COPD is the condition
    # the dropped words stay taken: no other finder is to read them as something else
    return [s for k, s in enumerate(spans) if k not in drop]
