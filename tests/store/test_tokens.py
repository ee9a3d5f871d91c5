"""API tokens (store/tokens.py)."""

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
