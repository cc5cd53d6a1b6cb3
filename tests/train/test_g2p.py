"""espeak-ng → ARPAbet pronunciations against the CMU dictionary, on words the dictionary has."""

from __future__ import annotations

import re

from voxsearch.asr.g2p import read_dictionary, spell_words
from voxsearch.eval.align import count_edits
from voxsearch.train.pocketsphinx_files import bundled_dictionary

SAMPLE_EVERY = 250  # every 250th plain word of cmudict: ~500 words, spread over the alphabet
MAX_PHONE_ERROR_RATE = 0.15  # measured 0.096 (2986 phones) with espeak-ng 1.51 and ipa_arpabet.toml v1


def test_g2p_phone_error_rate_against_cmudict_is_bounded() -> None:
    cmudict = read_dictionary(bundled_dictionary())
    words = [w for w in sorted(cmudict) if re.fullmatch(r"[a-z]{3,}", w)][::SAMPLE_EVERY]
    result = spell_words(words)
    assert len(result.failed) <= len(words) // 50
    errors = length = 0
    for word in words:
        phones = result.pronunciations.get(word, ())
        best = min((count_edits(list(ref), list(phones)) for ref in cmudict[word]), key=lambda c: c.errors)
        errors += best.errors
        length += best.reference_length
    rate = errors / length
    print(f"G2P phone error rate vs cmudict: {rate:.3f} over {len(words)} words ({length} phones)")
    assert rate < MAX_PHONE_ERROR_RATE
