"""Every cell of the role × action matrix, with and without ownership, plus the docstring table."""

from __future__ import annotations

import pytest

from newsportal.newsroom import roles
from newsportal.newsroom.roles import (
    Action,
    Forbidden,
    Grant,
    Role,
    UnknownRole,
    allowed_actions,
    can,
    grant,
    parse_role,
    require,
)

# Written out independently of roles.MATRIX: Y = always, O = own only, . = never.
# Columns: reporter, editor, chief_editor, admin, self_media.
EXPECTED = """
write               O Y Y . O
submit              O Y Y . O
edit_others         . Y Y . .
approve             . Y Y . .
publish             . Y Y . .
schedule            . Y Y . .
withdraw            . Y Y . .
correct             . Y Y . .
pin                 . Y Y . .
manage_sources      . . Y . .
manage_users        . . . Y .
read_audit          . . Y Y .
moderate_comments   . Y Y . .
manage_own_account  . . . . O
"""
COLUMNS = [Role.REPORTER, Role.EDITOR, Role.CHIEF_EDITOR, Role.ADMIN, Role.SELF_MEDIA]


def _expected() -> dict[tuple[Role, Action], str]:
    out = {}
    for line in EXPECTED.strip().splitlines():
        name, *cells = line.split()
        for role, cell in zip(COLUMNS, cells, strict=True):
            out[(role, Action(name))] = cell
    return out


EXPECTED_CELLS = _expected()
CELLS = [(role, action) for role in Role for action in Action]


def test_expected_table_covers_every_role_and_action() -> None:
    assert set(EXPECTED_CELLS) == set(CELLS)


@pytest.mark.parametrize(("role", "action"), CELLS, ids=[f"{r.value}-{a.value}" for r, a in CELLS])
def test_cell(role: Role, action: Action) -> None:
    cell = EXPECTED_CELLS[(role, action)]
    assert can(role, action, owns=True) is (cell in "YO")
    assert can(role, action, owns=False) is (cell == "Y")
    assert grant(role, action) is {"Y": Grant.YES, "O": Grant.OWN, ".": Grant.NO}[cell]
    # require agrees with can, in both ownership cases
    for owns in (True, False):
        if can(role, action, owns=owns):
            require(role, action, owns=owns)
        else:
            with pytest.raises(Forbidden) as err:
                require(role, action, owns=owns)
            assert err.value.action is action and err.value.role is role
            assert err.value.reason == ("ownership" if cell == "O" else "role")
    # an inactive account may do nothing, whatever the cell says
    assert can(role, action, owns=True, active=False) is False
    with pytest.raises(Forbidden) as err:
        require(role, action, owns=True, active=False)
    assert err.value.reason == "inactive"


def test_docstring_table_matches_matrix() -> None:
    doc = roles.__doc__ or ""
    rows = {}
    for line in doc.splitlines():
        parts = line.split()
        if parts and parts[0] in {a.value for a in Action}:
            rows[Action(parts[0])] = parts[1:]
    assert set(rows) == set(Action)
    symbol = {Grant.YES: "yes", Grant.OWN: "own", Grant.NO: "—"}
    for action, cells in rows.items():
        assert cells == [symbol[grant(role, action)] for role in COLUMNS], action


def test_forbidden_messages_are_chinese_and_name_role_and_action() -> None:
    with pytest.raises(Forbidden) as err:
        require(Role.REPORTER, Action.PUBLISH)
    assert err.value.message == "记者无权发布稿件"
    assert str(err.value) == "记者无权发布稿件"
    with pytest.raises(Forbidden) as err:
        require(Role.SELF_MEDIA, Action.SUBMIT, owns=False)
    assert err.value.message == "自媒体作者只能提交审核（仅限本人的内容）"
    with pytest.raises(Forbidden) as err:
        require(Role.EDITOR, Action.PUBLISH, active=False)
    assert err.value.message == "账号已停用，无权发布稿件"
    assert isinstance(err.value, PermissionError)


def test_newsroom_rules_in_words() -> None:
    # Content creators never publish, schedule or approve, even their own work.
    for creator in (Role.REPORTER, Role.SELF_MEDIA):
        for action in (Action.PUBLISH, Action.SCHEDULE, Action.APPROVE, Action.EDIT_OTHERS):
            assert not can(creator, action, owns=True)
    # The chief editor has every editor right and more.
    assert allowed_actions(Role.EDITOR) < allowed_actions(Role.CHIEF_EDITOR)
    # The admin has no editorial rights.
    assert allowed_actions(Role.ADMIN) == {Action.MANAGE_USERS, Action.READ_AUDIT}
    assert allowed_actions(Role.REPORTER) == frozenset()
    assert allowed_actions(Role.REPORTER, owns=True) == {Action.WRITE, Action.SUBMIT}


def test_every_role_and_action_has_a_label() -> None:
    assert [r.label for r in Role] == ["记者", "责编", "主编", "管理员", "自媒体作者"]
    assert all(a.label for a in Action)
    assert len({a.label for a in Action}) == len(Action)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("editor", Role.EDITOR),
        ("责编", Role.EDITOR),
        (" 主编 ", Role.CHIEF_EDITOR),
        ("self_media", Role.SELF_MEDIA),
    ],
)
def test_parse_role(text: str, role: Role) -> None:
    assert parse_role(text) is role


def test_parse_role_unknown() -> None:
    with pytest.raises(UnknownRole) as err:
        parse_role("superuser")
    assert "未知角色" in str(err.value) and "责编" in str(err.value)
    assert isinstance(err.value, ValueError)
