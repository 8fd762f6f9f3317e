from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("read-all/", views.read_all, name="read_all"),
]
