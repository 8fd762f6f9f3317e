from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import language_set

from . import views

admin.site.site_header = _("Order management · Administration")
admin.site.site_title = _("Order management")
admin.site.index_title = _("Users, roles, departments and settings")

handler400 = "config.views.bad_request"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    # the language switch keeps a signed-in user's pick on their profile
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("orders/", include("orders.urls")),
    path("inbox/", include("notifications.urls")),
    path("production/", include("production.urls")),
    path("quality/", include("quality.urls")),
    path("delivery/", include("delivery.urls")),
    path("reminders/", include("reminders.urls")),
    path("imports/", include("imports.urls")),
    path("", include("accounts.urls")),
]
