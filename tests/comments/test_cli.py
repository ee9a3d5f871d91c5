"""The operator commands: list and verify readers, edit the banned-word list (SQLite file database)."""

from typer.testing import CliRunner

from newsportal.comments.cli import comments_app, reader_app
from newsportal.comments.readers import ReaderService
from newsportal.store import open_store
from newsportal.store.reader_accounts import ReaderAccountStore, Verification
from tests.comments.conftest import CHEAP, T0

runner = CliRunner()


def test_reader_verify_refuse_and_banned_words(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    store = open_store(url)
    store.upgrade()
    readers = ReaderService(ReaderAccountStore(store.engine), hasher=CHEAP)
    readers.sign_up("zhao@example.cn", "赵读者", "海河晨报2026", T0)
    readers.sign_up("13900139000", "钱读者", "海河晨报2026", T0)
    db = ["--database-url", url]

    listed = runner.invoke(reader_app, ["list", "--pending", *db])
    assert listed.exit_code == 0 and "zhao@example.cn" in listed.output and "共 2 个账号" in listed.output
    ok = runner.invoke(reader_app, ["verify", "ZHAO@example.cn", "--by", "ops:liu", *db])
    assert ok.exit_code == 0 and "已验证" in ok.output
    no = runner.invoke(reader_app, ["refuse", "139 0013 9000", "--note", "资料不符", *db])
    assert no.exit_code == 0 and "未通过验证" in no.output
    missing = runner.invoke(reader_app, ["verify", "nobody@example.cn", *db])
    assert missing.exit_code == 1 and "没有这个读者账号" in missing.output
    assert runner.invoke(reader_app, ["list", "--pending", *db]).output.strip().endswith("共 0 个账号")
    zhao = readers.accounts.by_login("zhao@example.cn")
    assert zhao.verification is Verification.VERIFIED and zhao.verified_by == "ops:liu"
    qian = readers.accounts.by_login("13900139000")
    assert qian.verification is Verification.REFUSED and qian.verified_by.startswith("cli:")

    assert runner.invoke(comments_app, ["banned-words", "add", "刷单", *db]).exit_code == 0
    dup = runner.invoke(comments_app, ["banned-words", "add", "刷单", *db])
    assert dup.exit_code == 1 and "已在词表中" in dup.output
    words = runner.invoke(comments_app, ["banned-words", "list", *db])
    assert "刷单" in words.output and "共 1 个违禁词" in words.output
    assert runner.invoke(comments_app, ["banned-words", "remove", "刷单", *db]).exit_code == 0
    gone = runner.invoke(comments_app, ["banned-words", "remove", "刷单", *db])
    assert gone.exit_code == 1 and "没有「刷单」" in gone.output
    store.close()
