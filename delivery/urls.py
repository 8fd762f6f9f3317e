from django.urls import path

from . import views

app_name = "delivery"

urlpatterns = [
    path("", views.warehouse, name="warehouse"),
    path("shipments/", views.shipment_list, name="shipments"),
    path("orders/<str:number>/receive/", views.receive, name="receive"),
    path("orders/<str:number>/ship/", views.ship, name="ship"),
    path("orders/<str:number>/shortfall/", views.shortfall_close, name="shortfall"),
    path("orders/<str:number>/date/", views.date_agree, name="date_agree"),
    path("shipments/<str:number>/", views.shipment_detail, name="shipment"),
    path("shipments/<str:number>/print/", views.shipment_print, name="shipment_print"),
    path(
        "shipments/<str:number>/certificate/",
        views.certificate_print,
        name="certificate",
    ),
    path("shipments/<str:number>/receipt/", views.receipt, name="receipt"),
    path("receipts/<int:pk>/scan/", views.receipt_scan, name="receipt_scan"),
    path("agreements/<int:pk>/file/", views.agreement_file, name="agreement_file"),
]
