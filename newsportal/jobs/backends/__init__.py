"""One file per job engine: ``embedded`` (threads and row claims) and ``procrastinate`` (PostgreSQL jobs)."""
