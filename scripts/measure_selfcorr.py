"""Row by row on corpus/drafts/tuning_selfcorr.jsonl (PROCEDURE.md section 23; a tuning set, never a held-out part),
both forms, through ``medscribe draft``'s path: what the scorer does not count (a wrong dose on a row flagged for
any reason naming "dose" is not an error there; frequencies, routes and sides are not scored).

``.venv/bin/python scripts/measure_selfcorr.py`` prints JSON counts of note-forms:

- corrected doses (each ``forbidden`` "old dose"): the row shows the later dose; the row carries SELF_CORRECTION or
  CORRECTION_SCOPE_UNCLEAR;
- retracted names (``forbidden`` "retracted"): on no Medications row;
- corrected frequencies and routes (the drugs the notes correct, read from their texts): the row carries
  SELF_CORRECTION;
- corrected sides (hazard ``sc_side``): a Problems item carries SELF_CORRECTION;
- undecidable cues (``forbidden`` "unclear"): every row of the item carries CORRECTION_SCOPE_UNCLEAR.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from medscribe.evaluation.drafts import load_notes
from medscribe.evaluation.matching import dose_matches, mentions
from medscribe.textdraft import draft_sections

SET = Path("corpus/drafts/tuning_selfcorr.jsonl")  # by path: the "before" code may not register it
CORRECTED = {"SELF_CORRECTION", "CORRECTION_SCOPE_UNCLEAR"}
# the drugs whose frequency / route the notes correct (sc11, sc15, sc18, sc27; sc12, sc24, sc26)
SLOT_DRUGS = {
    "frequency": {"salbutamol", "furosemide", "hydrocortisone", "morphine"},
    "route": {"ondansetron", "hyoscine", "flucloxacillin"},
}


def _count(c: Counter[str], note: dict[str, Any], sections: dict[str, list[dict[str, Any]]]) -> None:
    expect, hazards = note["expect"], set(note["hazards"])
    meds = sections.get("Medications", [])
    for f in expect["forbidden"]:
        rows = [i for i in meds if mentions(i, f["name"])]
        if f["why"] == "old dose":
            dose = next(m["dose"] for m in expect["medications"] if f["name"] in m["name"])
            c["old dose"] += 1
            c["old dose: later dose shown"] += bool(rows) and all(dose_matches(i, dose) for i in rows)
            c["old dose: row flagged as corrected"] += bool(rows) and all(
                CORRECTED & set(i["flags"]) for i in rows
            )
        elif f["why"] == "retracted":
            c["retracted name"] += 1
            c["retracted name: on no row"] += not rows
        elif f["why"] == "unclear":
            c["unclear"] += 1
            c["unclear: every row flagged unclear"] += all(
                "CORRECTION_SCOPE_UNCLEAR" in i["flags"] for i in rows
            )
    for hazard, field in (("sc_frequency", "frequency"), ("sc_route", "route")):
        for m in expect["medications"] if hazard in hazards else []:
            if field in m and m["name"] in SLOT_DRUGS[field]:
                rows = [i for i in meds if mentions(i, m["name"])]
                c[field] += 1
                c[f"{field}: row flagged"] += bool(rows) and all(
                    "SELF_CORRECTION" in i["flags"] for i in rows
                )
    if "sc_side" in hazards:
        c["side"] += 1
        c["side: problem flagged"] += any(
            "SELF_CORRECTION" in i["flags"] for i in sections.get("Problems", [])
        )


def main() -> None:
    counts: Counter[str] = Counter()
    for note in load_notes(SET):
        for form in ("text", "asr_text"):
            drafted = draft_sections(note[form])
            _count(counts, note, {s["title"]: s["items"] for s in drafted["sections"]})
    print(json.dumps(dict(sorted(counts.items()))))


if __name__ == "__main__":
    main()
