"""What one request reads several times, read once: the working-day calendar (the
tracker, the due items and the workbench each want it) and the like.

`memo(key, make)` keeps `make()`'s answer for the rest of the request
(RequestMemoMiddleware opens and closes the store); outside a request (a command, a
Celery task, a test calling a service) it simply calls `make()`. Nothing outlives
the request, so there is nothing to invalidate across workers; a write that changes
a remembered value inside the request calls `forget(key)`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_store: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def memo(key: str, make: Callable[[], T]) -> T:
    store = _store.get()
    if store is None:
        return make()
    if key not in store:
        store[key] = make()
    return store[key]


def forget(key: str) -> None:
    store = _store.get()
    if store is not None:
        store.pop(key, None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
