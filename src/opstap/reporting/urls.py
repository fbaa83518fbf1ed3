from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("srg/", views.srg_list, name="srg_list"),
    path("srg/<int:pk>/", views.srg_detail, name="srg_detail"),
    path("srg/<int:pk>/bestand", views.srg_download, name="srg_download"),
    path("srg/<int:pk>/validatierapport", views.srg_report, name="srg_report"),
    path("srg/<int:pk>/verzonden", views.srg_mark_sent, name="srg_mark_sent"),
    path("srg/<int:pk>/correctie", views.srg_correct, name="srg_correct"),
    path("srg/<int:pk>/opnieuw", views.srg_retry, name="srg_retry"),
]
