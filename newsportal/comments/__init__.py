"""Reader comments (跟贴): pure rules with no store or web dependency.

The modules here decide what a comment may contain (:mod:`.text`), what the automatic pre-checks tell a
moderator (:mod:`.prechecks`), how a comment, a report and a ban move between states (:mod:`.moderation`),
which readers may skip review (:mod:`.credit`) and in which order comments are shown (:mod:`.ranking`).
Keeping them pure lets the store and the web layer share one set of rules and lets every rule be tested
without a database.
"""
