from django.urls import path

from . import user_views

app_name = "users"
urlpatterns = [
    path("", user_views.user_list, name="list"),
    path("nieuw/", user_views.user_create, name="create"),
    path("<int:pk>/", user_views.user_detail, name="detail"),
    path("<int:pk>/deactiveren/", user_views.user_deactivate, name="deactivate"),
    path("<int:pk>/activeren/", user_views.user_reactivate, name="reactivate"),
]
