"""The pocketsphinx stand-in for Transcribe Medical: audio decoding, output shape, real recognition."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from medscribe.offline import asr, pcm
from medscribe.offline.ffmpeg import find_ffmpeg
from medscribe.shapes import TranscribeOutput

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "dictation.wav"


@pytest.fixture(scope="module")
def sample_output() -> dict[str, Any]:
    return asr.transcribe_file(SAMPLE, job_name="medscribe-sample")


def _sample_clip(seconds: float) -> tuple[np.ndarray, int]:
    data, rate = sf.read(SAMPLE, dtype="float32")
    return data[: int(seconds * rate)], rate


def test_sample_transcription_validates_as_transcribe_medical_output(sample_output: dict[str, Any]) -> None:
    # Given the shipped dictation, when it is transcribed
    # Then the document has Transcribe Medical's shape (strict on the parts we generate)
    parsed = TranscribeOutput.model_validate(sample_output)
    assert parsed.jobName == "medscribe-sample"
    assert parsed.accountId == "000000000000"
    assert parsed.status == "COMPLETED"
    assert set(sample_output) == {"jobName", "accountId", "results", "status"}
    for item in sample_output["results"]["items"]:
        alt = item["alternatives"][0]
        float(alt["confidence"])  # a decimal string
        if item["type"] == "pronunciation":
            assert set(item) == {"start_time", "end_time", "alternatives", "type"}
            assert float(item["start_time"]) < float(item["end_time"])
            assert 0.0 <= float(alt["confidence"]) <= 1.0
        else:
            assert set(item) == {"alternatives", "type"}
            assert alt == {"confidence": "0.0", "content": "."}


def test_sample_transcription_contains_the_drug_names_and_doses(sample_output: dict[str, Any]) -> None:
    # Given the shipped dictation (metformin 500 mg, lisinopril 10 mg), when it is transcribed
    text = TranscribeOutput.model_validate(sample_output).text.lower()
    # Then the medical lexicon lets pocketsphinx spell both drug names, and the doses are heard
    assert "metformin" in text
    assert "lisinopril" in text
    assert "five hundred milligrams" in text
    assert "denies chest pain" in text


def test_items_are_in_time_order_and_rebuild_the_transcript(sample_output: dict[str, Any]) -> None:
    # Given the items of a transcription
    items = sample_output["results"]["items"]
    starts = [float(i["start_time"]) for i in items if i["type"] == "pronunciation"]
    # Then they are in time order, within the audio, and joining them gives the transcript text
    assert starts == sorted(starts)
    ends = [float(i["end_time"]) for i in items if i["type"] == "pronunciation"]
    assert max(ends) <= sf.info(SAMPLE).duration
    rebuilt = " ".join(i["alternatives"][0]["content"] for i in items).replace(" .", ".")
    assert rebuilt == sample_output["results"]["transcripts"][0]["transcript"]
    assert items[-1]["type"] == "punctuation"
    assert rebuilt[0].isupper()


def test_lexicon_entries_use_only_acoustic_model_phones() -> None:
    # Given the shipped medical lexicon and the phone set of pocketsphinx's en-us model
    from pocketsphinx import get_model_path

    phones = set((Path(get_model_path()) / "en-us" / "en-us" / "noisedict").read_text().split()[1::2])
    phones |= {"AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH"}
    phones |= {"IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH"}
    phones |= {"UW", "V", "W", "Y", "Z", "ZH"}
    entries = asr.lexicon_entries()
    # Then it has a few hundred words, including common drugs, all spelt with known phones
    words = {w for w, _ in entries}
    assert {"metformin", "lisinopril", "atorvastatin", "amlodipine"} <= words
    assert len(entries) >= 150
    for word, pron in entries:
        assert set(pron.split()) <= phones, word


def test_lexicon_words_get_a_higher_language_model_probability_than_a_plain_added_word() -> None:
    # Given a fresh decoder with the medical lexicon, and a made-up word added to its language model the way
    # Decoder.add_word adds one (weight 1: the uniform probability)
    recognizer = asr._Recognizer(lexicon=True)  # keep it alive: the LM belongs to its decoder
    lm = recognizer._decoder.get_lm()
    lm.add_word("zzplainword", 1.0)
    # When the unigram log probabilities of a lexicon drug and of the plain word are compared
    drug, plain = lm.prob(["metformin"]), lm.prob(["zzplainword"])
    # Then the drug is LEXICON_LM_WEIGHT times more likely (log base 1.0001, give or take rounding)
    assert drug - plain == pytest.approx(math.log(asr.LEXICON_LM_WEIGHT) / math.log(1.0001), abs=50)


def test_silence_gives_an_empty_transcript(tmp_path: Path) -> None:
    # Given two seconds of digital silence and an empty WAV
    silent, empty = tmp_path / "silence.wav", tmp_path / "empty.wav"
    sf.write(silent, np.zeros(32000, dtype=np.int16), 16000, subtype="PCM_16")
    sf.write(empty, np.zeros(0, dtype=np.int16), 16000, subtype="PCM_16")
    for path in (silent, empty):
        # When each is transcribed
        out = asr.transcribe_file(path, job_name="silence")
        # Then the transcript is empty and valid, not a crash
        assert TranscribeOutput.model_validate(out).text == ""
        assert out["results"]["items"] == []


def test_stereo_44k_flac_is_downmixed_and_resampled(tmp_path: Path) -> None:
    # Given a 3 s clip stored as 44.1 kHz stereo FLAC (speech in the left channel only)
    clip, rate = _sample_clip(3.0)
    stereo = np.stack([clip, np.zeros_like(clip)], axis=1)
    import soxr

    path = tmp_path / "stereo.flac"
    sf.write(path, soxr.resample(stereo, rate, 44100), 44100, subtype="PCM_16")
    # When it is loaded
    samples = pcm.load_audio(path)
    # Then it is 16 kHz mono int16 of the same duration, at half the level (mean of the channels)
    assert samples.dtype == np.int16
    assert samples.ndim == 1
    assert abs(samples.size - 3 * 16000) <= 2
    ref = np.abs(clip).max() * 32767 / 2
    assert 0.8 * ref <= np.abs(samples).max() <= 1.2 * ref


@pytest.mark.parametrize("fmt", ["mp3", "ogg"])
def test_compressed_formats_are_transcribed(tmp_path: Path, fmt: str) -> None:
    # Given the first sentence-ish of the sample encoded as mp3 / ogg
    clip, rate = _sample_clip(4.0)
    path = tmp_path / f"clip.{fmt}"
    sf.write(path, clip, rate, format=fmt.upper(), subtype={"mp3": "MPEG_LAYER_III", "ogg": "VORBIS"}[fmt])
    # When it is transcribed
    text = TranscribeOutput.model_validate(asr.transcribe_file(path, job_name="c")).text.lower()
    # Then the words of "This is a follow up visit" come out
    assert "follow up" in text


def test_m4a_is_decoded_with_ffmpeg(tmp_path: Path) -> None:
    # Given a 2 s AAC-in-M4A clip made with ffmpeg (a Debian package CI installs)
    ffmpeg = find_ffmpeg()
    assert ffmpeg, "ffmpeg must be available (PATH or the imageio-ffmpeg dev dependency)"
    clip, rate = _sample_clip(2.0)
    wav, m4a = tmp_path / "clip.wav", tmp_path / "clip.m4a"
    sf.write(wav, clip, rate)
    import subprocess

    subprocess.run([ffmpeg, "-loglevel", "error", "-i", str(wav), str(m4a)], check=True)
    # When it is loaded
    samples = pcm.load_audio(m4a)
    # Then it is 16 kHz mono PCM of about the same length (AAC adds priming samples)
    assert abs(samples.size - 2 * 16000) < 0.1 * 16000
    assert np.abs(samples).max() > 1000


def test_ffmpeg_formats_without_ffmpeg_raise_a_named_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given no ffmpeg on PATH
    monkeypatch.setattr(pcm, "find_ffmpeg", lambda: None)
    path = tmp_path / "clip.webm"
    path.write_bytes(b"\x1a\x45\xdf\xa3" + b"\0" * 64)
    # When a webm file is loaded, then the error says what is missing
    with pytest.raises(pcm.AudioDecoderUnavailable, match="ffmpeg"):
        pcm.load_audio(path)


def test_undecodable_bytes_raise_audio_decode_error(tmp_path: Path) -> None:
    # Given bytes that are not audio, named .wav
    path = tmp_path / "garbage.wav"
    path.write_bytes(b"this is not a RIFF file" * 10)
    # When loaded, then a CorruptAudio subclass is raised
    with pytest.raises(pcm.AudioDecodeError):
        pcm.load_audio(path)


@pytest.mark.parametrize("n_samples", [48000, 48001])
def test_speech_running_to_the_end_is_found_whatever_the_length(n_samples: int) -> None:
    # Given 3 s of speech that runs to the last sample, exactly 100 VAD frames long or one sample more
    clip, _ = _sample_clip(3.0)
    samples = pcm.to_int16(np.resize(clip, n_samples))
    # When speech regions are found, then the speech is there (pocketsphinx's Segmenter loses it at 48000)
    regions = pcm.speech_regions(samples)
    assert regions
    assert regions[-1][1] == n_samples
    assert "follow" in " ".join(w.text for ws in asr.recognize(samples) for w in ws)


def test_speech_after_long_silence_gets_its_own_region_and_times() -> None:
    # Given 2 s of speech, 3 s of silence, then the same 2 s of speech
    clip, _ = _sample_clip(2.0)
    speech = pcm.to_int16(clip)
    samples = np.concatenate([speech, np.zeros(48000, dtype=np.int16), speech])
    # When transcribed
    out = asr.transcribe_samples(samples, job_name="gap")
    words = [i for i in out["results"]["items"] if i["type"] == "pronunciation"]
    # Then both halves are recognised, the second one timed after the silence, with a "." between them
    assert [w["alternatives"][0]["content"].lower() for w in words].count("this") == 2
    second = [w for w in words if float(w["start_time"]) >= 5.0]
    assert second
    assert second[0]["alternatives"][0]["content"] == "This"
