"""What a browser would post from a page: the fields of the form holding a given
button, read from the HTML the server answered (its inputs with their values, the
checked radios and boxes, the pressed button's name and value)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"attrs": attrs, "fields": [], "buttons": []}
            self.forms.append(self._current)
            return
        if self._current is None:
            return
        if tag == "input":
            self._current["fields"].append(attrs)
        elif tag == "button":
            self._current["buttons"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def form_posting(html: str, button_test: str) -> tuple[str, dict]:
    """(action, data) of the form whose button carries data-test=`button_test`,
    as a browser posts it when that button is pressed."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        pressed = [b for b in form["buttons"] if b.get("data-test") == button_test]
        if not pressed:
            continue
        data: dict[str, str] = {}
        for field in form["fields"]:
            name, kind = field.get("name"), (field.get("type") or "text").lower()
            if not name or kind in ("file", "submit"):
                continue
            if kind in ("radio", "checkbox") and "checked" not in field:
                continue
            data[name] = field.get("value") or ("on" if kind == "checkbox" else "")
        if pressed[0].get("name"):
            data[pressed[0]["name"]] = pressed[0].get("value", "")
        return form["attrs"].get("action", ""), data
    raise AssertionError(f"no form with the button {button_test!r} on the page")
