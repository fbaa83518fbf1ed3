from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.page, name="page"),
    path("proefrun", views.dry_run, name="dry_run"),
    path("termijn", views.term_save, name="term_save"),
    path("bewaarplicht", views.hold_place, name="hold_place"),
    path("bewaarplicht/<int:pk>/opheffen", views.hold_lift, name="hold_lift"),
]
