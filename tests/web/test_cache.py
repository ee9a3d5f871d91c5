"""PageCache: one build per key under concurrency, stale while one rebuild runs, purges; time is injected."""

import asyncio
import threading

import anyio.to_thread
import pytest

from newsportal.web.cache import PageCache


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class GatedBuild:
    """A blocking build (like a page render) that waits until the test opens the gate, counting its calls."""

    def __init__(self, value: str = "page") -> None:
        self.value = value
        self.calls = 0
        self.gate = threading.Event()
        self.started = threading.Event()

    def __call__(self) -> str:
        self.calls += 1
        self.started.set()
        assert self.gate.wait(10), "the test never opened the gate"
        return f"{self.value}#{self.calls}"


async def in_thread(build):
    return await anyio.to_thread.run_sync(build)


def make_cache(clock, **kw) -> PageCache[str, str]:
    return PageCache(10.0, 100, max_stale=60.0, clock=clock, runner=in_thread, **kw)


def run(coro):
    return asyncio.run(coro)


def test_concurrent_misses_share_one_build():
    cache = make_cache(Clock())
    build = GatedBuild()

    async def main():
        waiting = [asyncio.create_task(cache.get("a", build)) for _ in range(25)]
        await asyncio.sleep(0)  # every request has asked and is waiting on the same flight
        assert cache.building("a") is not None
        await anyio.to_thread.run_sync(build.started.wait, 10)
        build.gate.set()
        return await asyncio.gather(*waiting)

    results = run(main())
    assert results == ["page#1"] * 25 and build.calls == 1 and cache.builds == 1
    assert "a" in cache and cache.building("a") is None


def test_different_keys_build_separately():
    cache = make_cache(Clock())
    build = GatedBuild()
    build.gate.set()

    async def main():
        return await asyncio.gather(cache.get("a", build), cache.get("b", build), cache.get("a", build))

    a1, b, a2 = run(main())
    assert a1 == a2 and a1 != b and build.calls == 2


def test_fresh_entries_are_served_without_building():
    clock = Clock()
    cache = make_cache(clock)
    build = GatedBuild()
    build.gate.set()

    async def main():
        first = await cache.get("a", build)
        clock.now += 9.9
        return first, await cache.get("a", build)

    assert run(main()) == ("page#1", "page#1") and build.calls == 1
    assert cache.hits == 1 and cache.misses == 1


def test_stale_entry_is_served_while_one_rebuild_runs():
    clock = Clock()
    cache = make_cache(clock)
    build = GatedBuild()

    async def main():
        build.gate.set()
        assert await cache.get("a", build) == "page#1"
        build.gate.clear()
        clock.now += 11  # past the ttl, within max_stale
        hit = cache.lookup("a")
        assert hit is not None and not hit.fresh
        # expired: readers get the old page at once, and only one rebuild starts however many ask
        served = [await cache.get("a", build) for _ in range(5)]
        rebuild = cache.building("a")
        assert served == ["page#1"] * 5 and rebuild is not None
        build.gate.set()
        await rebuild
        return await cache.get("a", build)

    assert run(main()) == "page#2" and build.calls == 2


def test_entries_past_max_stale_are_misses():
    clock = Clock()
    cache = make_cache(clock)
    build = GatedBuild()
    build.gate.set()

    async def main():
        await cache.get("a", build)
        clock.now += 10 + 60 + 1
        assert cache.lookup("a") is None
        return await cache.get("a", build)  # waits for the new build instead of serving a very old page

    assert run(main()) == "page#2"


def test_purge_key_and_purge_all():
    cache = make_cache(Clock())
    for key in ("a", "b", "c"):
        cache.put(key, key.upper())
    cache.purge("b")
    assert "b" not in cache and "a" in cache and len(cache) == 2
    cache.purge("nothing")  # purging an unknown key is fine
    cache.purge_all()
    assert len(cache) == 0 and cache.lookup("a") is None


def test_a_build_running_during_a_purge_is_not_stored():
    """A publish during a render: the render may have read the old article, so it must not be kept."""
    for purge in (lambda c: c.purge("a"), lambda c: c.purge_all()):
        cache = make_cache(Clock())
        build = GatedBuild()

        async def main(cache=cache, build=build, purge=purge):
            task = asyncio.create_task(cache.get("a", build))
            await anyio.to_thread.run_sync(build.started.wait, 10)
            # the purge arrives from another thread, as it does when the API publishes in the threadpool
            purger = threading.Thread(target=purge, args=(cache,))
            purger.start()
            purger.join()
            build.gate.set()
            first = await task
            again = await cache.get("a", build)  # a new build: the purged one was not stored
            return first, again

        assert run(main()) == ("page#1", "page#2")


def test_keep_decides_what_is_stored():
    cache = make_cache(Clock(), keep=lambda v: not v.startswith("404"))
    calls = []

    def not_found():
        calls.append(1)
        return "404 page"

    async def main():
        return [await cache.get("missing", not_found) for _ in range(3)]

    assert run(main()) == ["404 page"] * 3 and len(calls) == 3 and "missing" not in cache


def test_a_failed_build_reaches_its_waiters_and_is_retried():
    cache = make_cache(Clock())
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database went away")
        return "page"

    async def main():
        with pytest.raises(RuntimeError):
            await cache.get("a", flaky)
        assert cache.building("a") is None
        return await cache.get("a", flaky)

    assert run(main()) == "page" and len(attempts) == 2


def test_size_is_bounded_oldest_first():
    cache: PageCache[int, int] = PageCache(10.0, 3, clock=Clock(), runner=in_thread)
    for i in range(5):
        cache.put(i, i)
    assert len(cache) == 3 and 0 not in cache and 1 not in cache and 4 in cache


@pytest.mark.parametrize("kw", [{"ttl": 0}, {"ttl": 1, "max_entries": 0}, {"ttl": 1, "max_stale": -1}])
def test_bad_settings_are_refused(kw):
    with pytest.raises(ValueError):
        PageCache(**kw)
