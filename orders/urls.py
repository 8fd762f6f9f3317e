from django.urls import path

from .views import order as views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path(
        "customers/autocomplete/",
        views.customer_autocomplete,
        name="customer_autocomplete",
    ),
    path(
        "products/autocomplete/",
        views.product_autocomplete,
        name="product_autocomplete",
    ),
    path(
        "salespeople/autocomplete/",
        views.salesperson_autocomplete,
        name="salesperson_autocomplete",
    ),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/edit/", views.order_edit, name="edit"),
    path("<str:number>/copy/", views.order_copy, name="copy"),
    path("<str:number>/move/<slug:move>/", views.order_move, name="move"),
    path("<str:number>/attach/", views.order_attach, name="attach"),
    path(
        "<str:number>/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("<str:number>/credit/", views.credit_approve, name="credit_approve"),
    path("<str:number>/changes/new/", views.change_create, name="change_create"),
    path(
        "<str:number>/changes/<int:pk>/decide/",
        views.change_decide,
        name="change_decide",
    ),
]
