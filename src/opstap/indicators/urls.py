from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("aanbieders/<int:pk>/", views.provider_detail, name="provider"),
    path(
        "aanbieders/<int:pk>/kwartaaloverzicht/",
        views.quarterly_overview_add,
        name="quarterly_overview_add",
    ),
]
