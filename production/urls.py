from django.urls import path

from . import board_views, views

app_name = "production"

urlpatterns = [
    path("board/", board_views.plan_board, name="board"),
    path(
        "workshops/<slug:code>/screen/",
        board_views.workshop_screen,
        name="screen",
    ),
    path(
        "workshops/<slug:code>/screen/live/",
        board_views.workshop_screen_live,
        name="screen_live",
    ),
    path("materials/", views.materials_list, name="materials_list"),
    path("orders/<str:number>/materials/", views.materials, name="materials"),
    path("orders/<str:number>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<str:number>/", views.plan_detail, name="plan"),
    path("plans/<str:number>/print/", views.plan_print, name="plan_print"),
    path("plans/<str:number>/slips/new/", views.slip_create, name="slip_create"),
    path("plans/<str:number>/issue/", views.plan_issue, name="plan_issue"),
    path("plans/<str:number>/close/", views.plan_close, name="plan_close"),
    path("plans/<str:number>/receive/", views.plan_receive, name="plan_receive"),
    path(
        "plans/<str:number>/changes/new/",
        views.plan_change_create,
        name="plan_change_create",
    ),
    path("plan-changes/", views.plan_change_list, name="plan_changes"),
    path("plan-changes/<str:number>/", views.plan_change_detail, name="plan_change"),
    path(
        "plan-changes/<str:number>/approve/",
        views.plan_change_approve,
        name="plan_change_approve",
    ),
    path(
        "plan-changes/<str:number>/reject/",
        views.plan_change_reject,
        name="plan_change_reject",
    ),
    path(
        "plan-changes/<str:number>/print/",
        views.plan_change_print,
        name="plan_change_print",
    ),
    path("slips/", views.slip_list, name="slips"),
    path("slips/<str:number>/", views.slip_detail, name="slip"),
    path("slips/<str:number>/print/", views.slip_print, name="slip_print"),
    path("slips/<str:number>/start/", views.slip_start, name="slip_start"),
    path("slips/<str:number>/report/", views.slip_report, name="slip_report"),
    path("slips/<str:number>/close/", views.slip_close, name="slip_close"),
    path(
        "slips/<str:number>/early-start/",
        views.slip_allow_early_start,
        name="slip_early_start",
    ),
    path("anomalies/<int:pk>/handle/", views.anomaly_handle, name="anomaly_handle"),
]
