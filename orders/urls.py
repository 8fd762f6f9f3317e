from django.urls import path

from .views import contract, delegation, drawing, quote, review
from .views import order as views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("lines/preview/", views.lines_preview, name="lines_preview"),
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
    path("approvals/stand-ins/", delegation.delegations, name="delegations"),
    path(
        "staff/autocomplete/", delegation.staff_autocomplete, name="staff_autocomplete"
    ),
    # before "<str:number>/", which would take "contracts" for an order number
    path("contracts/", contract.contract_register, name="contracts"),
    path("<str:number>/", views.order_detail, name="detail"),
    # contract review sheet, GM approval, quotes
    path("<str:number>/review/", review.review_sheet, name="review"),
    path("<str:number>/review/open/", review.review_open, name="review_open"),
    path("<str:number>/review/sign/<int:pk>/", review.review_sign, name="review_sign"),
    path(
        "<str:number>/review/conclude/", review.review_conclude, name="review_conclude"
    ),
    path("<str:number>/review/print/", review.review_print, name="review_print"),
    path("<str:number>/approve/", review.order_approve, name="approve"),
    path("<str:number>/quotes/new/", quote.quote_create, name="quote_create"),
    path(
        "<str:number>/quotes/<int:version>/submit/",
        quote.quote_submit,
        name="quote_submit",
    ),
    path(
        "<str:number>/quotes/<int:version>/decide/",
        quote.quote_decide,
        name="quote_decide",
    ),
    path(
        "<str:number>/quotes/<int:version>/accept/",
        quote.quote_accept,
        name="quote_accept",
    ),
    path(
        "<str:number>/quotes/<int:version>/print/",
        quote.quote_print,
        name="quote_print",
    ),
    path("<str:number>/history/", views.history_earlier, name="history_earlier"),
    path("<str:number>/lines/", views.lines_more, name="lines_more"),
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
    # contract and drawings
    path("<str:number>/contract/", contract.contract_record, name="contract_record"),
    path("<str:number>/contract/file/", contract.contract_file, name="contract_file"),
    path(
        "<str:number>/drawings/upload/", drawing.drawing_upload, name="drawing_upload"
    ),
    path(
        "<str:number>/drawings/requirements/",
        drawing.requirements_write,
        name="requirements_write",
    ),
    path("<str:number>/drawings/issue/", drawing.drawings_issue, name="drawings_issue"),
    path(
        "<str:number>/drawings/recall/",
        drawing.drawings_recall,
        name="drawings_recall",
    ),
    path(
        "<str:number>/drawings/<int:version>/",
        drawing.drawing_file,
        name="drawing_file",
    ),
]
