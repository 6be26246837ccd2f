"""Is it really audio? WAV, MP3 and Ogg recognized by their bytes, never by name or claim."""

from __future__ import annotations

import io
import struct
import wave

# MPEG audio: bitrates (kbit/s) by version-layer and index; sample rates by version.
_MP3_BITRATES = {
    (1, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (1, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (2, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}


def _mp3_frame_length(header: bytes) -> int | None:
    """The length of the MPEG audio frame starting with these 4 bytes; None if no frame."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version_bits = (header[1] >> 3) & 0x3
    layer_bits = (header[1] >> 1) & 0x3
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0x3
    if version_bits == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    version = {3: 1, 2: 2, 0: 25}[version_bits]
    layer = 4 - layer_bits
    bitrate = _MP3_BITRATES[(1 if version == 1 else 2, layer)][bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    padding = (header[2] >> 1) & 0x1
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    per_frame = 144 if version == 1 or layer != 3 else 72
    return per_frame * bitrate // rate + padding


def _is_mp3(content: bytes) -> bool:
    start = 0
    if content.startswith(b"ID3") and len(content) >= 10:
        size = content[6:10]
        if any(byte & 0x80 for byte in size):
            return False
        start = 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3])
    # Two frames in a row: one sync pattern can happen by chance, a chain of them cannot.
    first = _mp3_frame_length(content[start : start + 4])
    if not first:
        return False
    following = content[start + first : start + first + 4]
    return not following or _mp3_frame_length(following) is not None


def _is_wav(content: bytes) -> bool:
    return (
        len(content) >= 44
        and content.startswith(b"RIFF")
        and content[8:12] == b"WAVE"
        and b"fmt " in content[12:64]
    )


def _is_ogg(content: bytes) -> bool:
    if not content.startswith(b"OggS") or len(content) < 28:
        return False
    segments = content[26]
    first_packet = content[27 + segments : 27 + segments + 8]
    return first_packet.startswith((b"\x01vorbis", b"OpusHead", b"Speex   ", b"\x7fFLAC"))


def audio_type(content: bytes) -> str | None:
    """The audio content type of these bytes, or None when they are not WAV, MP3 or Ogg."""
    if _is_wav(content):
        return "audio/wav"
    if _is_ogg(content):
        return "audio/ogg"
    if _is_mp3(content):
        return "audio/mpeg"
    return None


def wav_duration(content: bytes) -> float | None:
    """Seconds of a PCM WAV; None for what the standard library cannot read."""
    try:
        with wave.open(io.BytesIO(content)) as reader:
            return reader.getnframes() / float(reader.getframerate())
    except (wave.Error, EOFError, struct.error, ZeroDivisionError):
        return None
