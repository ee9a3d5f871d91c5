"""Every state × command pair, role checks on each allowed one, the guards, the scheduler step, saves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsportal.newsroom.roles import Forbidden, Role
from newsportal.newsroom.workflow import (
    LATE_GRACE,
    AuditKind,
    Command,
    EmbargoActive,
    InvalidTransition,
    ReasonRequired,
    SaveRefused,
    ScheduleError,
    State,
    Status,
    Transition,
    apply,
    available_commands,
    changed_fields,
    content_changed,
    fire_due,
    on_save,
)

NOW = datetime(2026, 12, 2, 6, 0)  # naive UTC = 14:00 Beijing
LATER = NOW + timedelta(hours=3)

D, SU, P, R, SC, W = (
    State.DRAFT,
    State.SUBMITTED,
    State.PUBLISHED,
    State.RETURNED,
    State.SCHEDULED,
    State.WITHDRAWN,
)
# Written out independently of workflow.RULES: command -> (allowed sources, target, audit).
EXPECTED = {
    Command.SUBMIT: ({D, R}, SU, AuditKind.SUBMIT),
    Command.RETURN: ({SU, SC}, R, AuditKind.RETURN),
    Command.PUBLISH: ({D, SU, SC}, P, AuditKind.PUBLISH),
    Command.SCHEDULE: ({D, SU, SC}, SC, AuditKind.SCHEDULE),
    Command.UNSCHEDULE: ({SC}, SU, AuditKind.UNSCHEDULE),
    Command.WITHDRAW: ({P}, W, AuditKind.WITHDRAW),
    Command.CORRECT: ({P}, P, AuditKind.CORRECT),
    Command.REOPEN: ({W}, D, AuditKind.REOPEN),
    Command.SCHEDULE_UPDATE: ({P}, P, AuditKind.SCHEDULE_UPDATE),
    Command.CANCEL_UPDATE: ({P}, P, AuditKind.CANCEL_UPDATE),
}
# Which roles may run each command (on their own article, for the 'own' cells).
MAY = {
    Command.SUBMIT: {Role.REPORTER, Role.EDITOR, Role.CHIEF_EDITOR, Role.SELF_MEDIA},
    **{
        c: {Role.EDITOR, Role.CHIEF_EDITOR}
        for c in (
            Command.RETURN,
            Command.PUBLISH,
            Command.SCHEDULE,
            Command.UNSCHEDULE,
            Command.WITHDRAW,
            Command.CORRECT,
            Command.REOPEN,
            Command.SCHEDULE_UPDATE,
            Command.CANCEL_UPDATE,
        )
    },
}


def _status(state: State) -> Status:
    if state is State.SCHEDULED:
        return Status(state, scheduled_at=LATER)
    if state is State.PUBLISHED:
        return Status(state, update_at=LATER)  # with a pending scheduled update, so it can be cancelled
    return Status(state)


def _run(state: State, command: Command, role: Role, *, active: bool = True) -> Transition:
    """Apply ``command`` with valid arguments (a reason, a future time) so only state and role decide."""
    needs_reason = command in (Command.RETURN, Command.WITHDRAW, Command.CORRECT)
    return apply(
        _status(state),
        command,
        role=role,
        now=NOW,
        owns=True,
        active=active,
        reason="标题与正文数据不一致" if needs_reason else None,
        scheduled_at=LATER + timedelta(hours=1)
        if command in (Command.SCHEDULE, Command.SCHEDULE_UPDATE)
        else None,
    )


PAIRS = [(s, c) for s in State for c in Command]


@pytest.mark.parametrize(("state", "command"), PAIRS, ids=[f"{s.value}-{c.value}" for s, c in PAIRS])
def test_every_state_command_pair(state: State, command: Command) -> None:
    sources, target, audit = EXPECTED[command]
    if state not in sources:
        with pytest.raises(InvalidTransition) as err:
            _run(state, command, Role.CHIEF_EDITOR)
        assert err.value.message == f"「{state.label}」状态的稿件不能{command.label}"
        return
    t = _run(state, command, Role.CHIEF_EDITOR)
    assert t.before == _status(state)
    assert t.after.state is target
    rescheduling = (command, state) in ((Command.SCHEDULE, SC), (Command.SCHEDULE_UPDATE, P))
    expected_audit = AuditKind.RESCHEDULE if rescheduling else audit
    assert t.audit is expected_audit
    assert t.approves is (command in (Command.PUBLISH, Command.SCHEDULE, Command.SCHEDULE_UPDATE))
    assert t.goes_live is (target is P and state is not P)
    assert t.late is False


ALLOWED = [(s, c, r) for c, (sources, _, _) in EXPECTED.items() for s in sources for r in Role]


@pytest.mark.parametrize(
    ("state", "command", "role"), ALLOWED, ids=[f"{s.value}-{c.value}-{r.value}" for s, c, r in ALLOWED]
)
def test_roles_on_every_allowed_transition(state: State, command: Command, role: Role) -> None:
    if role in MAY[command]:
        t = _run(state, command, role)
        assert t.after.state is EXPECTED[command][1]
    else:
        with pytest.raises(Forbidden):
            _run(state, command, role)
    with pytest.raises(Forbidden):
        _run(state, command, role, active=False)


def test_submitting_someone_elses_draft_needs_more_than_reporter() -> None:
    with pytest.raises(Forbidden) as err:
        apply(Status(), Command.SUBMIT, role=Role.REPORTER, now=NOW, owns=False)
    assert err.value.reason == "ownership"
    assert apply(Status(), Command.SUBMIT, role=Role.EDITOR, now=NOW).after.state is SU


@pytest.mark.parametrize(
    ("command", "state", "message"),
    [
        (Command.RETURN, SU, "请填写退回原因"),
        (Command.WITHDRAW, P, "请填写撤稿原因"),
        (Command.CORRECT, P, "请填写更正说明"),
    ],
)
@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_reason_required(command: Command, state: State, message: str, reason: str | None) -> None:
    with pytest.raises(ReasonRequired) as err:
        apply(Status(state), command, role=Role.EDITOR, now=NOW, reason=reason)
    assert err.value.message == message


def test_reason_is_trimmed_kept_and_limited() -> None:
    t = apply(Status(SU), Command.RETURN, role=Role.EDITOR, now=NOW, reason="  请补充消息来源 ")
    assert t.note == "请补充消息来源" and t.after.reason == "请补充消息来源"
    with pytest.raises(ReasonRequired):
        apply(Status(SU), Command.RETURN, role=Role.EDITOR, now=NOW, reason="长" * 501)
    # resubmitting clears the old reason; a correction note is not a state reason
    assert apply(t.after, Command.SUBMIT, role=Role.REPORTER, owns=True, now=NOW).after.reason is None
    c = apply(Status(P), Command.CORRECT, role=Role.EDITOR, now=NOW, reason="更正了发布会日期")
    assert c.note == "更正了发布会日期" and c.after == Status(P)


def test_schedule_time_must_be_in_the_future() -> None:
    for when in (NOW, NOW - timedelta(seconds=1), None):
        with pytest.raises(ScheduleError) as err:
            apply(Status(SU), Command.SCHEDULE, role=Role.EDITOR, now=NOW, scheduled_at=when)
        assert "定时发布时间" in err.value.message
    with pytest.raises(ScheduleError) as err:
        apply(Status(SU), Command.SCHEDULE, role=Role.EDITOR, now=NOW, scheduled_at=NOW - timedelta(hours=1))
    assert "2026-12-02 13:00:00（北京时间）已过" in err.value.message
    with pytest.raises(ScheduleError) as err:
        apply(Status(SU), Command.SCHEDULE, role=Role.EDITOR, now=NOW, scheduled_at=NOW + timedelta(days=400))
    assert "一年" in err.value.message


def test_schedule_accepts_aware_times_and_stores_naive_utc() -> None:
    aware = datetime(2026, 12, 2, 18, 30, tzinfo=UTC).astimezone()
    t = apply(Status(D), Command.SCHEDULE, role=Role.EDITOR, now=NOW, scheduled_at=aware, embargo=True)
    assert t.after == Status(SC, scheduled_at=datetime(2026, 12, 2, 18, 30), embargo=True)
    assert t.after.scheduled_at is not None and t.after.scheduled_at.tzinfo is None


def test_embargo_blocks_early_manual_publication_but_not_unschedule() -> None:
    embargoed = Status(SC, scheduled_at=LATER, embargo=True)
    with pytest.raises(EmbargoActive) as err:
        apply(embargoed, Command.PUBLISH, role=Role.CHIEF_EDITOR, now=NOW)
    assert "禁发期" in err.value.message and "17:00:00" in err.value.message
    assert apply(embargoed, Command.PUBLISH, role=Role.EDITOR, now=LATER).after.state is P
    assert apply(embargoed, Command.UNSCHEDULE, role=Role.EDITOR, now=NOW).after == Status(SU)
    # without an embargo an editor may publish ahead of the planned time
    assert apply(Status(SC, scheduled_at=LATER), Command.PUBLISH, role=Role.EDITOR, now=NOW).after.state is P


def test_fire_due() -> None:
    status = Status(SC, scheduled_at=LATER, embargo=True)
    assert fire_due(status, LATER - timedelta(seconds=1)) is None
    on_time = fire_due(status, LATER)
    assert on_time is not None
    assert on_time.after == Status(P) and on_time.audit is AuditKind.PUBLISH_SCHEDULED
    assert on_time.late is False and on_time.command is None and on_time.action is None
    fire_at_edge = fire_due(status, LATER + LATE_GRACE)
    assert fire_at_edge is not None and fire_at_edge.late is False
    late = fire_due(status, LATER + timedelta(hours=5))  # the server was down
    assert late is not None and late.late is True
    for state in (D, SU, P, R, W):
        assert fire_due(Status(state, scheduled_at=NOW), LATER) is None


def test_available_commands() -> None:
    assert available_commands(Status(D), role=Role.REPORTER, owns=True) == (Command.SUBMIT,)
    assert available_commands(Status(D), role=Role.REPORTER) == ()
    assert available_commands(Status(SU), role=Role.EDITOR) == (
        Command.RETURN,
        Command.PUBLISH,
        Command.SCHEDULE,
    )
    assert available_commands(Status(P), role=Role.ADMIN) == ()
    assert available_commands(Status(P), role=Role.EDITOR, active=False) == ()


# --- saving ------------------------------------------------------------------------------------------

OLD = {
    "title": "城市地铁新线开通",
    "body": "<p>今天上午新线开通。</p>",
    "tags": ["交通", "地铁"],
    "summary": None,
    "version": 3,
}


def test_content_changed_ignores_whitespace_empty_values_and_bookkeeping() -> None:
    same = {
        "title": " 城市地铁新线开通 ",
        "body": "<p>今天上午新线开通。</p>\r\n",
        "tags": ("交通", "地铁"),
        "summary": "",
        "version": 4,
        "csrf_token": "x",
    }
    assert not content_changed(OLD, same)
    assert changed_fields(OLD, same) == ()
    edited = {**OLD, "title": "城市地铁新线今日开通", "tags": ["交通"], "byline": "本报记者"}
    assert changed_fields(OLD, edited) == ("byline", "tags", "title")
    assert content_changed(OLD, edited)


@pytest.mark.parametrize("state", [D, SU, R, SC, P])
def test_save_without_change_keeps_review_state(state: State) -> None:
    status = _status(state)
    out = on_save(status, OLD, dict(OLD), role=Role.CHIEF_EDITOR, owns=False)
    assert out.changed is False and out.after == status and out.audit is None and out.fields == ()


@pytest.mark.parametrize("state", [D, SU, R])
def test_save_with_change_in_unapproved_states_keeps_state(state: State) -> None:
    status = Status(state, reason="请补充来源" if state is R else None)
    out = on_save(status, OLD, {**OLD, "title": "新标题"}, role=Role.REPORTER, owns=True)
    assert out.changed and out.fields == ("title",) and out.after == status and out.audit is AuditKind.SAVE


def test_scheduled_article_edited_by_author_goes_back_to_review() -> None:
    status = Status(SC, scheduled_at=LATER)
    out = on_save(status, OLD, {**OLD, "body": "<p>改了</p>"}, role=Role.REPORTER, owns=True)
    assert out.review_reset and out.after == Status(SU)
    kept = on_save(status, OLD, {**OLD, "body": "<p>改了</p>"}, role=Role.EDITOR, owns=False)
    assert not kept.review_reset and kept.after == status


def test_saving_live_article_needs_publish_right() -> None:
    out = on_save(Status(P), OLD, {**OLD, "title": "新"}, role=Role.EDITOR, owns=False)
    assert out.audit is AuditKind.UPDATE_LIVE and out.after == Status(P)
    with pytest.raises(Forbidden):
        on_save(Status(P), OLD, {**OLD, "title": "新"}, role=Role.REPORTER, owns=True)


def test_save_permissions_and_withdrawn() -> None:
    with pytest.raises(Forbidden):
        on_save(Status(D), OLD, OLD, role=Role.REPORTER, owns=False)
    with pytest.raises(Forbidden):
        on_save(Status(D), OLD, OLD, role=Role.ADMIN, owns=True)
    with pytest.raises(Forbidden):
        on_save(Status(D), OLD, OLD, role=Role.SELF_MEDIA, owns=True, active=False)
    with pytest.raises(SaveRefused) as err:
        on_save(Status(W), OLD, {**OLD, "title": "新"}, role=Role.EDITOR, owns=False)
    assert err.value.message == "已撤稿的稿件需先恢复为草稿才能修改"


def test_labels() -> None:
    assert [s.label for s in State] == ["草稿", "待审", "已发布", "退回", "定时发布", "已撤稿"]
    assert all(c.label for c in Command)


def test_scheduled_update_of_a_live_article() -> None:
    live = Status(P)
    t = apply(live, Command.SCHEDULE_UPDATE, role=Role.EDITOR, now=NOW, scheduled_at=LATER)
    assert t.after == Status(P, update_at=LATER) and t.audit is AuditKind.SCHEDULE_UPDATE and t.approves
    assert not t.goes_live
    with pytest.raises(ScheduleError):
        apply(live, Command.SCHEDULE_UPDATE, role=Role.EDITOR, now=NOW, scheduled_at=NOW)
    with pytest.raises(ScheduleError) as err:
        apply(live, Command.CANCEL_UPDATE, role=Role.EDITOR, now=NOW)
    assert err.value.message == "这篇稿件没有待生效的定时更新"
    pending = t.after
    # a correction keeps the pending update; withdrawal discards it
    fix = apply(pending, Command.CORRECT, role=Role.EDITOR, now=NOW, reason="更正人名")
    assert fix.after == pending
    gone = apply(pending, Command.WITHDRAW, role=Role.EDITOR, now=NOW, reason="内容有误")
    assert gone.after == Status(W, reason="内容有误")
    # the scheduler applies it in place: no second publication
    assert fire_due(pending, LATER - timedelta(seconds=1)) is None
    fired = fire_due(pending, LATER)
    assert fired is not None and fired.after == Status(P) and fired.audit is AuditKind.UPDATE_SCHEDULED
    assert not fired.goes_live and not fired.late
    late = fire_due(pending, LATER + timedelta(hours=1))
    assert late is not None and late.late


def test_scheduled_publication_goes_live_exactly_once() -> None:
    scheduled = apply(Status(SU), Command.SCHEDULE, role=Role.EDITOR, now=NOW, scheduled_at=LATER).after
    fired = fire_due(scheduled, LATER)
    assert fired is not None and fired.goes_live
    assert fire_due(fired.after, LATER + timedelta(minutes=1)) is None  # published: nothing more to fire
