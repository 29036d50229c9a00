"""Vietnamese part-of-speech tags: underthesea's ``pos_tag`` (word segmentation, then its CRF tagger), the same answer
built faster.

Both models ship inside the underthesea wheel (``underthesea/pipeline/word_tokenize/models`` and
``underthesea/pipeline/pos_tag/pos_crf_2017_10_11.bin``): nothing is downloaded when docmine runs.

``underthesea.pos_tag(text)`` is ``word_tokenize(text)``, then its ``CRFPOSTagPredictor``: a ``TaggedTransformer``
turns the words into CRF features and the ``CRFTagger`` model tags them. The transformer is pure Python and
quadratic: for each word and each of the 22 features of its template it parses the feature's name with a regex and
rebuilds every column of the whole sentence (``underthesea/pipeline/pos_tag/tagged_feature.py``
``template2features``), about 70% of a tagging. :func:`features` builds the identical feature strings in one pass;
:func:`pos_tag` then calls underthesea's own segmenter and model with them (``tests/test_pos.py`` compares the
features and the tags with underthesea's on real windows of the corpus). Another underthesea whose predictor uses
another template is asked directly. The answers are cached by text: figures tags the few words after a number,
and the same windows recur across the reports of a batch ("hồ sơ", "tài khoản định danh điện tử" …).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

NOUN_PHRASE_TAGS = frozenset({"N", "Np", "Nc", "Nu", "Ny", "A", "M"})  # nouns, adjectives and numerals

# underthesea's POS feature template (``CRFPOSTagPredictor().transformer.template``), which :func:`features` builds:
# T[i] is the word i places away, .lower / .istitle a function of it, T[i,j] the words i..j joined by a space, and
# [1] the tag column, which holds "X" for every word of a sentence to tag
TEMPLATE = (
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[0].istitle", "T[-1].istitle", "T[1].istitle",
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
    "T[-3][1]", "T[-2][1]", "T[-1][1]",
    "T[-3,-2][1]", "T[-2,-1][1]",
)


def _istitle(word: str) -> bool:
    """underthesea's ``text_istitle``: ``word`` is not empty and each of its space-separated parts is not empty and
    starts with a capital (a titlecase or uppercase character)."""
    return bool(word) and all(part and part[0].istitle() for part in word.split(" "))


def features(tokens: Sequence[str]) -> list[list[str]]:
    """The CRF features of each word of ``tokens``, as underthesea's ``TaggedTransformer(TEMPLATE)`` builds them for
    the sentence ``[(token, "X") for token in tokens]``: "name=value" strings in template order, "BOS" / "EOS" for
    a position before the first word / after the last."""
    n = len(tokens)
    bos, eos = ["BOS", "BOS"], ["EOS", "EOS"]
    # each column padded with two BOS before and two EOS after: position i of the sentence is index i + 2
    word = bos + list(tokens) + eos
    lower = bos + [t.lower() for t in tokens] + eos
    title = bos + [str(_istitle(t)) for t in tokens] + eos
    # the pair starting at word k is index k + 2; past the last pair, EOS (T[0,1] of the last word, T[1,2] of the
    # last two); before the first, BOS (T[-2,-1] of the first two words, T[-1,0] of the first)
    pair = bos + [tokens[k] + " " + tokens[k + 1] for k in range(n - 1)] + eos
    out = []
    for i in range(n):
        j = i + 2
        out.append([
            "T[-2].lower=" + lower[j - 2], "T[-1].lower=" + lower[j - 1], "T[0].lower=" + lower[j],
            "T[1].lower=" + lower[j + 1], "T[2].lower=" + lower[j + 2],
            "T[0].istitle=" + title[j], "T[-1].istitle=" + title[j - 1], "T[1].istitle=" + title[j + 1],
            "T[-2]=" + word[j - 2], "T[-1]=" + word[j - 1], "T[0]=" + word[j], "T[1]=" + word[j + 1],
            "T[2]=" + word[j + 2],
            "T[-2,-1]=" + pair[i], "T[-1,0]=" + pair[i + 1], "T[0,1]=" + pair[i + 2], "T[1,2]=" + pair[i + 3],
            "T[-3][1]=BOS" if i < 3 else "T[-3][1]=X", "T[-2][1]=BOS" if i < 2 else "T[-2][1]=X",
            "T[-1][1]=BOS" if i < 1 else "T[-1][1]=X",
            "T[-3,-2][1]=BOS" if i < 3 else "T[-3,-2][1]=X X", "T[-2,-1][1]=BOS" if i < 2 else "T[-2,-1][1]=X X",
        ])
    return out


@functools.cache
def _model() -> tuple[Callable[[str], list[str]], Callable[[list[list[str]]], list[str]]] | None:
    """(underthesea's ``word_tokenize``, its POS ``CRFTagger.tag``), or None when the installed underthesea's
    predictor builds other features than :data:`TEMPLATE` (then :func:`pos_tag` asks ``underthesea.pos_tag``)."""
    from underthesea import word_tokenize  # imported on first use: loading it takes a second
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    predictor = CRFPOSTagPredictor.Instance()
    if tuple(getattr(getattr(predictor, "transformer", None), "template", None) or ()) != TEMPLATE:
        return None
    return word_tokenize, predictor.model.tag


@functools.lru_cache(maxsize=4096)
def pos_tag(text: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) for each word of ``text``: what ``underthesea.pos_tag(text)`` answers, cached by text."""
    model = _model()
    if model is None:
        from underthesea import pos_tag as underthesea_pos_tag

        return tuple(underthesea_pos_tag(text))
    word_tokenize, tag = model
    tokens = word_tokenize(text)
    if not tokens:
        return ()
    return tuple(zip(tokens, tag(features(tokens)), strict=True))
