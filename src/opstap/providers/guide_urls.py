"""The instrument guide has its own top-level path (/instrumentengids/) so that it is a menu
item of its own, separate from the provider pages (R-NET-5)."""

from django.urls import path

from . import views

app_name = "guide"
urlpatterns = [
    path("", views.guide, name="search"),
    path("openbaar/<slug:slug>/", views.guide_public, name="public"),
]
