from django.urls import path

from . import views

app_name = "invoices"
urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("indienen/", views.invoice_submit, name="submit"),
    path("overzicht/", views.overview, name="overview"),
    path("bemiddelingsfee/", views.placement_fee_submit, name="placement_fee"),
    path("reiskosten/", views.travel_claims, name="travel"),
    path("<int:pk>/", views.invoice_detail, name="detail"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="pdf"),
    path("<int:pk>/goedkeuren/", views.invoice_approve, name="approve"),
    path("<int:pk>/afwijzen/", views.invoice_reject, name="reject"),
    path("<int:pk>/opnieuw-controleren/", views.invoice_recheck, name="recheck"),
    path("<int:pk>/inhoud-bevestigen/", views.invoice_confirm_substance, name="confirm"),
    path("<int:pk>/crediteren/", views.invoice_credit, name="credit"),
    path("betaalbatches/", views.batch_list, name="batches"),
    path("betaalbatches/<int:pk>/", views.batch_detail, name="batch"),
    path("betaalbatches/<int:pk>/exporteren/", views.batch_export, name="batch_export"),
    path("betaalbatches/<int:pk>/sepa/", views.batch_export_sepa, name="batch_export_sepa"),
    path("betaalbatches/<int:pk>/betaald/", views.batch_paid, name="batch_paid"),
    path(
        "betaalbatches/<int:pk>/download/<str:fmt>/",
        views.batch_download,
        name="batch_download",
    ),
]
