"""The cache of one machine: files that every worker reads, with counters safe between them."""

import multiprocessing
import time

import pytest

from caching.backends import FileCache

ROUNDS = 100
PROCESSES = 4


def file_cache(folder, timeout: int = 600) -> FileCache:
    return FileCache(str(folder), {"TIMEOUT": timeout, "KEY_PREFIX": "test"})


def _count_up(folder: str) -> None:
    cache = file_cache(folder)
    for _ in range(ROUNDS):
        cache.incr("counter")


def test_processes_counting_at_once_lose_no_count(tmp_path):
    file_cache(tmp_path).add("counter", 0, timeout=None)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count_up, args=(str(tmp_path),)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    assert file_cache(tmp_path).get("counter") == PROCESSES * ROUNDS


def _add_once(folder: str, results) -> None:
    results.put(file_cache(folder).add("generation", 1, timeout=None))


def test_of_processes_adding_the_same_key_at_once_exactly_one_adds_it(tmp_path):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_add_once, args=(str(tmp_path), results)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sorted(results.get(timeout=5) for _ in workers) == [False] * 7 + [True]


def test_counting_keeps_the_entrys_lifetime(tmp_path):
    cache = file_cache(tmp_path, timeout=1)
    cache.add("forever", 1, timeout=None)
    cache.add("briefly", 1, timeout=1)
    cache.incr("forever")
    cache.incr("briefly")

    time.sleep(1.2)

    assert cache.get("forever") == 2  # not given the default timeout of one second
    assert cache.get("briefly") is None


def test_counting_a_missing_key_is_an_error_as_in_redis(tmp_path):
    with pytest.raises(ValueError):
        file_cache(tmp_path).incr("nothing")


def test_clearing_the_cache_keeps_the_lock_file(tmp_path):
    cache = file_cache(tmp_path)
    cache.add("counter", 0)
    cache.set("page", "<p>sida</p>")

    cache.clear()

    assert [path.name for path in tmp_path.iterdir()] == ["counters.lock"]
