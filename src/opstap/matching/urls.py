from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("vacatures/", views.vacancy_list, name="vacancy_list"),
    path("vacatures/nieuw/", views.vacancy_create, name="vacancy_create"),
    path("vacatures/importeren/", views.vacancy_import, name="vacancy_import"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacatures/<int:pk>/status/", views.vacancy_transition, name="vacancy_transition"),
    path("vacatures/<int:pk>/voordragen/", views.proposal_create, name="proposal_create"),
    path("voordrachten/<int:pk>/<slug:step>/", views.proposal_step, name="proposal_step"),
    path("werkgevers/", views.employer_list, name="employer_list"),
    path("werkgevers/nieuw/", views.employer_create, name="employer_create"),
    path("werkgevers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("klanten/<int:pk>/", views.client_matches, name="client_matches"),
    path("klanten/<int:pk>/werkprofiel/", views.work_profile_edit, name="work_profile_edit"),
    path("gewichten/", views.weights, name="weights"),
]
