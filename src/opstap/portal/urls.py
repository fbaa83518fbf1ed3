from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("reiskosten/", views.travel, name="travel"),
]
