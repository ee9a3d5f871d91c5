"""A reader's search box text, turned into a safe structured query.

Why not ``index.parse_query``: tantivy's query parser gives meaning to ``" ( ) : + - ^ ~ *`` and to
``AND``/``OR``/``NOT``; a reader who pastes ``C++: 价格(元)`` would get a syntax error or a field lookup. Here
nothing the reader types is syntax: text becomes words, words become term and phrase queries built
programmatically (``Query.term_query`` / ``Query.phrase_query`` / ``Query.boolean_query``), so there is
nothing to escape and nothing to inject.

Chinese has no spaces, so words come from rjieba. The index and the query must agree on them:

* ``index_tokens(text)`` is what the index stores: jieba's *search mode*. Every word is preceded by the
  dictionary words inside it (待处理 → 处理 待处理; 公交车 → 公交 公交车), so a query for 处理 finds
  待处理 and 公交 finds 公交车. Sub-words always come *before* their word and their number depends only on
  the word, which lets phrases be matched by position (see ``ParsedQuery.phrase_words``). Stopwords stay
  in the index (BM25 weighs them down anyway) so phrase positions are not shifted by their removal.
* Each query word is required (AND) and matched as one index token, in the title or the body (title matches
  weigh more); as the index holds sub-words, 处理 matches documents saying 待处理.
* A "quoted phrase" (ASCII ``"…"`` or Chinese ``“…”``) must appear as consecutive words.

The index fields searched with phrases need ``index_option="position"`` (tantivy's default); the
``whitespace`` tokenizer over ``" ".join(index_tokens(text))`` reproduces the token stream exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import rjieba
import tantivy

from newsportal.text.tokens import STOPWORDS

MAX_QUERY_CHARS = 200  # longer input is cut here (a pasted article is not a query)
MAX_TERMS = 12  # words plus phrases
MAX_PHRASE_WORDS = 12
DEFAULT_FIELDS: Mapping[str, float] = {"title": 3.0, "body": 1.0}

# the words tantivy's parser treats as operators; typed as such they say nothing about the topic
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT"})

# ASCII "…", Chinese “…” (either closing mark accepted, readers mix them); an unpaired quote is ignored
_PHRASE = re.compile(r'"([^"“”]*)"|“([^"“”]*)[”"]')
_QUOTES = re.compile(r'["“”]')
# a letter or digit of any script: a token without one is punctuation or space
_ALNUM = re.compile(r"[^\W_]")
# C0/C1 controls, lone surrogates, BOM: never part of a word, and unsafe to echo back
_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")


class EmptyQuery(ValueError):
    """The query holds no searchable word (empty, only punctuation or only syntax characters)."""

    def __init__(self, message: str = "请输入要搜索的字词（标点符号和空格无法搜索）。") -> None:
        super().__init__(message)
        self.message = message


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _normalize(text: str) -> str:
    """NFKC (full-width ＡＢＣ１２３ → ABC123), controls removed, lower-cased."""
    return _JUNK.sub(" ", unicodedata.normalize("NFKC", text)).lower()


def _words(text: str) -> list[str]:
    """jieba's accurate-mode words of already normalised text, punctuation and spaces dropped."""
    return [tok for tok in map(str.strip, rjieba.cut(text)) if _ALNUM.search(tok)]


def sub_words(word: str) -> list[str]:
    """Dictionary words inside a Chinese word (2- then 3-character ones), as jieba's search mode emits them.

    Computed from the word alone, never from its context, so a phrase's positions can be predicted (and
    cached: indexing meets the same words again and again).
    """
    if len(word) <= 2:
        return []
    return list(_sub_words(word))


@lru_cache(maxsize=100_000)
def _sub_words(word: str) -> tuple[str, ...]:
    if not all(_is_han(ch) for ch in word):
        return ()
    out = [word[i:i + 2] for i in range(len(word) - 1) if rjieba.has_word(word[i:i + 2])]
    if len(word) > 3:
        out += [word[i:i + 3] for i in range(len(word) - 2) if rjieba.has_word(word[i:i + 3])]
    return tuple(out)


def index_tokens(text: str) -> list[str]:
    """The token stream the search index must store for ``text`` (title or body), in order.

    Each accurate-mode word is preceded by its sub-words (``sub_words``): 待处理的公交车 → 处理 待处理 的
    公交 公交车. Index ``" ".join(index_tokens(text))`` under tantivy's ``whitespace`` tokenizer.
    """
    out: list[str] = []
    for word in _words(_normalize(text)):
        if len(word) > 2:
            out += _sub_words(word)
        out.append(word)
    return out


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query: required words, required phrases, and whether the input was cut short.

    ``terms`` are accurate-mode words (stopwords and operator words dropped unless nothing else is left);
    ``phrases`` keep the reader's text (normalised) for display and highlighting.
    """

    terms: tuple[str, ...]
    phrases: tuple[str, ...]
    truncated: bool = False

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """Everything a result snippet should mark: the words and the phrases."""
        return self.terms + self.phrases

    @staticmethod
    def phrase_words(phrase: str) -> list[tuple[int, str]]:
        """(position, word) pairs locating a phrase's words in an ``index_tokens`` stream.

        Only the accurate-mode words are required; their sub-words fill the positions in between. The last
        word may also begin a longer word of the document (“乘坐公交” finds 乘坐公交车: sub-words directly
        follow the previous word); the first must be a whole word there (“交通集团” misses 公共交通集团).
        """
        pos = 0
        out = []
        for i, word in enumerate(_words(_normalize(phrase))[:MAX_PHRASE_WORDS]):
            if i:
                pos += len(sub_words(word)) + 1
            out.append((pos, word))
        return out

    def _phrase_query(self, schema: tantivy.Schema, field: str, phrase: str) -> tantivy.Query:
        located = self.phrase_words(phrase)
        if len(located) == 1:  # tantivy's phrase query needs two words
            return tantivy.Query.term_query(schema, field, located[0][1])
        words: list[str | tuple[int, str]] = [*located]
        return tantivy.Query.phrase_query(schema, field, words)

    def to_tantivy(
        self,
        schema: tantivy.Schema,
        fields: Mapping[str, float] = DEFAULT_FIELDS,
        exact_fields: Mapping[str, float] | None = None,
    ) -> tantivy.Query:
        """The tantivy query: every word and every phrase must match in at least one field.

        ``fields`` maps tokenised fields (indexed from ``index_tokens``, positions on) to boosts;
        ``exact_fields`` maps raw-tokenised fields (tags, stored lower-cased) to boosts, matched by whole
        words and whole phrases.
        """
        musts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for kind, items in (("term", self.terms), ("phrase", self.phrases)):
            for item in items:
                either = []
                for field, boost in fields.items():
                    q = (tantivy.Query.term_query(schema, field, item) if kind == "term"
                         else self._phrase_query(schema, field, item))
                    either.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
                for field, boost in (exact_fields or {}).items():
                    q = tantivy.Query.term_query(schema, field, item)
                    either.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
                musts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(either)))
        return tantivy.Query.boolean_query(musts)


def _plain_terms(text: str) -> list[str]:
    """Words of unquoted text: operator words typed in capitals are dropped before normalising."""
    kept = " ".join(w for w in text.split() if w not in OPERATOR_WORDS)
    return _words(_normalize(kept))


def parse_query(raw: str, max_chars: int = MAX_QUERY_CHARS, max_terms: int = MAX_TERMS) -> ParsedQuery:
    """Parse the search box text; raises ``EmptyQuery`` when no searchable word is left.

    Overlong input is cut to ``max_chars`` characters and to ``max_terms`` words plus phrases; the result's
    ``truncated`` flag tells the page to say so.
    """
    raw = raw or ""
    truncated = len(raw) > max_chars
    raw = raw[:max_chars]

    phrases: list[str] = []
    rest: list[str] = []
    last = 0
    for m in _PHRASE.finditer(raw):
        rest.append(raw[last:m.start()])
        last = m.end()
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        words = _words(_normalize(inner))
        if len(words) > MAX_PHRASE_WORDS:
            truncated = True
        if words:
            phrase = " ".join(_normalize(inner).split())
            if phrase not in phrases:
                phrases.append(phrase)
    rest.append(raw[last:])
    plain = _QUOTES.sub(" ", " ".join(rest))

    candidates = list(dict.fromkeys(_plain_terms(plain)))
    terms = [t for t in candidates if t not in STOPWORDS] or candidates
    if not terms and not phrases:
        # only operator words (a search for the word "not"): take them literally
        terms = list(dict.fromkeys(_words(_normalize(plain))))
    if not terms and not phrases:
        raise EmptyQuery()

    if len(phrases) + len(terms) > max_terms:
        truncated = True
        phrases = phrases[:max_terms]
        terms = terms[: max_terms - len(phrases)]
    return ParsedQuery(terms=tuple(terms), phrases=tuple(phrases), truncated=truncated)

