from django.urls import path

from . import views

app_name = "production"

urlpatterns = [
    path(
        "orders/<str:number>/complete/",
        views.report_complete,
        name="report_complete",
    ),
]
