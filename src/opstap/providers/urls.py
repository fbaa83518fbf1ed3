from django.urls import path

from . import product_views, views

app_name = "providers"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("nieuw/", views.provider_new, name="new"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/bewijsstukken/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/beeindigen/", views.provider_end, name="end"),
    path("<int:pk>/bankrekening/", views.bank_account_propose, name="bank_account_propose"),
    path("bankrekeningen/<int:pk>/besluit/", views.bank_account_decide, name="bank_account_decide"),
    path("<int:pk>/signaal/", views.signal_create, name="signal_create"),
    path("<int:pk>/contracten/", views.contract_new, name="contract_new"),
    path("<int:pk>/producten/nieuw/", product_views.product_new, name="product_new"),
    path("producten/<int:pk>/prijs/", product_views.product_price, name="product_price"),
    path("producten/<int:pk>/btw/", product_views.product_vat, name="product_vat"),
    path("bewijsstukken/<int:pk>/document/", views.evidence_document, name="evidence_document"),
    path("contracten/<int:pk>/verlengen/", views.contract_extend, name="contract_extend"),
    path("evaluaties/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("producten/<int:pk>/", product_views.product_detail, name="product"),
    path("producten/<int:pk>/voorstel/", product_views.product_propose, name="propose"),
    path("voorstellen/", product_views.proposal_list, name="proposals"),
    path("voorstellen/<int:pk>/besluit/", product_views.proposal_decide, name="proposal_decide"),
    path("indexatie/", views.indexation, name="indexation"),
    path("indexatie/<int:pk>/", views.indexation_detail, name="indexation_detail"),
]
