from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("inschrijven/", views.register, name="register"),
    path("zoeken-op-bsn/", views.bsn_search, name="bsn_search"),
    path("caseloadgrootte/", views.caseload_sizes, name="caseload_sizes"),
    path("importeren/", views.import_start, name="import"),
    path("importeren/<int:pk>/", views.import_detail, name="import_detail"),
    path("importeren/<int:pk>/bevestigen/", views.import_commit_view, name="import_commit"),
    path("importeren/<int:pk>/terugdraaien/", views.import_undo_view, name="import_undo"),
    path("budget/<int:pk>/besluit/", views.budget_decide, name="budget_decide"),
    path(
        "budget/wacht-op-goedkeuring/",
        views.budget_awaiting_approval,
        name="budget_awaiting_approval",
    ),
    path("<int:pk>/", views.dossier, name="dossier"),
    path("<int:pk>/trede/", views.ladder_change, name="ladder_change"),
    path("<int:pk>/overdracht/", views.handover, name="handover"),
    path("<int:pk>/budget/", views.budget_spending, name="budget_spending"),
    path("<int:pk>/inkomenscoach/", views.income_coach_assign_view, name="income_coach_assign"),
    path(
        "inkomenscoach/<int:pk>/beeindigen/",
        views.income_coach_end_view,
        name="income_coach_end",
    ),
]
