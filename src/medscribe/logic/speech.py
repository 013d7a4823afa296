"""No speech is a named outcome, not an empty clinical draft.

Transcribe (Medical) writes ``"transcripts": []`` or an empty transcript for audio without speech (silence,
noise); an ASR may also return only a few words it is not sure of (noise read as speech). Any of these ends the
recording as ``NoSpeechDetected`` (recorded in every sink and evented by RecordFailure), before entity detection
and long before a PDF could be drawn.
"""

from __future__ import annotations

from medscribe.errors import NoSpeechDetected
from medscribe.logic.intelligibility import require_intelligible
from medscribe.shapes import TranscribeOutput

# A pronunciation item below this confidence is noise; a transcript needs at least one word at or above it.
MIN_WORD_CONFIDENCE = 0.4


def confident_words(output: TranscribeOutput, min_confidence: float = MIN_WORD_CONFIDENCE) -> int:
    count = 0
    for item in output.results.items:
        if item.type != "pronunciation":
            continue
        try:
            confidence = float(item.alternatives[0].confidence)
        except ValueError:
            continue
        if confidence >= min_confidence and item.alternatives[0].content.strip():
            count += 1
    return count


def require_speech(output: TranscribeOutput, min_confidence: float = MIN_WORD_CONFIDENCE) -> str:
    """The transcript text, or ``NoSpeechDetected`` (no transcripts, no words, or only low-confidence noise)."""
    text = output.text
    if not output.results.transcripts or not text:
        raise NoSpeechDetected("the transcript is empty")
    if not output.results.items:
        raise NoSpeechDetected("the transcript has no recognised words")
    if confident_words(output, min_confidence) == 0:
        raise NoSpeechDetected(f"no word recognised with confidence >= {min_confidence}")
    require_intelligible(output)  # noise read as words ("ha ha ha ha"): NoSpeechDetected too
    return text
