from django.core.exceptions import TooManyFieldsSent
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def healthz(request):
    """For the load balancer and monitoring: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        db_ok = True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db_ok = False
    return JsonResponse(
        {"status": "ok" if db_ok else "error", "database": db_ok},
        status=200 if db_ok else 503,
    )


def bad_request(request, exception):
    """400 in the reader's language, saying what was wrong; nothing was saved."""
    if isinstance(exception, TooManyFieldsSent):
        reason = _(
            "The form was too large to read (an order or quote has at most 200 "
            "lines). Go back and split it into several orders."
        )
    else:
        reason = str(exception) if exception and str(exception) else ""
    return render(request, "400.html", {"reason": reason}, status=400)
