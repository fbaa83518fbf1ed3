from django.urls import path

from . import attendance_views, order_views, views

app_name = "trajectories"
urlpatterns = [
    path("", views.trajectory_list, name="list"),
    path("producten/", views.overview_product_options, name="overview_product_options"),
    path("termijnen/", views.my_deadlines, name="deadlines"),
    path("aanwezigheid/", attendance_views.attendance, name="attendance"),
    path("aanwezigheid/afspraak/", attendance_views.appointment_add, name="appointment_add"),
    path(
        "aanwezigheid/trajecten/",
        attendance_views.attendance_trajectory_options,
        name="attendance_trajectory_options",
    ),
    path(
        "afspraken/<int:pk>/aanwezigheid/",
        attendance_views.attendance_record,
        name="attendance_record",
    ),
    path("bestellen/", order_views.trajectory_order, name="order"),
    path("bestellen/klanten/", order_views.order_client_options, name="order_client_options"),
    path("bestellen/producten/", order_views.order_product_options, name="order_product_options"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/handeling/", views.trajectory_action, name="action"),
    path("<int:pk>/rapportage/", views.trajectory_report, name="report"),
    path("<int:pk>/offerte/herzien/", views.trajectory_quote_revise, name="quote_revise"),
    path("<int:pk>/offerte/beoordelen/", views.trajectory_quote_decide, name="quote_decide"),
    path("<int:pk>/verzuim/", views.trajectory_absence, name="absence"),
    path("<int:pk>/resultaat/", views.trajectory_outcome, name="outcome"),
    path("<int:pk>/documenten/<int:document_pk>/", views.document_download, name="document"),
    path(
        "<int:pk>/documenten/<int:document_pk>/delen/",
        views.document_share,
        name="document_share",
    ),
]
