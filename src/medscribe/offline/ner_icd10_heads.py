"""Finding nouns said alone, read from ICD-10-CM: the finding that heads the titles of many body sites.

Source: the ICD-10-CM tabular list (the same release and package as :mod:`medscribe.offline.ner_icd10`), read by
:mod:`medscribe.offline.icd10cm`. The detector never imports the package: :func:`rebuilt_text` turns the tabular
list into ``data/ner/conditions_icd10cm_heads.txt`` once (``python scripts/build_icd10_lexicon.py``), and the file
is committed, sourced in its header; a test rebuilds it and compares when the package is installed.

Why: a clinician names a structural or vascular finding and then its site ("a stenosis of the left renal
artery", "an occlusion of the femoral artery", "an infarct in the occipital lobe"); the site is an
ANATOMY entity of its own (AWS), and the finding said alone is the condition. ICD-10-CM's own titles give the
finding with its site after "of" ("Stenosis of ...", "Occlusion and stenosis of ...", "Stricture of ..."), so its
cleaned names (:mod:`medscribe.offline.ner_icd10`, cut before "of") leave only the bare word, which that build drops
as too generic or too ordinary. This is the ICD-10-CM counterpart of the HPO's site heads
(:func:`medscribe.offline.ner_hpo.site_heads`).

What is kept (general rules, no note's words):

- a **head**: the first word (or the word after "and") of the titles of chapters A00-R99 shaped "<Head> [and
  <head>] of <site>", for at least :data:`MIN_SITES` different sites; not a word of the classification's own
  structure (:data:`CATEGORY`: "disorder", "neoplasm", "sequelae", "supervision"; an ICD-10-CM residual or
  bookkeeping word, ``ner_icd10._REJECT``) nor an everyday sense or a size (:data:`EVERYDAY`: "fear", "boil",
  "lack", "enlargement", "obstruction": its site said before it) nor a word the HPO's site heads leave out (``ner_hpo.HEAD_STOP``: "dissection", also an
  operation's name; "haemorrhage"); not already a one-word condition of the other lists;
- the **lesion noun** of a process head, by Latin word formation: "-osis" and "-ism" name the process, "-us" the
  body that it forms ("thrombosis" -> "thrombus", "embolism" -> "embolus"); "-ction" the event, "-ct" its lesion
  ("infarction" -> "infarct"). Kept only when the tabular list's text itself uses that word ("Saddle embolus of
  pulmonary artery", "Renal infarct", "embolism or thrombus of ..."), so no invented form enters the lexicon.
  A listed name ending in the process head is said with the lesion noun too ("pulmonary embolism" ->
  "pulmonary embolus", whose classical plural "pulmonary emboli" ``ner.latin_plurals`` reads;
  :func:`add_lesion_names`).

DX trait: SIGN (a finding on examination or imaging).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medscribe.offline.ner_lexicon import Concept

OUTPUT_NAME = "conditions_icd10cm_heads.txt"
MIN_SITES = 5
_TITLE = re.compile(
    r"^([A-Za-z]+)(?: and ([a-z]+))? of (?:the )?([a-z][a-z ]*?)(?:,|$| with| without| due| in )"
)
# words of the classification's structure: a kind of code, a bookkeeping word, not a finding said of a site
CATEGORY = frozenset({
    "disorder", "disorders", "disease", "diseases", "neoplasm", "neoplasms", "deficiency", "absence",
    "abnormality", "abnormalities", "anomaly", "anomalies", "malformation", "malformations", "disturbance",
    "disturbances", "complication", "complications", "infection", "infections", "failure", "lesion", "lesions",
    "supervision", "finding", "findings", "sequelae", "sequela",
})  # fmt: skip
# heads whose everyday sense is no finding ("fear of flying", "boil the kettle", "lack of sleep", "substance abuse":
# ICD's "Abuse of ..." is a behaviour's code), a size said of a site, and "obstruction", said of a site before it
# ("bowel obstruction", "bladder outlet obstruction", "airway obstruction") whose words the sites do not all hold
# (the condition guard quotes such a name whole: a bare "obstruction" would hide it); besides, every word the HPO's site heads
# leave out (``ner_hpo.HEAD_STOP``, in either spelling: "dissection", also an operation's name, "neck dissection";
# "haemorrhage", too generic alone)
EVERYDAY = frozenset({"fear", "boil", "lack", "abuse", "enlargement", "obstruction"})
_LESION = ((re.compile(r"osis$"), "us"), (re.compile(r"ism$"), "us"), (re.compile(r"ction$"), "ct"))
TRAIT = "SIGN"


def _site_counts(titles: Iterable[str]) -> dict[str, set[str]]:
    sites: dict[str, set[str]] = {}
    for title in titles:
        m = _TITLE.match(title)
        if m is None:
            continue
        for head in filter(None, (m.group(1).lower(), m.group(2))):
            sites.setdefault(head, set()).add(m.group(3).strip())
    return sites


def heads(titles: list[str], listed: frozenset[str], attested: frozenset[str]) -> list[tuple[str, ...]]:
    """(name,) of every finding head and (lesion noun, process head) of every lesion noun that ``attested`` holds
    (the words of the tabular list), sorted; ``listed`` are the one-word conditions the other lists already hold."""
    from medscribe.offline import ner_icd10
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner_hpo import HEAD_STOP

    found: dict[str, tuple[str, ...]] = {}
    for head, where in _site_counts(titles).items():
        if len(where) < MIN_SITES or head in CATEGORY or head in EVERYDAY or ner_icd10._REJECT.search(head):
            continue
        if head in HEAD_STOP or lex.british_spelling(head) in HEAD_STOP:
            continue
        if head not in listed:
            found[head] = (head,)
        for ending, lesion in _LESION:
            noun = ending.sub(lesion, head)
            if noun != head and noun in attested and noun not in listed:
                found[noun] = (noun, head)
    return [found[name] for name in sorted(found)]


def add_lesion_names(phrases: dict[str, Concept], rows: list[list[str]]) -> None:
    """ "pulmonary embolus", "myocardial infarct": a listed name that ends in a process head names, with the
    head's lesion noun in its place, the same condition (``rows``: the file's rows, a lesion's third field its
    process head). A listed phrase keeps its meaning."""
    lesions = {row[2]: row[1] for row in rows if len(row) > 2}
    for key, concept in list(phrases.items()):
        words = key.split()
        if concept.category == "MEDICAL_CONDITION" and len(words) > 1 and words[-1] in lesions:
            phrases.setdefault(" ".join([*words[:-1], lesions[words[-1]]]), concept)


def render(names: list[tuple[str, ...]]) -> str:
    from medscribe.offline.ner_icd10 import SOURCE

    head = [
        "# Finding nouns said alone, the finding heading ICD-10-CM titles of many sites (medscribe.offline.",
        "# ner_icd10_heads; do not edit by hand: rebuild with python scripts/build_icd10_lexicon.py).",
        f"# Source: {SOURCE}.",
        "# Format as conditions.txt: TRAIT|name, and |process head after a lesion noun (thrombus|thrombosis)",
    ]
    return "\n".join([*head, *("|".join((TRAIT, *row)) for row in names)]) + "\n"


def _listed() -> frozenset[str]:
    from medscribe.offline import ner_lexicon as lex
    from medscribe.offline.ner_condition_names import DOID_FILE, HPO_FILE, ICD10CM_FILE

    names = {row[1] for name in (ICD10CM_FILE, HPO_FILE, DOID_FILE) for row in lex._read_pipe_file(name)}
    return frozenset(n for n in names | set(lex.curated_phrases()) if " " not in n)


def rebuilt_text() -> str:
    """What ``conditions_icd10cm_heads.txt`` holds when rebuilt from the installed package now."""
    from medscribe.offline import icd10cm

    titles = [title for code, title in icd10cm.titles() if "A00" <= code[:3] <= "R99"]
    text = icd10cm.tabular_xml().read_text(encoding="utf-8").lower()
    return render(heads(titles, _listed(), frozenset(re.findall(r"[a-z]+", text))))


def write_lexicon() -> int:
    from medscribe.offline import ner_lexicon as lex

    text = rebuilt_text()
    lex.data_path(OUTPUT_NAME).write_text(text, encoding="utf-8")
    print(f"{OUTPUT_NAME}: {text.count(chr(10)) - 4} names")
    return 0
