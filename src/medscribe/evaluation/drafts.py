"""Silent dangerous errors and weak flags of a draft's sections object against a held-out note.

The definitions are those of ``corpus/drafts/PROCEDURE.md`` section 6 (an item is unflagged when its ``flags``
list is empty):

- ``wrong_fact`` (a): an unflagged Problems / Medications item stating a ``forbidden`` fact, or a fact of another
  section of the note (family, conditional, denied, not taking; an allergen in Medications);
- ``wrong_dose`` (b): an unflagged Medications item for an expected drug whose dose is not the new dose (a range
  printed for a change, a taper missing a step, a genuine range not flagged);
- ``omission`` (c): an expected medication, problem or allergy in no section and named by no flag;
- ``false_all_clear`` (d): "Nothing flagged" while any error exists, any item is flagged, or ``needs_review``;
- ``misplaced`` (e): an expected current problem / medication only in another section, unflagged (a problem under
  Social history stated as current — "Smoking (current): …" — is in place);
- ``weak_flag``: a wrong item that is flagged but whose flags and reasons do not name its real problem.

Each unflagged item counts at most once; ``score_sections`` returns the findings of one note and one form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.matching import (
    dose_matches,
    doses_all_shown,
    is_range,
    item_dose_text,
    mentions,
    names_overlap,
    norm_name,
    related,
    states_dose,
)

ERROR_KINDS = ("wrong_fact", "wrong_dose", "omission", "false_all_clear", "misplaced")
CURRENT = ("Problems", "Medications")
NOTHING_FLAGGED = "nothing flagged"
NOTES_FILE = Path("corpus/drafts/notes.jsonl")
# Tuning-only sets written after the held-out set (PROCEDURE.md section 7): every note of such a file has the
# file's one split name, and all of it may be tuned on (there is no "final" part).
TUNING = "tuning"  # the draft-rows batch (PROCEDURE.md): every note of its file, none held out
TUNING_SPLITS = {
    "dev2": Path("corpus/drafts/dev2.jsonl"),
    TUNING: Path("corpus/drafts/tuning_rows.jsonl"),
    "omit": Path("corpus/drafts/tuning_omit.jsonl"),  # the omissions tuning batch
    "tuning_place": Path("corpus/drafts/tuning_place.jsonl"),  # negation scope and flag categories
    "tuning_ner3_med": Path("corpus/drafts/tuning_ner3_med.jsonl"),  # medication entities
    "tuning_ner3_time": Path("corpus/drafts/tuning_ner3_time.jsonl"),  # time, anatomy, condition entities
    "tuning_silent": Path("corpus/drafts/tuning_silent.jsonl"),  # silent errors and weak flags on new text
    "tuning_ner4_med": Path("corpus/drafts/tuning_ner4_med.jsonl"),  # medication entities, session 8
    "tuning_silent2": Path("corpus/drafts/tuning_silent2.jsonl"),  # structures (PROCEDURE.md 15)
    "tuning_ner4_time": Path("corpus/drafts/tuning_ner4_time.jsonl"),  # anatomy and time entities, session 8
    "tuning_ner5_anat": Path("corpus/drafts/tuning_ner5_anat.jsonl"),  # sites, times, drug precision (18)
    "omit2": Path("corpus/drafts/tuning_omit2.jsonl"),  # omissions of lists, abbreviations (PROCEDURE.md 19)
    "tuning_ner5_cond": Path("corpus/drafts/tuning_ner5_cond.jsonl"),  # condition entities (PROCEDURE.md 20)
    "tuning_silent3": Path("corpus/drafts/tuning_silent3.jsonl"),  # run-ons, given once (PROCEDURE.md 21)
    "tuning_selfcorr": Path("corpus/drafts/tuning_selfcorr.jsonl"),  # self-corrections while dictating (23)
    "tuning_silent4": Path(
        "corpus/drafts/tuning_silent4.jsonl"
    ),  # spouses, pronoun stops, one flag per item (29)
}
# Held-out batches written after notes.jsonl (PROCEDURE.md sections 9, 11, 13, 17, 22, 27, 32, 39, 47, 54 and 61): each
# has its own dev / final split, fixed by order within the batch, named "<batch>-dev" / "<batch>-final"; its final part is never tuned on
# nor itemised.
HELD_OUT_BATCHES = {
    "batch3": Path("corpus/drafts/batch3.jsonl"),  # section 9
    "batch4": Path("corpus/drafts/batch4.jsonl"),  # section 11
    "batch5": Path("corpus/drafts/batch5.jsonl"),  # section 13
    "batch6": Path("corpus/drafts/batch6.jsonl"),  # section 17
    "batch7": Path("corpus/drafts/batch7.jsonl"),  # section 22
    "batch8": Path("corpus/drafts/batch8.jsonl"),  # section 27
    "batch9": Path("corpus/drafts/batch9.jsonl"),  # section 32
    "batch10": Path("corpus/drafts/batch10.jsonl"),  # section 39
    "batch11": Path("corpus/drafts/batch11.jsonl"),  # section 47
    "batch12": Path("corpus/drafts/batch12.jsonl"),  # section 54
    "batch13": Path("corpus/drafts/batch13.jsonl"),  # section 61
}

# the real problem of a wrong item -> words one of its flags or reasons must contain to name it
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "family": ("FAMILY", "PERTAINS", "OTHER_PERSON", "RELATIVE"),
    "other person": ("OTHER_PERSON", "FAMILY", "PERTAINS", "SUBJECT", "SOMEONE ELSE"),
    "conditional": ("HYPOTHETICAL", "CONDITIONAL", "FUTURE", "PLAN"),
    "denied": ("NEGATION", "NEGATED", "DENIED"),
    "stopped": (
        "STOPPED",
        "HELD",
        "HOLD",
        "WITHHELD",
        "WITHHOLD",
        "NOT_TAKING",
        "DISCONTINUED",
        "NOT STARTED",
        "NEGATION",
    ),
    "allergy": ("ALLERGY", "ALLERGEN", "ALLERGIC"),
    "dose": ("DOSE", "STRENGTH", "TAPER", "FRACTION", "RANGE"),
    # a drug given during the event (a stat dose, in the ambulance, on the ward), not a prescription after it
    "given once": ("GIVEN_ONCE", "ONE_OFF", "SINGLE_DOSE", "ADMINISTERED", "NOT_TAKING"),
    "look-alike": ("LOOK_ALIKE", "SOUND_ALIKE", "LASA", "CONFUS", "TALL_MAN"),
    "sound-alike": ("SOUND_ALIKE", "LOOK_ALIKE", "LOW_ASR", "CONFUS", "UNCLEAR"),
    # a value the speaker took back ("losartan 50, sorry, 25 mg"; "start X, scratch that, start Y"): a wrong fact
    # or dose, named by a flag that says the value was corrected or doubts the dose or the statement
    "retracted": ("RETRACT", "CORRECTION", "CORRECTED", "SELF_CORRECT", "DOSE", "UNCLEAR", "CONFIRM"),
    # a condition said as over ("a rash which has resolved"): shown as current only with a flag saying it may be past
    "past": ("PAST", "HISTORY", "RESOLVED"),
    "unclear": (
        "UNCLEAR",
        "LOW_ASR",
        "UNINTELLIGIBLE",
        "NOT_CAPTURED",
        "NOT_NORMALISED",
        "UNCERTAIN",
        "CONFIRM",
    ),
}
WHY_CATEGORY = {  # a forbidden fact's ``why`` -> its category above
    "family": "family",
    "other person": "other person",
    "conditional": "conditional",
    "conditional dose": "conditional",
    "future dose": "conditional",
    "denied": "denied",
    "stopped": "stopped",
    "held": "stopped",
    "not started": "stopped",
    "not taking": "stopped",
    "allergy": "allergy",
    "given once": "given once",
    "old dose": "dose",
    "fraction": "dose",
    "look-alike": "look-alike",
    "sound-alike": "sound-alike",
    "unclear": "unclear",
    "retracted": "retracted",  # a self-correction's taken-back value (PROCEDURE.md section 22)
    "resolved": "past",  # a condition said as over after its name ("which resolved", "that has cleared")
    "limit": "dose",  # a maximum-dose limit ("max 4 g in 24 hours") read as the row's dose (PROCEDURE.md section 27)
}
OTHER_LISTS = {  # expectation list -> category, for facts of another section stated as current
    "family_history": "family",
    "conditional": "conditional",
    "denied": "denied",
    "not_taking": "stopped",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # one of ERROR_KINDS, or "weak_flag"
    section: str
    what: str  # the item text or the expected fact
    why: str  # category / reason

    def show(self) -> str:
        return f"{self.kind:<16} {self.section:<12} {self.what[:70]!r} ({self.why})"


def load_notes(path: Path = NOTES_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(index: int, count: int, batch: str | None = None) -> str:
    """The split fixed by order: the first two thirds "dev", the last third (``count // 3`` notes) "final";
    within a later held-out batch the same rule, prefixed with the batch's name ("batch3-final")."""
    split = "dev" if index < count - count // 3 else "final"
    return split if batch is None else f"{batch}-{split}"


def batch_of(split: str) -> str | None:
    """The held-out batch a split belongs to ("batch3-dev" -> "batch3"); None for notes.jsonl's dev / final."""
    batch, _, part = split.rpartition("-")
    return batch if batch in HELD_OUT_BATCHES and part in ("dev", "final") else None


def is_final(split: str) -> bool:
    """A never-tuned split: notes.jsonl's final third or a held-out batch's ("batch3-final")."""
    return split == "final" or (batch_of(split) is not None and split.endswith("-final"))


def check_notes(notes: list[dict[str, Any]]) -> list[str]:
    """Problems with the set itself: split not by order within its file (notes.jsonl, or a held-out batch such as
    batch3; a tuning batch mixed with held-out notes), a recogniser form not derived from the text."""
    problems = []
    held_out: dict[str | None, list[dict[str, Any]]] = {}
    for note in notes:
        if note["split"] not in TUNING_SPLITS:
            held_out.setdefault(batch_of(note["split"]), []).append(note)
    for batch, group in held_out.items():
        for i, note in enumerate(group):
            if note["split"] != split_of(i, len(group), batch):
                problems.append(f"{note['id']}: split {note['split']} but position {i + 1} of {len(group)}")
    for note in notes:
        if note["asr_text"] != recogniser_form(note["text"]):
            problems.append(f"{note['id']}: asr_text is not recogniser_form(text)")
    return problems


def _sections(obj: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for section in obj.get("sections", []):
        out.setdefault(str(section.get("title", "")), []).extend(section.get("items", []))
    return out


# The Social history section (session 10) holds the patient's habits: "Smoking (current): …" is a current fact,
# "Smoking (ex): …" / "(never)" / "(none)" / "(history)" is not.
SOCIAL = "Social history"
_NOT_CURRENT_HABIT = ("(ex)", "(never)", "(none)", "(history)")


def _current_habit(title: str, item: dict[str, Any]) -> bool:
    text = str(item.get("text", "")).split(":", 1)[0]
    return title == SOCIAL and not any(w in text for w in _NOT_CURRENT_HABIT)


def _flagged(item: dict[str, Any]) -> bool:
    return bool(item.get("flags"))


# Flag kinds whose "UNCLEAR" is whose the item is, or how far a negation, condition, history or correction reaches:
# they name no word heard or said unclearly, so not the "unclear" or "sound-alike" category (PROCEDURE.md section 49)
SCOPE_KINDS = (
    "SUBJECT_UNCLEAR",
    "NEGATION_SCOPE_UNCLEAR",
    "CONDITION_SCOPE_UNCLEAR",
    "HISTORY_SCOPE_UNCLEAR",
    "CORRECTION_SCOPE_UNCLEAR",
)
_HEARING = ("unclear", "sound-alike")


def names_category(item: dict[str, Any], category: str) -> bool:
    """One of the item's flags or reasons names the category (``CATEGORY_WORDS``): a category word at the start of
    a word of a flag kind or reason ("OVERDOSE" names no dose, "THRESHOLD" no hold); a scope kind's "UNCLEAR"
    (``SCOPE_KINDS``) names no unclear word."""
    flags = [str(f).upper() for f in item.get("flags", [])]
    if category in _HEARING:
        flags = [f.removesuffix("_UNCLEAR") if f in SCOPE_KINDS else f for f in flags]
    said = " ".join([*flags, *(str(r) for r in item.get("reasons") or [])]).upper()
    said_words = said.replace(" ", "_")
    return any(
        re.search(rf"(?<![A-Z]){re.escape(w)}", text)
        for w in CATEGORY_WORDS[category]
        for text in (said, said_words)
    )


def _current_names(expect: dict[str, Any]) -> list[str]:
    return [m["name"] for m in expect["medications"]] + list(expect["problems"])


def _wrong_fact(item: dict[str, Any], section: str, expect: dict[str, Any]) -> tuple[str, str] | None:
    """(fact, category) when the item states a fact that must not be current, else None."""
    for f in expect["forbidden"]:
        if f["section"] != section or not mentions(item, f["name"]):
            continue
        if f.get("dose") and not states_dose(item, f["dose"]):
            continue
        return f"{f['name']} {f.get('dose', '')}".strip(), WHY_CATEGORY.get(f["why"], "unclear")
    current = _current_names(expect)
    others = [(name, cat) for key, cat in OTHER_LISTS.items() for name in expect[key]]
    if section == "Medications":
        others += [(a["substance"], "allergy") for a in expect["allergies"]]
    for name, cat in others:
        if mentions(item, name) and not any(names_overlap(name, c) for c in current):
            return name, cat
    return None


def _wrong_dose(item: dict[str, Any], expect: dict[str, Any]) -> str | None:
    """Why an item for an expected drug does not state its new dose, else None."""
    for med in expect["medications"]:
        if not mentions(item, med["name"]):
            continue
        if med.get("dose_range"):
            return f"range {med.get('dose')} not flagged"
        if med.get("doses") and not doses_all_shown(item, med["doses"]):
            return f"taper steps {med['doses']} not all shown"
        if med.get("dose") and not dose_matches(item, med["dose"]):
            shown = item_dose_text(item)
            return f"dose {med['dose']} expected, shown {shown!r}" + (" (a range)" if is_range(shown) else "")
        return None
    return None


def score_sections(note: dict[str, Any], obj: dict[str, Any]) -> list[Finding]:
    """Every silent dangerous error and weak flag of one draft object for one note."""
    expect = note["expect"]
    by_title = _sections(obj)
    everything = [(title, item) for title, items in by_title.items() for item in items]
    found: list[Finding] = []
    for section in CURRENT:
        for item in by_title.get(section, []):
            wrong = _wrong_fact(item, section, expect)
            reason = (wrong[0], wrong[1]) if wrong else None
            if reason is None and section == "Medications":
                bad_dose = _wrong_dose(item, expect)
                reason = (bad_dose, "dose") if bad_dose else None
            if reason is None:
                continue
            kind = "wrong_fact" if wrong else "wrong_dose"
            if not _flagged(item):
                found.append(Finding(kind, section, str(item.get("text", "")), reason[0]))
            elif not names_category(item, reason[1]):
                found.append(
                    Finding("weak_flag", section, str(item.get("text", "")), f"{reason[1]}: {reason[0]}")
                )
    expected = (
        [("Medications", m["name"]) for m in expect["medications"]]
        + [("Problems", p) for p in expect["problems"]]
        + [("Allergies", a["substance"]) for a in expect["allergies"]]
    )
    for section, name in expected:
        anywhere = [(title, item) for title, item in everything if related(item, name)]
        if not anywhere:
            found.append(Finding("omission", section, name, "in no section, named by no flag"))
            continue
        if section == "Allergies" or any(title in CURRENT for title, _ in anywhere):
            continue
        if section == "Problems" and any(_current_habit(title, item) for title, item in anywhere):
            continue  # "He smokes 20 a day" under Social history, stated as current: where a clinician reads it
        shared = [k for k in (*OTHER_LISTS, "allergies") if _listed(expect, k, name)]
        if not shared and all(not _flagged(item) for _, item in anywhere):  # a Needs review item is a flag
            where = sorted({title for title, _ in anywhere})
            found.append(Finding("misplaced", section, name, f"only under {', '.join(where)}, unflagged"))
    if _all_clear(by_title) and (
        found or expect.get("needs_review") or any(_flagged(i) for _, i in everything)
    ):
        errors = [f for f in found if f.kind in ERROR_KINDS]
        why = "needs review" if expect.get("needs_review") else f"{len(errors)} errors / flagged items"
        found.append(Finding("false_all_clear", "Needs review", "Nothing flagged", why))
    return found


def _listed(expect: dict[str, Any], key: str, name: str) -> bool:
    values = expect[key]
    names = [v["substance"] if isinstance(v, dict) else v for v in values]
    return any(names_overlap(name, n) for n in names)


def _all_clear(by_title: dict[str, list[dict[str, Any]]]) -> bool:
    return any(norm_name(str(i.get("text", ""))) == NOTHING_FLAGGED for i in by_title.get("Needs review", []))
