"""Chinese text handling: sanitizing untrusted HTML, tokens for matching, plain-text extraction."""

from newsportal.text.sanitize import BodyTooLarge, html_to_text, paragraphs_to_html, sanitize_html
from newsportal.text.tokens import keywords, tokenize

__all__ = [
    "BodyTooLarge",
    "html_to_text",
    "keywords",
    "paragraphs_to_html",
    "sanitize_html",
    "tokenize",
]
