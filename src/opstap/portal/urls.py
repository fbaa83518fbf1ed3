from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("werkprofiel/bevestigen/", views.work_profile_confirm, name="work_profile_confirm"),
    path("reiskosten/", views.travel, name="travel"),
    path("documenten/", views.upload, name="upload"),
    path("documenten/<int:pk>/", views.upload_download, name="upload_download"),
    path("gedeeld/<int:pk>/", views.shared_document, name="shared_document"),
    path("tevredenheid/", views.survey, name="survey_wave"),
    path("tevredenheid/<int:pk>/", views.survey, name="survey"),
    path("klantdocument/<int:pk>/", views.upload_staff, name="upload_staff"),
]
