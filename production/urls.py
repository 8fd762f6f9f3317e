from django.urls import path

from .views import board, materials, plan_changes, plans, routings, screens, slips

app_name = "production"

urlpatterns = [
    path("board/", board.plan_board, name="board"),
    path(
        "workshops/<slug:code>/screen/",
        board.workshop_screen,
        name="screen",
    ),
    path(
        "workshops/<slug:code>/screen/live/",
        board.workshop_screen_live,
        name="screen_live",
    ),
    # the wall TV's screen from its link, with no one signed in (public: see
    # settings.PUBLIC_URL_NAMES), and the page that makes and revokes the links
    path("wall/<str:token>/", screens.wall, name="wall"),
    path("wall/<str:token>/live/", screens.wall_live, name="wall_live"),
    path("screen-links/", screens.screen_links, name="screen_links"),
    path("screen-links/new/", screens.screen_link_create, name="screen_link_create"),
    path(
        "screen-links/<int:pk>/revoke/",
        screens.screen_link_revoke,
        name="screen_link_revoke",
    ),
    path("materials/", materials.materials_list, name="materials_list"),
    path("orders/<str:number>/materials/", materials.materials, name="materials"),
    path("orders/<str:number>/plans/new/", plans.plan_create, name="plan_create"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/<str:number>/", plans.plan_detail, name="plan"),
    path("plans/<str:number>/print/", plans.plan_print, name="plan_print"),
    path("plans/<str:number>/edit/", plans.plan_edit, name="plan_edit"),
    path(
        "plans/<str:number>/slips/from-routing/",
        routings.plan_slips_from_routing,
        name="plan_slips_from_routing",
    ),
    path("slips/<str:number>/edit/", plans.slip_edit, name="slip_edit"),
    path("slips/<str:number>/remove/", plans.slip_remove, name="slip_remove"),
    path("routings/", routings.routing_list, name="routings"),
    path("routings/<str:model_code>/", routings.routing_edit, name="routing"),
    path("plans/<str:number>/delete/", plans.plan_delete, name="plan_delete"),
    path("plans/<str:number>/slips/new/", plans.slip_create, name="slip_create"),
    path(
        "plans/<str:number>/slips/print/",
        slips.plan_slips_print,
        name="plan_slips_print",
    ),
    path("plans/<str:number>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<str:number>/issue/", plans.plan_issue, name="plan_issue"),
    path("plans/<str:number>/return/", plans.plan_return, name="plan_return"),
    path("plans/<str:number>/close/", plans.plan_close, name="plan_close"),
    path("plans/<str:number>/receive/", plans.plan_receive, name="plan_receive"),
    path(
        "plans/<str:number>/changes/new/",
        plan_changes.plan_change_create,
        name="plan_change_create",
    ),
    path("plan-changes/", plan_changes.plan_change_list, name="plan_changes"),
    path(
        "plan-changes/<str:number>/",
        plan_changes.plan_change_detail,
        name="plan_change",
    ),
    path(
        "plan-changes/<str:number>/approve/",
        plan_changes.plan_change_approve,
        name="plan_change_approve",
    ),
    path(
        "plan-changes/<str:number>/reject/",
        plan_changes.plan_change_reject,
        name="plan_change_reject",
    ),
    path(
        "plan-changes/<str:number>/print/",
        plan_changes.plan_change_print,
        name="plan_change_print",
    ),
    path("slips/", slips.slip_list, name="slips"),
    path("slips/<str:number>/", slips.slip_detail, name="slip"),
    path("slips/<str:number>/print/", slips.slip_print, name="slip_print"),
    path("slips/<str:number>/start/", slips.slip_start, name="slip_start"),
    path("slips/<str:number>/report/", slips.slip_report, name="slip_report"),
    path(
        "slips/<str:number>/reverse/",
        slips.slip_report_reverse,
        name="slip_report_reverse",
    ),
    path("slips/<str:number>/drawing/", slips.slip_drawing, name="slip_drawing"),
    path("photos/<int:pk>/", slips.report_photo, name="report_photo"),
    path(
        "photos/<int:pk>/thumbnail/",
        slips.report_photo_thumbnail,
        name="report_photo_thumbnail",
    ),
    path("slips/<str:number>/close/", slips.slip_close, name="slip_close"),
    path("slips/<str:number>/make-up/", slips.slip_make_up, name="slip_make_up"),
    path(
        "slips/<str:number>/shortfall/close/",
        slips.slip_shortfall_close,
        name="slip_shortfall_close",
    ),
    path(
        "slips/<str:number>/early-start/",
        slips.slip_allow_early_start,
        name="slip_early_start",
    ),
    path("anomalies/<int:pk>/handle/", slips.anomaly_handle, name="anomaly_handle"),
]
