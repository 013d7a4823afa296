"""Body-site names derived from the ICD-10-CM injury and neoplasm chapters, for the offline detector's anatomy
lexicon.

Source: the ICD-10-CM tabular list (CDC / NCHS, FY2026; public domain) as shipped in ``simple-icd-10-cm``
(1.5.0, MIT, the ``dev`` extra), the same file as ``ner_icd10``. ICD-10-CM names every injury by its site
("Contusion of left elbow", "Laceration without foreign body of lip", "Sprain of sacroiliac joint"), so
the injury chapter (S00-T14) is a dated, sourced list of the body sites a clinician names; the neoplasm chapter
(C00-D49) names the organs and their parts the same way ("Malignant neoplasm of parotid gland", "Benign neoplasm
of buccal mucosa"). The detector never imports the package: :func:`build` turns the tabular XML into ``data/ner/anatomy_icd10cm.txt`` once
(``python scripts/build_anatomy_lexicon.py``); the file is committed, and a test rebuilds and compares it
when the package is installed.

What is kept (general rules): the words after the last "of" of an injury description (injury head words
only: contusion, laceration, sprain, fracture, dislocation, ...), laterality dropped ("of left elbow" ->
"elbow"), when they are 1-3 words of letters with no residual or structural word ("part", "unspecified",
"bone", "ligament", "multiple", ...), and a single word is a noun (not an -al / -ar / -ic adjective such as
"lumbar", "lymphoid"), and no word names a condition or a product ("undescended testis", "gum"). Sites already
in the curated ``anatomy.txt`` are left out (the curated list wins).
"""

from __future__ import annotations

import re
from pathlib import Path

from medscribe.offline import icd10cm, ner_icd10

OUTPUT_NAME = "anatomy_icd10cm.txt"

_HEAD = re.compile(
    r"^(?:contusion|laceration|abrasion|puncture wound|open bite|superficial injury|blister|sprain|strain|"
    r"dislocation|subluxation|fracture|crushing injury|traumatic amputation|burn|corrosion|frostbite|injury|"
    r"foreign body|insect bite|external constriction|unspecified injury|other injury|superficial foreign body|"
    # the neoplasm chapter names organs and their parts ("Malignant neoplasm of parotid gland")
    r"malignant neoplasm|benign neoplasm|secondary malignant neoplasm|carcinoma in situ|"
    r"neoplasm of uncertain behavior|neoplasm of unspecified behavior)"
    r"\b[a-z ,-]*? of (?P<site>.+)$"
)
# the chapters whose descriptions name a site after "of": injuries (S00-T14) and neoplasms (C00-D49)
_CHAPTERS = (("S00", "T14"), ("C00", "D49"))
_LATERALITY = re.compile(r"^(?:the\s+)?(?:right|left|unspecified|bilateral)\s+")
_REJECT = re.compile(
    r"\b(?:part|parts|site|sites|unspecified|other|multiple|duration|region|level|type|with|without|"
    r"specified|degree|initial|subsequent|sequela|displaced|nondisplaced|fracture|bone|bones|shaft|end|"
    r"process|muscle|muscles|fascia|tendon|tendons|ligament|ligaments|nerve|nerves|vessel|"
    r"vessels|junction|extremity|limb|and|or|of|at|area|one|right|left|organ|organs|first|second|third|"
    r"fourth|fifth|sixth|seventh|cord|plexus|tract|cortex|chiasm|arch|space|wall|floor|roof)\b"
)
_ADJECTIVE = re.compile(r"(?:al|ar|ic|ous|oid)$")
# a site word that names a condition or a product in a note ("undescended testis", "nicotine gum")
_NOT_SITE = re.compile(r"\b(?:descended|undescended|tissue|gum)\b")


def _site(desc: str) -> str | None:
    text = re.sub(r"\([^)]*\)|\[[^]]*\]", "", desc.lower()).split(",")[0].strip()
    m = _HEAD.match(text)
    if m is None:
        return None
    site = _LATERALITY.sub("", m.group("site").strip())
    words = site.split()
    if not 1 <= len(words) <= 3 or not all(w.replace("-", "").isalpha() for w in words):
        return None
    if _REJECT.search(site) or _NOT_SITE.search(site) or (len(words) == 1 and _ADJECTIVE.search(site)):
        return None
    return " ".join(words)


def build(xml_path: Path, excluded: frozenset[str]) -> list[str]:
    """Sorted site names of the injury chapter, without those in ``excluded`` (the curated phrases)."""
    found: set[str] = set()
    for code, desc in icd10cm.descriptions(xml_path):
        if not any(lo <= code[:3] <= hi for lo, hi in _CHAPTERS):
            continue
        site = _site(desc)
        if site is not None and site not in excluded and site.rstrip("s") not in excluded:
            found.add(site)
    return sorted(found)


def render(sites: list[str]) -> str:
    head = [
        "# Body sites derived from ICD-10-CM injury descriptions (medscribe.offline.ner_icd10_sites; do not edit",
        "# by hand: rebuild with python scripts/build_anatomy_lexicon.py). Loaded after anatomy.txt, which wins.",
        f"# Source: {ner_icd10.SOURCE}.",
        "# Format as anatomy.txt: one site per line",
    ]
    return "\n".join([*head, *sites]) + "\n"


def rebuilt_text() -> str:
    """What ``anatomy_icd10cm.txt`` holds when rebuilt from the installed package now."""
    from medscribe.offline import ner_lexicon as lex

    return render(build(icd10cm.tabular_xml(), lex.curated_phrases()))


def write_lexicon() -> int:
    from medscribe.offline import ner_lexicon as lex

    text = rebuilt_text()
    lex.data_path(OUTPUT_NAME).write_text(text, encoding="utf-8")
    print(f"{OUTPUT_NAME}: {text.count(chr(10)) - 4} sites")
    return 0
