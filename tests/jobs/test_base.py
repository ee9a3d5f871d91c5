"""The engine-neutral part of newsportal.jobs: cron lines for an interval, the engine chosen by settings."""

from __future__ import annotations

import croniter
import pytest

from newsportal.config import Settings
from newsportal.jobs import Work, cron_every, open_jobs
from newsportal.jobs.backends.embedded import EmbeddedJobs

T = 1_800_000_000.0  # a whole minute


@pytest.mark.parametrize("seconds, gaps", [(1, [1, 1, 1]), (5, [5, 5, 5]), (0.2, [1, 1, 1]),
                                           (30, [30, 30, 30]), (120, [120, 120, 120]),
                                           (7200, [7200, 7200, 7200]), (86400 * 3, [86400, 86400, 86400])])
def test_cron_every_fires_at_the_interval(seconds, gaps):
    it = croniter.croniter(cron_every(seconds), T - 1)
    times = [it.get_next(float) for _ in range(4)]
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == gaps


def test_the_engine_follows_the_setting():
    assert isinstance(open_jobs(Settings(), Work(ingest=None, scheduler=None)), EmbeddedJobs)
    assert Work(ingest=None, scheduler=None).empty
