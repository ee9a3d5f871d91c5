"""The store facade: one object, one method namespace, assembled from one mixin per aggregate.

Callers keep writing ``store.create_article(...)``, ``store.pins()``, ``store.stats(a)``; each method lives
in the module of the aggregate it belongs to:

=====================  =========================================================================
articles               create / update / set_status, get_*, revisions, count, story ids
catalog_reads          list_cards, cards_by_ids, story_cards, catalog/sync rows, index documents
engagement             add_events, prune_events, events_since, stats
readers                add_history, history, clear_history, prune_history
tokens                 create_token, verify_token, revoke_token, tokens
taxonomy               channels and sources
pins                   pin, unpin, pins
bulk (function)        bulk_create for load tests and large imports
=====================  =========================================================================

Room for what the newsroom, comments and ingest issues add, each as one more module and one more mixin here
(tables and a migration of their own): ``accounts`` (editor accounts, roles, password hashes), ``workflow``
(draft → review → scheduled states and their audit trail), ``comments`` (reader comments and moderation),
``ingest_sources`` (partner feeds, their cursors and fetch log).
"""

from __future__ import annotations

from newsportal.store.articles import ArticleStore
from newsportal.store.catalog_reads import CatalogReadStore
from newsportal.store.engagement import EngagementStore
from newsportal.store.pins import PinStore
from newsportal.store.readers import ReaderStore
from newsportal.store.taxonomy import TaxonomyStore
from newsportal.store.tokens import TokenStore


class Store(
    ArticleStore,
    CatalogReadStore,
    EngagementStore,
    ReaderStore,
    TokenStore,
    TaxonomyStore,
    PinStore,
):
    """Every aggregate's operations on one database; use :func:`~newsportal.store.open_store` to get one."""
