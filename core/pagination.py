"""Pagination that stays fast at a million rows.

Django's Paginator counts every row (`COUNT(*)` over all the user may see) and reads
a page with `OFFSET`, fetching and throwing away every full row before it. Here:

- the count stops at `LIST_COUNT_BOUND` rows (`SELECT COUNT(*) FROM (… LIMIT n+1)`):
  past it the page says "more than n" and the user narrows the filters — nobody
  pages through ten thousand orders;
- a page is read in two steps: the ids of the page (an index-only walk of the
  list's ordering, `OFFSET` over index entries only), then those rows with their
  joins — the "deferred join" that keeps a deep page as fast as the first.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, bound: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = settings.LIST_COUNT_BOUND if bound is None else bound

    @cached_property
    def count(self) -> int:
        """The number of rows, or bound + 1 when there are more than `bound`."""
        return self.object_list.order_by().values("pk")[: self.bound + 1].count()

    @property
    def count_is_bounded(self) -> bool:
        return self.count > self.bound

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
