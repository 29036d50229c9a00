"""The spaCy annotation layer: a Vietnamese-tokenised Doc on which every citation is a Span (displaCy can show them).

``spacy.blank("vi")`` needs pyvi, which docmine does not ship; the pipeline instead uses a tokenizer built on
underthesea's word segmentation (offline), so tokens are Vietnamese words ("Công văn", "Đề án", "Chính phủ") and a
citation's span boundaries fall on words. The pipeline is:

    docmine.underthesea_tokenizer.v1  → entity_ruler (ISSUER names and codes, from rules/issuers.yaml)
                                      → docmine_citations (extractor.extract.citations on doc.text
                                                           → doc.spans["citations"])

Its config and the ruler's patterns are saved under ``models/docmine_vi`` by ``models/build_pipeline.py`` and
loaded from there (``load_pipeline``); nothing is downloaded at run time. The extractor itself does not depend on
spaCy: this layer is for display and for checking spans.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .extract.citations import extract_from_text
from .model import Citation
from .resources import models_dir

PIPELINE_NAME = "docmine_vi"
SPANS_KEY = "citations"

if not Span.has_extension("citation"):
    Span.set_extension("citation", default=None)


class UndertheseaTokenizer:
    """Word segmentation by underthesea, aligned back onto the exact input text (offsets are preserved)."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from underthesea import word_tokenize

        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for line_start, line in _lines(text):
            if pos < line_start:  # the newline itself is a whitespace token
                _push_gap(text[pos:line_start], words, spaces)
                pos = line_start
            for token in word_tokenize(line) if line.strip() else []:
                found = text.find(token, pos)
                if found < 0:  # underthesea normalised something: fall back to whitespace pieces
                    continue
                if found > pos:
                    _push_gap(text[pos:found], words, spaces)
                words.append(token)
                spaces.append(False)
                pos = found + len(token)
        if pos < len(text):
            _push_gap(text[pos:], words, spaces)
        # a single space after a word is the word's trailing space
        merged_words: list[str] = []
        merged_spaces: list[bool] = []
        for w, s in zip(words, spaces, strict=True):
            if w == " " and merged_words and not merged_spaces[-1] and merged_words[-1].strip():
                merged_spaces[-1] = True
                continue
            merged_words.append(w)
            merged_spaces.append(s)
        return Doc(self.vocab, words=merged_words, spaces=merged_spaces)

    # serialisation: the tokenizer has no state of its own
    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> UndertheseaTokenizer:
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> UndertheseaTokenizer:
        return self


def _lines(text: str):
    start = 0
    for part in text.split("\n"):
        yield start, part
        start += len(part) + 1


def _push_gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    # text the segmenter skipped: keep it as tokens so that doc.text == input
    for piece in gap.split(" "):
        if piece:
            words.append(piece)
            spaces.append(False)
        words.append(" ")
        spaces.append(False)
    # the loop added one space too many
    words.pop()
    spaces.pop()


@spacy.registry.tokenizers("docmine.underthesea_tokenizer.v1")
def create_tokenizer():
    def make(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab)

    return make


@Language.factory("docmine_citations", default_config={"spans_key": SPANS_KEY})
def create_citations_component(nlp: Language, name: str, spans_key: str):
    return CitationsComponent(spans_key)


class CitationsComponent:
    """Runs the citation extractor on ``doc.text`` and stores each citation as a Span labelled with its type."""

    def __init__(self, spans_key: str = SPANS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        return add_citation_spans(doc, extract_from_text(doc.text), self.spans_key)


def add_citation_spans(doc: Doc, citations: list[Citation], spans_key: str = SPANS_KEY) -> Doc:
    spans = []
    for c in citations:
        span = doc.char_span(c.start, c.end, label=c.doc_type, alignment_mode="expand")
        if span is None:
            continue
        span._.citation = c
        spans.append(span)
    doc.spans[spans_key] = spans
    doc.ents = filter_spans([*doc.ents, *spans])
    return doc


def pipeline_path() -> Path:
    return models_dir() / PIPELINE_NAME


def build_pipeline() -> Language:
    """A fresh pipeline from the rules (what models/build_pipeline.py saves)."""
    from .resources import load_rules

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "docmine.underthesea_tokenizer.v1"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False})
    issuers = load_rules("issuers.yaml")
    names = set(issuers["names"]) | set(issuers["codes"].values())
    ruler.add_patterns([{"label": "ISSUER", "pattern": name} for name in sorted(names)])
    nlp.add_pipe("docmine_citations")
    return nlp


@functools.cache
def load_pipeline() -> Language:
    """The saved pipeline under models/docmine_vi (built by ``python models/build_pipeline.py``)."""
    path = pipeline_path()
    if not (path / "config.cfg").exists():
        raise FileNotFoundError(f"spaCy pipeline missing: {path}; run `python models/build_pipeline.py` to build it")
    return spacy.load(path)


def annotate(text: str) -> Doc:
    """``text`` as a Vietnamese-tokenised Doc with its citations in ``doc.spans["citations"]``."""
    return load_pipeline()(text)


def render_html(doc: Doc) -> str:
    """displaCy markup of the citations of an annotated Doc."""
    from spacy import displacy

    return displacy.render(doc, style="span", options={"spans_key": SPANS_KEY}, page=True)
