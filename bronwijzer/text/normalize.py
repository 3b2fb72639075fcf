"""Dutch text handling shared by indexing and querying: stemming, OCR folding, sentences."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import llama_index.core
import nltk
import simplemma
import Stemmer
from nltk.tokenize.punkt import PunktSentenceTokenizer, load_punkt_params

TOKEN_PATTERN = r"(?u)\b\w\w+\b"

# OCR of this corpus confuses l/I/i/j ('WIz' for 'Wlz', 'opiossing', 'liin' for 'lijn').
# Folding them to one letter on both sides makes the index tolerant to that noise.
_OCR_FOLD = str.maketrans({"l": "i", "j": "i", "y": "i"})

# Abbreviations after which Dutch policy text does not end a sentence.
_ABBREVIATIONS = {
    "art", "artt", "nr", "nrs", "bijv", "o.a", "e.d", "e.a", "m.b.t", "t.a.v", "i.v.m", "resp",
    "ca", "zgn", "incl", "excl", "jo", "vgl", "z.g", "d.w.z", "m.n", "e.e.a", "blz", "p", "pag",
    "min", "mr", "dr", "drs", "ir", "prof", "mevr", "dhr", "c.s", "etc", "i.c", "t.b.v",
    "n.a.v",
}  # fmt: skip


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(token: str) -> str:
    """Lower-case, accent- and OCR-folded form of one token."""
    return strip_accents(token.lower()).translate(_OCR_FOLD)


_MAX_CACHED_WORDS = 500_000


def dictionary_form(word: str) -> str:
    """The dictionary form of the inflections that Snowball leaves whole: a weak verb's form in
    -d or -t as its infinitive ('onderbouwd', 'bepaald', 'somt', 'vastgesteld' ->
    'onderbouwen', 'bepalen', 'sommen', 'vaststellen'), and the -s plural of a noun ending in a
    vowel as its singular ('reacties' -> 'reactie'); any other word as it is.

    Snowball strips the -en of 'onderbouwen' but not the -d of 'onderbouwd', and the -s of
    'zorgaanbieders' but not of 'reacties', so a question's form never met the text's.
    simplemma's Dutch dictionary (in its wheel) knows the dictionary form; only an infinitive,
    or the word less its -s, is taken from it, since it also reads nouns as other words
    ('passen' as 'pas').
    """
    if not word.endswith(("d", "t", "s")):
        return word
    lemma = simplemma.lemmatize(word, lang="nl")
    if word.endswith("s"):
        return lemma if lemma == word[:-1] else word
    lemma = lemma.replace("_", "")  # 'vast_stellen'
    return lemma if lemma.endswith("en") else word


class FoldingStemmer:
    """Dutch Snowball stemmer (PyStemmer) after reading the inflections it leaves whole in
    their dictionary form (`dictionary_form`), followed by OCR folding; bm25s calls
    ``stemWords``."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("dutch")
        # Texts reuse a small vocabulary, so each word is stemmed and folded once: the term
        # weights over 100,000 chunks load in seconds, not minutes.
        self._folded_stem = functools.lru_cache(maxsize=_MAX_CACHED_WORDS)(self._stem_folded)

    def _stem_folded(self, word: str) -> str:
        return fold(self._stemmer.stemWord(strip_accents(dictionary_form(word))))

    def stemWords(self, words: list[str]) -> list[str]:
        return [self._folded_stem(w) for w in words]

    def stem(self, word: str) -> str:
        return self.stemWords([word])[0]


# Words that shape a question but carry none of its topic.
_QUESTION_WORDS = {
    "een", "en", "wat", "wie", "welk", "welke", "waarom", "wanneer", "hoe", "hoeveel", "waar",
    "wij", "we", "ons", "onze", "jullie", "ik", "mijn", "mag", "mogen", "kan", "kunnen", "moet",
    "moeten", "zou", "zouden", "geldt", "gelden", "precies", "eigenlijk", "volgens", "zegt",
    "staat", "noemt", "via", "does", "do", "can", "may", "must", "should", "according", "what",
    "which", "who", "why", "when", "how", "many", "much",
}  # fmt: skip


@functools.cache
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

    return frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN) | frozenset(_QUESTION_WORDS)


_WORD = re.compile(TOKEN_PATTERN)
WORD = re.compile(r"\w+")  # any run of word characters, one-letter words included


def content_terms(text: str, stemmer: FoldingStemmer) -> list[str]:
    """Stemmed, folded content words of a text (stopwords and 1-letter tokens dropped)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in stopwords()]
    return stemmer.stemWords(words)


@functools.cache
def _sentence_tokenizer() -> PunktSentenceTokenizer:
    # llama-index-core ships NLTK's punkt tables, Dutch included: nothing is downloaded.
    cache = Path(llama_index.core.__file__).parent / "_static" / "nltk_cache"
    if str(cache) not in nltk.data.path:
        nltk.data.path.append(str(cache))
    params = load_punkt_params(nltk.data.find("tokenizers/punkt_tab/dutch/"))
    params.abbrev_types.update(_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of a text; text[start:end] is exact."""
    spans: list[tuple[int, int]] = []
    for start, end in _sentence_tokenizer().span_tokenize(text):
        # A blank line or bullet also ends a sentence (headings, list items).
        piece_start = start
        for m in re.finditer(r"\n\s*\n|\n(?=[–•·\-*] )", text[start:end]):
            cut = start + m.start()
            if _runs_on(text, piece_start, cut, start + m.end()):
                continue  # 'onder j Wet\n\nmarktordening': a line break inside a sentence
            if text[piece_start:cut].strip():
                spans.append(_trim(text, piece_start, cut))
            piece_start = start + m.end()
        if text[piece_start:end].strip():
            spans.append(_trim(text, piece_start, end))
    return spans


def _runs_on(text: str, start: int, cut: int, resume: int) -> bool:
    """Does the sentence go on after this blank line? Only when the text before it ends
    in a word, not a stop or colon, and the text after starts with a lower-case letter
    (PDF and OCR text breaks lines, and footnotes, mid-sentence)."""
    before = text[start:cut].rstrip()
    after = text[resume : resume + 2]
    return bool(before) and before[-1].isalnum() and after.isalpha() and after.islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_ENGLISH_MARKERS = {
    "the", "what", "which", "who", "when", "does", "is", "are", "can", "how", "why", "of",
    "and", "to", "according", "from", "for", "be", "do", "under", "there", "a", "an", "it",
}  # fmt: skip
_DUTCH_MARKERS = {
    "de", "het", "een", "wat", "welke", "wie", "wanneer", "is", "zijn", "kan", "mag", "hoe",
    "waarom", "van", "en", "voor", "geldt", "moet", "wordt", "er", "dat", "die", "niet", "ook",
}  # fmt: skip


def detect_language(text: str) -> str:
    """'en' or 'nl', by function words; questions here are one or the other.

    Not simplemma's `langdetect`: it samples words of three letters or more by dictionary
    and reads a Dutch question that names an English field term as English ('Wat is de
    lump sum?', 'Wat is een add-on?'); English terms are common here, English function
    words in a Dutch question are not."""
    words = re.findall(r"[a-zA-Z]+", text.lower())
    en = sum(w in _ENGLISH_MARKERS for w in words)
    nl = sum(w in _DUTCH_MARKERS for w in words)
    return "en" if en > nl else "nl"


def folded(text: str) -> str:
    """fold() per character, so offsets in the result are offsets in the text."""
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f if len(f) == 1 else ch.lower()[:1] or ch)
    return "".join(out)
