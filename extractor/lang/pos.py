"""Vietnamese part-of-speech tags through underthesea's public ``pos_tag`` (word segmentation, then its CRF tagger).

Both models ship inside the underthesea wheel (``underthesea/pipeline/word_tokenize/models`` and
``underthesea/pipeline/pos_tag/pos_crf_2017_10_11.bin``): nothing is downloaded when docmine runs. The answers are
cached by text: figures tags the few words after a number, and the same windows recur across the reports of a batch
("hồ sơ", "tài khoản định danh điện tử" …), so a batch tags each distinct window once (bench/stage_profile.py).
"""

from __future__ import annotations

import functools

NOUN_PHRASE_TAGS = frozenset({"N", "Np", "Nc", "Nu", "Ny", "A", "M"})  # nouns, adjectives and numerals


@functools.lru_cache(maxsize=4096)
def pos_tag(text: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) for each word of ``text``: ``underthesea.pos_tag``, cached by text."""
    from underthesea import pos_tag as underthesea_pos_tag  # imported on first use: loading it takes a second

    return tuple(underthesea_pos_tag(text))
