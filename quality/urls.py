from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("orders/<str:number>/inspect/", views.inspect, name="inspect"),
    path("orders/<str:number>/pass/", views.order_pass, name="order_pass"),
    path("orders/<str:number>/report/", views.order_report, name="order_report"),
    path("slips/<str:number>/inspect/", views.inspect_slip, name="inspect_slip"),
    path("inspections/<str:number>/", views.inspection, name="inspection"),
    path(
        "inspections/<str:number>/correct/",
        views.inspection_correct,
        name="inspection_correct",
    ),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("consents/<int:pk>/", views.consent_document, name="consent_document"),
    path(
        "nonconformances/<str:number>/",
        views.nonconformance,
        name="nonconformance",
    ),
    path(
        "nonconformances/<str:number>/submit/",
        views.nonconformance_submit,
        name="nonconformance_submit",
    ),
    path(
        "nonconformances/<str:number>/sign/",
        views.nonconformance_sign,
        name="nonconformance_sign",
    ),
    path(
        "nonconformances/<str:number>/rework/",
        views.nonconformance_rework,
        name="nonconformance_rework",
    ),
    path(
        "nonconformances/<str:number>/consent/",
        views.nonconformance_consent,
        name="nonconformance_consent",
    ),
    path(
        "nonconformances/<str:number>/print/",
        views.nonconformance_print,
        name="nonconformance_print",
    ),
]
