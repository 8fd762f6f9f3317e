from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("template/<slug:kind>/", views.template, name="template"),
    path("export/<slug:kind>/", views.export, name="export"),
    path("<int:pk>/", views.log_page, name="log"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
