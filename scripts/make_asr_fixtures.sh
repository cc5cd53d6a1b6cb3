#!/usr/bin/env bash
# Regenerate the speech fixtures used by tests/asr (needs flite, festival + festvox-us-slt-hts, sox,
# pocketsphinx-testdata from apt). Writes 16 kHz mono 16-bit WAV files and manifest.jsonl.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/tests/data/asr"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

to_16k() {  # to_16k IN OUT: 16 kHz, mono, 16-bit PCM WAV
    sox -D "$1" -r 16000 -c 1 -b 16 -e signed-integer "$2"
}

flite_wav() {  # flite_wav NAME TEXT
    flite -voice slt -t "$2" -o "$tmp/$1.wav"
    to_16k "$tmp/$1.wav" "$out/$1.wav"
}

festival_wav() {  # festival_wav NAME TEXT
    echo "$2" | text2wave -eval '(voice_cmu_us_slt_arctic_hts)' -o "$tmp/$1.wav"
    to_16k "$tmp/$1.wav" "$out/$1.wav"
}

flite_wav flite_directions "directions to san francisco"
flite_wav flite_bohemian "play bohemian rhapsody by queen"
festival_wav festival_weather "what's the weather in chicago"
festival_wav festival_restaurants "cheap restaurants near the airport"

# Real speech from CMU Sphinx's test data (BSD-2, see README.md): raw 16 kHz s16le mono.
sox -t raw -r 16000 -c 1 -b 16 -e signed-integer \
    /usr/share/pocketsphinx/test/data/goforward.raw "$out/cmu_goforward.wav"

cat > "$out/manifest.jsonl" <<'JSONL'
{"audio": "flite_directions.wav", "text": "directions to san francisco", "expected": [], "tags": {"source": "tts", "voice": "flite-slt"}}
{"audio": "flite_bohemian.wav", "text": "play bohemian rhapsody by queen", "expected": [], "tags": {"source": "tts", "voice": "flite-slt"}}
{"audio": "festival_weather.wav", "text": "what's the weather in chicago", "expected": [], "tags": {"source": "tts", "voice": "festival-slt-hts"}}
{"audio": "festival_restaurants.wav", "text": "cheap restaurants near the airport", "expected": [], "tags": {"source": "tts", "voice": "festival-slt-hts"}}
{"audio": "cmu_goforward.wav", "text": "go forward ten meters", "expected": [], "tags": {"source": "human", "voice": "cmu-sphinx-testdata"}}
JSONL

du -ch "$out"/*.wav | tail -n 1
