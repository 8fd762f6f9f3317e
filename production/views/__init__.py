"""Thin views, one module per subject: parse input, check who may, call one service,
render or redirect.

Who sees what: a page asked for by someone whose roles never allow the action is
403; an object they do not see (another workshop's slip, a plan for a lead) is 404;
one they see but may not act on is 403 — and nothing changes."""
