"""Health and monitoring endpoints at the root (/healthz, /livez, /readyz, /metrics), outside
the `web` namespace: monitoring and the login middleware know them by their plain names."""

from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
