"""A key already taken in a registry is refused, unless the second registration says
`override` (an app replacing another's entry on purpose): two apps choosing the same
queue, panel, move or menu key would otherwise replace each other silently, and the
one loaded last would win."""

import pytest

from accounts import navigation
from core import queues
from orders import registry


def _queue(key, position):
    return queues.Queue(
        key=key,
        title="t",
        applies=lambda user: False,
        rows=lambda user: None,
        item=lambda row, calendar: None,
        list_url=lambda user: "/",
        position=position,
        app="twice",
    )


def _panel(key, position):
    return registry.Panel(
        key, registry.ORDER_PAGE, "x.html", lambda o, u: None, position, "twice"
    )


def _nav(key, icon):
    return navigation.NavItem(key=key, label="t", url_name="home", icon=icon)


@pytest.mark.parametrize(
    ("register", "make", "forget"),
    [
        (queues.register, _queue, queues.forget_app),
        (registry.panel, _panel, registry.forget_app),
        (navigation.register, _nav, None),
    ],
    ids=["queue", "panel", "navigation"],
)
def test_a_second_entry_under_a_taken_key_is_refused_unless_it_overrides(
    register, make, forget
):
    key = "twice_test_key"
    first, second = make(key, 1), make(key, 2)
    try:
        register(first)
        register(first)  # the same entry again is harmless
        with pytest.raises(ValueError, match="registered twice"):
            register(second)
        assert register(second, override=True) is second
    finally:
        if forget is not None:
            forget("twice")
        else:
            navigation._ITEMS.pop(key, None)
