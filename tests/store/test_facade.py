"""Every public method of the store facade is exercised by this suite (it runs on both databases)."""

import re
from pathlib import Path

from newsportal.store import Store

HERE = Path(__file__).parent


def test_every_public_store_method_is_called_by_a_store_test():
    public = {n for n in dir(Store) if not n.startswith("_") and callable(getattr(Store, n))}
    source = "\n".join(p.read_text("utf-8") for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    called = set(re.findall(r"store\.(\w+)\(", source)) | {"upgrade", "close", "session"} & set(
        re.findall(r"\b(\w+)\(", source))
    missing = sorted(public - called)
    assert not missing, f"store methods without a test in tests/store: {missing}"
