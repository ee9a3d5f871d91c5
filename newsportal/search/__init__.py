"""Full-text index of published articles (tantivy, BM25 over rjieba tokens): search and more-like-this."""

from newsportal.search.index import TextIndex, doc_terms

__all__ = ["TextIndex", "doc_terms"]
