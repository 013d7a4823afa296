"""Offline speech recognition standing in for Amazon Transcribe Medical (batch), built on pocketsphinx 5.

``transcribe_file`` returns the JSON document a Transcribe Medical job writes to S3 (validated by
``medscribe.shapes.TranscribeOutput``)::

    {"jobName": ..., "accountId": ..., "status": "COMPLETED",
     "results": {"transcripts": [{"transcript": "This is a follow up visit ..."}],
                 "items": [{"type": "pronunciation", "start_time": "0.21", "end_time": "0.38",
                            "alternatives": [{"confidence": "0.9884", "content": "This"}]},
                           {"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]}]}}

How each field is made:

- Audio: wav/flac/ogg/mp3 are decoded with soundfile (libsndfile); amr/m4a/mp4/webm with ``ffmpeg`` if it is on
  PATH (else ``AudioDecoderUnavailable``). Channels are averaged to mono and resampled to 16 kHz with soxr (HQ).
- Speech regions: pocketsphinx's VAD endpointer finds them (padded by 0.25 s, close regions merged); each region
  is decoded as one utterance (plus 0.2 s of trailing silence), so silence-only audio gives an empty transcript
  without decoding anything.
- Words: the stock en-us acoustic model, language model and CMU dictionary from the pocketsphinx wheel, plus the
  medical lexicon ``data/medical.dict`` (drug names etc., built by ``scripts/build_lexicon.py``) added with
  ``Decoder.add_word``. ``add_word`` alone would give each new word the language model's uniform unigram
  probability (about 1/73,000); the lexicon's words are first added to the language model with
  ``LEXICON_LM_WEIGHT`` times that (a prior that medical words are common in dictation). Fillers (``<sil>``, ``[NOISE]``...) are dropped; alternate-pronunciation suffixes removed.
- Decode segments: consecutive speech regions holding at least ``SEGMENT_SECONDS`` of audio form a segment, and
  each segment starts from a fresh decoder state (``_Recognizer.reset``: features and CMN), so a segment's words
  depend on its own audio only. Any recording of less than ``SEGMENT_SECONDS`` of speech is one segment (decoded
  as before); a long one's segments can be decoded in any process, in any order, and stitched in order
  (``offline.split_decode``: both cores on one recording) with the same words as one decoder in one pass.
- Times: pocketsphinx frames are 10 ms: ``start_time = start_frame / 100``, ``end_time = (end_frame + 1) / 100``,
  offset by the region's start, written as decimal strings with 2 decimals like Transcribe's.
- Confidence: the word's posterior probability in the utterance's word lattice (``Segment.prob``; pocketsphinx
  computes it from the lattice's forward-backward scores when ``bestpath`` is on), 4 decimals.
- Punctuation: pocketsphinx gives none. A "." is inserted where the silence between two words is at least
  ``SENTENCE_PAUSE_S`` and at the end of each speech region, and the next word is capitalised. This is a pause
  heuristic, not a punctuation model: commas are never produced, and sentences spoken without a pause run on.

The decoder is built lazily on first use (never at import) and reused; decoding is serialised with a lock
(a pocketsphinx decoder is not thread-safe).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from medscribe.offline.pcm import SAMPLE_RATE, speech_regions
from medscribe.offline.stream import pcm_blocks, stream_regions

FRAMES_PER_SECOND = 100
SENTENCE_PAUSE_S = 0.30
# Digital silence appended to every region: an utterance cut off mid-word (a recording that stops abruptly)
# otherwise can leave the lattice without a final node, and pocketsphinx returns no hypothesis at all.
TAIL_SILENCE_S = 0.20
DEFAULT_ACCOUNT_ID = "000000000000"
# A decode segment: consecutive speech regions, closed once it holds this much audio (see the module docstring).
SEGMENT_SECONDS = 60.0

# Decoder settings (see scripts/bench_quality.py for the speed/accuracy measurements behind them).
# fwdflat off: faster and, on the corpus, more accurate; topn/maxhmmpf/maxwpf bound the work per frame.
DECODER_OPTIONS: dict[str, Any] = {
    "samprate": SAMPLE_RATE,
    "loglevel": "ERROR",
    "fwdflat": False,
    "bestpath": True,  # lattice best path + word posteriors (confidences)
    "topn": 2,
    "maxhmmpf": 4000,
    "maxwpf": 5,
    "lw": 7.5,
}

# Unigram probability of the lexicon's words in the language model, relative to the uniform one pocketsphinx
# gives an added word (so ~1.4e-3 each). Chosen on the corpus' tune split: 10 changes nothing, 30-1000 let
# pocketsphinx spell a few more drug names, 10000 starts inserting medical words that were not said.
LEXICON_LM_WEIGHT = 100.0

_ALT_SUFFIX = re.compile(r"\(\d+\)$")


# ---------------------------------------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    confidence: float


def lexicon_entries() -> list[tuple[str, str]]:
    """(word, phones) pairs of the shipped medical lexicon (``word(2)`` marks an alternate pronunciation)."""
    text = resources.files("medscribe.offline").joinpath("data/medical.dict").read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith(";"):
            entries.append((parts[0], " ".join(parts[1:])))
    return entries


class _Recognizer:
    def __init__(self, *, lexicon: bool) -> None:
        from pocketsphinx import Decoder

        self._decoder = Decoder(**DECODER_OPTIONS)
        self._lock = threading.Lock()
        if lexicon:
            entries = lexicon_entries()
            lm = self._decoder.get_lm()
            for word, _ in entries:
                if not _ALT_SUFFIX.search(word):
                    # Before Decoder.add_word, which keeps the probability of a word the model already has.
                    lm.add_word(word, LEXICON_LM_WEIGHT)
            for i, (word, phones) in enumerate(entries):
                self._decoder.add_word(word, phones, update=i == len(entries) - 1)
        # The cepstral mean normalisation adapts utterance by utterance and would carry from one job to the
        # next: the same audio could transcribe differently depending on what ran before. Each job starts here.
        self._initial_cmn = self._decoder.get_cmn(False)

    def reset(self) -> None:
        """A fresh decoder state for a new job: feature extraction re-initialised (its first-utterance state
        included) and the CMN estimate of the previous job forgotten."""
        with self._lock:
            self._decoder.reinit_feat()
            self._decoder.set_cmn(self._initial_cmn)

    def words(self, samples: np.ndarray, offset_s: float) -> list[Word]:
        with self._lock:
            d = self._decoder
            d.start_utt()
            tail = bytes(2 * int(TAIL_SILENCE_S * SAMPLE_RATE))
            d.process_raw(samples.tobytes() + tail, no_search=False, full_utt=True)
            d.end_utt()
            if d.hyp() is None:
                return []
            out = []
            region_end = samples.size / SAMPLE_RATE  # words never end in the appended silence
            for seg in d.seg():
                word = _ALT_SUFFIX.sub("", seg.word)
                start = seg.start_frame / FRAMES_PER_SECOND
                if word.startswith(("<", "[", "+")) or start >= region_end:
                    continue
                end = min((seg.end_frame + 1) / FRAMES_PER_SECOND, region_end)
                if word == "i" or word.startswith("i'"):
                    word = "I" + word[1:]
                confidence = min(1.0, max(0.0, float(seg.prob)))
                out.append(Word(text=word, start=offset_s + start, end=offset_s + end, confidence=confidence))
            return out


@functools.cache
def recognizer(lexicon: bool = True) -> _Recognizer:
    """The process-wide decoder (built on first call: ~1 s)."""
    return _Recognizer(lexicon=lexicon)


# A speech region: (its first sample's index in the recording, its samples).
Region = tuple[int, np.ndarray]


def segments(regions: Iterable[Region], segment_seconds: float = SEGMENT_SECONDS) -> Iterator[list[Region]]:
    """Consecutive regions grouped into decode segments of at least ``segment_seconds`` of audio (the last one
    may be shorter); a function of the audio alone, whoever decodes the segments."""
    limit = int(segment_seconds * SAMPLE_RATE)
    current: list[Region] = []
    held = 0
    for region in regions:
        current.append(region)
        held += region[1].size
        if held >= limit:
            yield current
            current, held = [], 0
    if current:
        yield current


def decode_segment(segment: list[Region], lexicon: bool = True) -> list[list[Word]]:
    """Words of each region of one decode segment, from a fresh decoder state; times in the recording's clock."""
    rec = recognizer(lexicon)
    rec.reset()
    return [rec.words(samples, start / SAMPLE_RATE) for start, samples in segment]


def recognize(
    samples: np.ndarray, *, lexicon: bool = True, segment_seconds: float = SEGMENT_SECONDS
) -> list[list[Word]]:
    """Words of each speech region of 16 kHz mono int16 ``samples``."""
    regions = ((a, samples[a:b]) for a, b in speech_regions(samples))
    return [words for seg in segments(regions, segment_seconds) for words in decode_segment(seg, lexicon)]


# ---------------------------------------------------------------------------------------------------------
# Transcribe output
# ---------------------------------------------------------------------------------------------------------


def _time(seconds: float) -> str:
    return f"{seconds:.2f}"


def build_output(regions: list[list[Word]], *, job_name: str, account_id: str) -> dict[str, Any]:
    """Transcribe Medical's output document for recognised words (punctuation from pauses)."""
    items: list[dict[str, Any]] = []
    tokens: list[str] = []
    for words in regions:
        for i, word in enumerate(words):
            sentence_start = not tokens or tokens[-1] == "."
            content = word.text.capitalize() if sentence_start else word.text
            items.append(
                {
                    "start_time": _time(word.start),
                    "end_time": _time(word.end),
                    "alternatives": [{"confidence": f"{word.confidence:.4f}", "content": content}],
                    "type": "pronunciation",
                }
            )
            tokens.append(content)
            last = i == len(words) - 1
            if last or words[i + 1].start - word.end >= SENTENCE_PAUSE_S:
                items.append({"alternatives": [{"confidence": "0.0", "content": "."}], "type": "punctuation"})
                tokens.append(".")
    transcript = " ".join(tokens).replace(" .", ".")
    return {
        "jobName": job_name,
        "accountId": account_id,
        "results": {"transcripts": [{"transcript": transcript}], "items": items},
        "status": "COMPLETED",
    }


def transcribe_samples(
    samples: np.ndarray, *, job_name: str, account_id: str = DEFAULT_ACCOUNT_ID, lexicon: bool = True
) -> dict[str, Any]:
    return build_output(recognize(samples, lexicon=lexicon), job_name=job_name, account_id=account_id)


def transcribe_file(
    path: Path,
    *,
    job_name: str,
    account_id: str = DEFAULT_ACCOUNT_ID,
    media_format: str | None = None,
    lexicon: bool = True,
    segment_seconds: float = SEGMENT_SECONDS,
) -> dict[str, Any]:
    """Transcribe an audio file; returns the Transcribe Medical output JSON (as a dict).

    Streamed (``medscribe.offline.stream``): decoded block by block, each segment of speech regions recognised
    as soon as it is final, so memory stays bounded whatever the duration (3 h of FLAC no longer means 2 GB of
    samples). One decoder, one pass; ``offline.split_decode`` decodes the same segments on several workers.
    """
    regions = stream_regions(pcm_blocks(Path(path), media_format))
    words = [w for seg in segments(regions, segment_seconds) for w in decode_segment(seg, lexicon)]
    return build_output(words, job_name=job_name, account_id=account_id)
