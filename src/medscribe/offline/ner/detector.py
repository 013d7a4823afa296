"""The detector: runs the stages in order on one text."""

from __future__ import annotations

from typing import Any

from medscribe.offline.ner import procedure_forms
from medscribe.offline.ner.attributes import find_attributes
from medscribe.offline.ner.family import family_traits
from medscribe.offline.ner.linking import link
from medscribe.offline.ner.matching import find_entities
from medscribe.offline.ner.response import _render
from medscribe.offline.ner.text import Doc
from medscribe.offline.ner.traits import context_traits, negate

MODEL_VERSION = "medscribe-offline-ner-1.0"


class OfflineEntityDetector:
    """Dictionary + rules DetectEntitiesV2 (see the module docstring for what it finds and its scores).

    Construction is free; dictionaries load on the first ``detect_entities`` call and are cached per
    process. ``fuzzy=False`` disables fuzzy drug matching (exact dictionary matches only).
    """

    def __init__(self, *, fuzzy: bool = True, model_version: str = MODEL_VERSION) -> None:
        self._fuzzy = fuzzy
        self._model_version = model_version

    # ---- public -----------------------------------------------------------------------------------------
    def detect_entities(self, text: str) -> dict[str, Any]:
        doc = Doc(text)
        entities = find_entities(doc, fuzzy=self._fuzzy)
        attrs = find_attributes(doc, entities)
        unmapped = link(doc, entities, attrs)
        entities = procedure_forms.dated_only(
            entities
        )  # a procedure known by its form alone: only with its time
        negate(doc, entities)
        context_traits(doc, entities)
        family_traits(doc, entities)
        return _render(text, entities, unmapped, self._model_version)
