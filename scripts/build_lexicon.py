"""Build the offline ASR's medical pronunciation lexicon from espeak-ng phonemes.

Reads ``src/medscribe/offline/data/medical_words.txt`` (one word a line), skips the words pocketsphinx's CMU
dictionary already has, asks espeak-ng (``-v en-us --ipa``) for the others' IPA, maps it to the CMU/ARPAbet
phone set of pocketsphinx's en-us acoustic model and writes ``src/medscribe/offline/data/medical.dict``
(``word PH ON ES`` a line, sorted; ``word(2)`` is an alternate pronunciation). Words listed in
``medical_pronunciations.txt`` (hand-written ARPAbet from dictionary respellings) get that pronunciation first
and espeak-ng's as ``word(2)`` when it differs. Where espeak-ng writes an American flap (``ɾ``, mapped to T), the
same pronunciation with D is added as an alternate: a flap is voiced and sits between T and D acoustically (the
CMU dictionary itself writes flapped /t/ either way). Re-runnable: the output depends only on the two lists and
espeak-ng.

    .venv/bin/python scripts/build_lexicon.py          # needs the Debian package espeak-ng
"""

# ruff: noqa: RUF001  (IPA symbols are the point of this file)
from __future__ import annotations

import argparse
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "medscribe" / "offline" / "data"
WORDS = DATA / "medical_words.txt"
OVERRIDES = DATA / "medical_pronunciations.txt"
OUT = DATA / "medical.dict"

# IPA (as espeak-ng en-us writes it) -> ARPAbet. Longest match first.
IPA_TO_ARPABET: dict[str, list[str]] = {
    # r-coloured vowels
    "ɑːɹ": ["AA", "R"],
    "ɔːɹ": ["AO", "R"],
    "oːɹ": ["AO", "R"],
    "ɔɹ": ["AO", "R"],
    "ɛɹ": ["EH", "R"],
    "ɪɹ": ["IH", "R"],
    "iəɹ": ["IH", "R"],
    "ʊɹ": ["UH", "R"],
    "ɜːɹ": ["ER"],
    "ɜː": ["ER"],
    "ɚ": ["ER"],
    "ɝ": ["ER"],
    # diphthongs
    "eɪ": ["EY"],
    "aɪ": ["AY"],
    "ɔɪ": ["OY"],
    "aʊ": ["AW"],
    "oʊ": ["OW"],
    "əʊ": ["OW"],
    "iə": ["IY", "AH"],
    "juː": ["Y", "UW"],
    # vowels
    "ɑː": ["AA"],
    "ɑ": ["AA"],
    "ɒ": ["AA"],
    "ɔː": ["AO"],
    "ɔ": ["AO"],
    "oː": ["AO"],
    "o": ["OW"],
    "æ": ["AE"],
    "a": ["AE"],
    "ʌ": ["AH"],
    "ə": ["AH"],
    "ɐ": ["AH"],
    "ɛ": ["EH"],
    "e": ["EH"],
    "ɪ": ["IH"],
    "ᵻ": ["IH"],
    "iː": ["IY"],
    "i": ["IY"],
    "ʊ": ["UH"],
    "uː": ["UW"],
    "u": ["UW"],
    # consonants
    "tʃ": ["CH"],
    "dʒ": ["JH"],
    "p": ["P"],
    "b": ["B"],
    "t": ["T"],
    "d": ["D"],
    "ɾ": ["T"],
    "k": ["K"],
    "ɡ": ["G"],
    "g": ["G"],
    "x": ["K"],
    "f": ["F"],
    "v": ["V"],
    "θ": ["TH"],
    "ð": ["DH"],
    "s": ["S"],
    "z": ["Z"],
    "ʃ": ["SH"],
    "ʒ": ["ZH"],
    "h": ["HH"],
    "m": ["M"],
    "n": ["N"],
    "ŋ": ["NG"],
    "l": ["L"],
    "ɫ": ["L"],
    "ɹ": ["R"],
    "r": ["R"],
    "w": ["W"],
    "j": ["Y"],
}
IGNORED = set("ˈˌ.‿ʔ-_ \u0361")  # stress, syllable and tie marks, glottal stop
SYLLABIC = "\u0329"  # n̩ l̩ m̩ -> AH N / AH L / AH M
FLAP = "ɾ"  # American flap: T, with a D alternate
_KEYS = sorted(IPA_TO_ARPABET, key=len, reverse=True)


def ipa_to_arpabet(ipa: str) -> list[str]:
    """Map one word's espeak-ng IPA to ARPAbet phones (raises ValueError on a symbol it does not know)."""
    ipa = unicodedata.normalize("NFC", ipa.strip())
    phones: list[str] = []
    i = 0
    while i < len(ipa):
        ch = ipa[i]
        if ch in IGNORED:
            i += 1
            continue
        if ch == SYLLABIC:
            if phones:
                phones.insert(len(phones) - 1, "AH")
            i += 1
            continue
        for key in _KEYS:
            if ipa.startswith(key, i):
                new = IPA_TO_ARPABET[key]
                # espeak doubles a consonant across a morpheme boundary ("ɹɹ"): keep one.
                if not (len(new) == 1 and phones and phones[-1] == new[0] and new[0] not in VOWELS):
                    phones.extend(new)
                i += len(key)
                break
        else:
            raise ValueError(f"unmapped IPA symbol {ch!r} (U+{ord(ch):04X}) in {ipa!r}")
    return phones


VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}


def espeak_ipa(word: str, voice: str = "en-us") -> str:
    out = subprocess.run(
        ["espeak-ng", "-v", voice, "-q", "--ipa", word], capture_output=True, check=True, text=True
    )
    return out.stdout.strip()


def espeak_pronunciations(word: str) -> list[list[str]]:
    """espeak-ng's en-us pronunciation, then (if it has a flap) the variant with the flap voiced as D."""
    ipa = espeak_ipa(word)
    prons = [ipa_to_arpabet(ipa)]
    if FLAP in ipa:
        prons.append(ipa_to_arpabet(ipa.replace(FLAP, "d")))
    return prons


def cmu_words() -> set[str]:
    from pocketsphinx import get_model_path

    path = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"
    return {
        line.split(maxsplit=1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    }


def read_words(path: Path = WORDS) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            words.append(word)
    return sorted(set(words))


def read_overrides(path: Path = OVERRIDES) -> dict[str, list[str]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            out[parts[0].lower()] = parts[1:]
    return out


def build(words: list[str], known: set[str], overrides: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    entries: list[tuple[str, list[str]]] = []
    for word in sorted(set(words) | set(overrides)):
        if word in known:
            continue
        prons = [overrides[word]] if word in overrides else []
        for guessed in espeak_pronunciations(word):
            if guessed not in prons:
                prons.append(guessed)
        entries += [(word if i == 0 else f"{word}({i + 1})", p) for i, p in enumerate(prons)]
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=Path, default=WORDS)
    parser.add_argument("--overrides", type=Path, default=OVERRIDES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    words, known = read_words(args.words), cmu_words()
    entries = build(words, known, read_overrides(args.overrides))
    args.out.write_text("".join(f"{w} {' '.join(p)}\n" for w, p in entries), encoding="utf-8")
    n_known = sum(w in known for w in words)
    print(
        f"{len(words)} words ({n_known} already in the CMU dictionary): {len(entries)} pronunciations -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
