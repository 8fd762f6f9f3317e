"""A test's app, never shipped: it plugs into the walk the way production does —
through the registries alone — to show that a new app edits no file of another.
Its AppConfig does nothing when Django starts; tests/test_plug_in.py plugs it in
and out (plug.plug_in / plug.plug_out), so the rest of the suite never sees it."""
