"""newsportal: a Chinese-language news portal and newsroom.

The package is split by concern; see README.md for the map. The public entry points are
:func:`newsportal.web.app.create_app` (the ASGI app), :class:`newsportal.store.Store` (storage) and
:mod:`newsportal.newsroom.publish` (the one publish flow every way in goes through).
"""

__version__ = "0.1.0"
SITE_NAME = "山海新闻"
