from django.urls import path

from . import views

app_name = "kpis"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpi/<slug:code>/", views.detail, name="detail"),
    path("kpi/<slug:code>/klanten/", views.drilldown, name="drilldown"),
    path("export/excel/", views.export_xlsx, name="export_xlsx"),
    path("export/pdf/", views.export_pdf, name="export_pdf"),
    path("rapportage/", views.export_start, name="export_start"),
    path("rapportage/<int:pk>/", views.export_detail, name="export_detail"),
    path("rapportage/<int:pk>/download/", views.export_download, name="export_download"),
    path("doelen/", views.targets, name="targets"),
]
