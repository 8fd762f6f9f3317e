"""Many people pressing the same button at the same moment: real threads, each with its
own database connection, released together by a barrier."""

import threading

from django.db import connection


def run_together(count, work):
    """Run work(i) in `count` threads that start at the same instant. Returns
    (results, errors), one slot per thread; a thread that raised has its exception
    in `errors` and None in `results`."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as exc:  # the test inspects every outcome
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return results, errors
