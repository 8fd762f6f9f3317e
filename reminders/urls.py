from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("escalations/", views.escalations, name="escalations"),
    path("preferences/", views.preferences, name="preferences"),
]
