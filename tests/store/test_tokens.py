"""API tokens (store/tokens.py)."""

from tests.store.helpers import T0


def test_tokens_verify_and_revoke(store):
    token, secret = store.create_token("feed")
    assert store.verify_token(secret).id == token.id
    assert store.verify_token(secret + "x") is None
    assert store.verify_token("nonsense") is None
    assert store.revoke_token(token.prefix)
    assert store.verify_token(secret) is None

def test_tokens_are_listed_with_their_state_and_unknown_prefixes_are_refused(store):
    a, _ = store.create_token("feed-a")
    b, _ = store.create_token("feed-b")
    assert store.revoke_token(b.prefix) and not store.revoke_token("nope")
    listed = store.tokens()
    assert [(t.name, t.revoked) for t in listed] == [("feed-a", False), ("feed-b", True)]
    assert listed[0].prefix == a.prefix and store.verify_token(f"np_{a.prefix}_wrong") is None


def test_a_token_keeps_the_role_it_was_made_with(store):
    editor, secret = store.create_token("desk-tool", role="editor")
    plain, _ = store.create_token("legacy-style")
    assert editor.role == "editor" and plain.role is None
    assert store.verify_token(secret).role == "editor"
    assert [(t.name, t.role) for t in store.tokens()] == [("desk-tool", "editor"), ("legacy-style", None)]


def test_the_migration_leaves_existing_tokens_on_the_configured_default(store):
    """Tokens made before 0007 get NULL, which the newsroom reads as NEWSPORTAL_TOKEN_ROLE: as before."""
    from alembic import command
    from sqlalchemy import inspect, text

    from newsportal.store.migrate import alembic_config

    with store.engine.begin() as conn:
        cfg = alembic_config(store.engine)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_reader")
    with store.engine.begin() as conn:
        assert "role" not in {c["name"] for c in inspect(conn).get_columns("api_tokens")}
        conn.execute(text("INSERT INTO api_tokens (name, prefix, secret_hash, created_at, revoked) "
                          "VALUES ('old-feed', 'abcd1234', 'x', :now, :no)"),
                     {"now": T0, "no": False})
    store.upgrade()
    (old,) = store.tokens()
    assert (old.name, old.role, old.revoked) == ("old-feed", None, False)
