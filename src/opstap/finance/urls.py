from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("verdeelsleutel/", views.cost_split, name="cost_split"),
    path("businesscase/", views.business_case, name="business_case"),
    path("vangnet/", views.safety_net, name="safety_net"),
    path("prognose/", views.forecast, name="forecast"),
    path("uitstroompremie/", views.premiums, name="premiums"),
    path("scenario/<int:pk>/verwijderen/", views.scenario_delete, name="scenario_delete"),
]
