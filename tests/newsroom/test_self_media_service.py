"""Self-media pages: owners edit their own, chief editors suspend, suspension disables the owner."""

from __future__ import annotations

import pytest

from newsportal.newsroom.accounts import AccountError
from newsportal.newsroom.roles import Action, Forbidden, can
from newsportal.newsroom.self_media import FieldErrors, clean_fields
from newsportal.newsroom.sessions import SessionInvalid
from tests.newsroom.newsroom_services import build
from tests.newsroom_rows import add_source

PAGE = {
    "name": "山城观察",
    "intro": "记录山城街巷的日常变化与市井人情。",
    "operator": "山城观察文化工作室",
    "category": "城市生活",
    "contact": "shancheng@example.org",
}
PASSWORD = "Shancheng-obs-77"


@pytest.fixture
def setting(store):
    nr = build(store.engine)
    mine, theirs = add_source(store.engine), add_source(store.engine)
    owner = nr.accounts.create_user(None, "owner", "self_media", source_id=mine, password=PASSWORD).user
    chief = nr.accounts.create_user(None, "chief", "chief_editor").user
    editor = nr.accounts.create_user(None, "editor", "editor").user
    return (
        nr,
        mine,
        theirs,
        nr.accounts.actor_for(owner),
        nr.accounts.actor_for(chief),
        nr.accounts.actor_for(editor),
    )


def test_owner_edits_own_page_only(setting):
    nr, mine, theirs, owner, _, editor = setting
    page = nr.self_media.update(owner, mine, PAGE, ip="198.51.100.3")
    assert (page.name, page.category, page.suspended) == ("山城观察", "城市生活", False)
    (entry,) = nr.entries(action="source.update")
    assert entry.detail["changed"] == sorted(PAGE) and entry.target_id == str(mine)
    with pytest.raises(Forbidden):
        nr.self_media.update(owner, theirs, PAGE)
    with pytest.raises(Forbidden):
        nr.self_media.update(editor, mine, PAGE)
    nr.self_media.update(owner, mine, {**PAGE, "intro": "新的简介。"})
    assert nr.entries(action="source.update")[0].detail["changed"] == ["intro"]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(FieldErrors) as err:
        clean_fields(
            {"name": "", "intro": "长" * 501, "operator": "正常", "category": "x\u202eevil", "contact": ""}
        )
    assert set(err.value.errors) == {"name", "intro", "category"}
    assert err.value.errors["name"] == "请填写名称"
    assert clean_fields({**PAGE, "name": "  山城观察 "})["name"] == "山城观察"


def test_suspension_disables_the_owner_until_restored(setting):
    nr, mine, _, owner, chief, _ = setting
    nr.self_media.update(owner, mine, PAGE)
    login = nr.accounts.authenticate("owner", PASSWORD)
    with pytest.raises(Forbidden):
        nr.self_media.set_suspended(owner, mine, True, reason="自己暂停自己")
    with pytest.raises(AccountError, match="暂停原因"):
        nr.self_media.set_suspended(chief, mine, True, reason="  ")
    page = nr.self_media.set_suspended(chief, mine, True, reason="多次发布未经核实的消息", ip="192.0.2.8")
    assert page.suspended and page.suspended_reason == "多次发布未经核实的消息"
    with pytest.raises(SessionInvalid):
        nr.sessions.check(login.session.session_id)
    now_owner = nr.accounts.actor_by_id(owner.user_id)
    assert not now_owner.active and not can(now_owner.role, Action.SUBMIT, owns=True, active=now_owner.active)
    with pytest.raises(Forbidden):
        nr.self_media.update(now_owner, mine, PAGE)
    nr.self_media.set_suspended(chief, mine, False)
    assert nr.accounts.actor_by_id(owner.user_id).active
    actions = [e.action for e in nr.entries(target_kind="source") if e.action != "source.update"]
    assert actions == ["source.unsuspend", "source.suspend"]


def test_suspending_a_source_without_a_page(setting):
    nr, _, theirs, _, chief, _ = setting
    with pytest.raises(AccountError, match="还没有"):
        nr.self_media.set_suspended(chief, theirs, True, reason="测试")
