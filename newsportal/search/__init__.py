"""Full-text index of published articles (tantivy, BM25 over rjieba tokens): search and more-like-this."""

from newsportal.search.docs import IndexDoc
from newsportal.search.index import TextIndex, doc_terms

__all__ = ["IndexDoc", "TextIndex", "doc_terms"]
