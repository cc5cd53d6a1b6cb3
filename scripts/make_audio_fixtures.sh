#!/usr/bin/env bash
# Regenerate the small speech fixtures used by tests/audio (needs flite and espeak-ng from apt).
# Output is deterministic for a given flite/espeak-ng version; total size stays under 300 KB.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/tests/data/audio"
mkdir -p "$out"

# 16 kHz mono, US English female (HTS slt voice).
flite -voice slt -t "directions to san francisco" -o "$out/directions_to_san_francisco_16k.wav"
# 22.05 kHz mono, espeak-ng default English voice.
espeak-ng -w "$out/weather_in_new_york_22k.wav" "weather in new york"
# 8 kHz mono, flite kal voice (telephone-band rate, exercises upsampling).
flite -voice kal -t "museums in paris" -o "$out/museums_in_paris_8k.wav"

du -ch "$out"/*.wav | tail -n 1
