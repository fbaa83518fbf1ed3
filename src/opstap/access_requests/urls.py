from django.urls import path

from . import views

app_name = "access_requests"
urlpatterns = [
    path("mijn/gegevens/", views.portal_list, name="portal_list"),
    path("mijn/gegevens/<int:pk>/", views.portal_detail, name="portal_detail"),
    path("mijn/gegevens/<int:pk>/opnieuw", views.portal_retry, name="portal_retry"),
    path("mijn/gegevens/<int:pk>/download", views.portal_download, name="portal_download"),
    path("inzageverzoeken/", views.work_list, name="list"),
    path("inzageverzoeken/klant/<int:client_pk>/", views.client_requests, name="client"),
    path("inzageverzoeken/termijnen/", views.deadline_overview, name="deadlines"),
    path("inzageverzoeken/zonder-dossier/", views.without_dossier, name="without_dossier"),
    path("inzageverzoeken/<int:pk>/geen-gegevens", views.answer_no_data, name="answer_no_data"),
    path("inzageverzoeken/<int:pk>/", views.detail, name="detail"),
    path("inzageverzoeken/<int:pk>/opnieuw", views.retry, name="retry"),
    path("inzageverzoeken/<int:pk>/download", views.download, name="download"),
]
