"""Measuring the clinical draft on the held-out notes of ``corpus/drafts`` (issue 15, "How to know").

- :mod:`.asr_form` the recogniser form of a punctuated note (deterministic);
- :mod:`.matching` names and doses of draft items against expectations;
- :mod:`.sources` where a note's ``{"sections": [...]}`` comes from (the new ``medscribe draft``, or the legacy
  adapter over today's ``build_draft``);
- :mod:`.drafts` silent dangerous errors, weak flags and entity precision / recall, per split and form;
  :mod:`.report` the table and the JSON line.
"""
