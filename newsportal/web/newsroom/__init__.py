"""The newsroom web UI at ``/newsroom``: server-rendered pages in Simplified Chinese.

Mount it with one line in the app: ``app.router.routes.extend(newsroom_routes())`` (from
:mod:`newsportal.web.newsroom.routes`). Services come from
:mod:`newsportal.web.newsroom.deps` only; templates are under ``templates/newsroom/`` and the static
script and stylesheet under ``static/newsroom/`` (no inline script or style, for a strict CSP).
"""
