from django.urls import path

from . import sso, views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweede-factor/instellen/", views.two_factor_setup, name="2fa_setup"),
    path("tweede-factor/", views.two_factor_verify, name="2fa_verify"),
    path("handelen-als/", views.impersonate_start_view, name="impersonate"),
    path("handelen-als/stoppen/", views.impersonate_stop_view, name="impersonate_stop"),
    path("ondersteuning/", views.support_consent_view, name="support_consent"),
    path("sso/", sso.oidc_init, name="oidc_init"),
    path("sso/callback/", sso.oidc_callback, name="oidc_callback"),
    path("digid/", sso.digid_init, name="digid_init"),
    path("digid/callback/", sso.digid_callback, name="digid_callback"),
    path("mock-oidc/", sso.mock_staff_login, name="mock_oidc"),
    path("mock-oidc/digid/", sso.mock_digid_login, name="mock_digid"),
]
