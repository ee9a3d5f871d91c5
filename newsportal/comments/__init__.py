"""Reader comments (跟贴).

Pure rules with no store or web dependency: what a comment may contain (:mod:`.text`), what the automatic
pre-checks tell a moderator (:mod:`.prechecks`), how a comment, a report and a ban move between states
(:mod:`.moderation`, :mod:`.reports`, :mod:`.bans`), which readers may skip review (:mod:`.credit`), in
which order comments are shown (:mod:`.ranking`) and what a submission turns into (:mod:`.posting`). Keeping
them pure lets the store and the web layer share one set of rules
and lets every rule be tested without a database.

Services on top of the stores (``newsportal.store.reader_accounts``, ``.comments``, ``.reports``, ``.bans``):
reader accounts and verification (:mod:`.readers`), what readers do (:mod:`.service`), what moderators do
(:mod:`.moderating`), rate limits (:mod:`.ratelimit`), error-to-status mapping (:mod:`.errors`) and the
operator CLI (:mod:`.cli`).
"""
