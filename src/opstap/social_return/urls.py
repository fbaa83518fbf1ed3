from django.urls import path

from . import views

app_name = "social_return"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("jaar-afsluiten/", views.year_close, name="year_close"),
    path("aanbieders/<int:pk>/", views.provider_detail, name="provider"),
    path("aanbieders/<int:pk>/jaarevaluatie.pdf", views.provider_pdf, name="provider_pdf"),
    path("aanbieders/<int:pk>/plan/", views.plan_submit, name="plan_submit"),
    path("aanbieders/<int:pk>/bouwblokken/", views.block_add, name="block_add"),
    path("aanbieders/<int:pk>/plaatsing/", views.block_from_placement, name="block_from_placement"),
    path("plannen/<int:pk>/besluit/", views.plan_decide, name="plan_decide"),
    path("plannen/<int:pk>/document/", views.plan_document, name="plan_document"),
    path("bouwblokken/<int:pk>/bewijs/", views.block_evidence, name="block_evidence"),
    path(
        "bouwblokken/<int:pk>/bewijs/download/",
        views.block_evidence_download,
        name="block_evidence_download",
    ),
    path("bouwblokken/<int:pk>/verificatie/", views.block_verify, name="block_verify"),
]
