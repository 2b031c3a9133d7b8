from django.urls import path

from casebridge.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("", views.account, name="account"),
]

# Stand-in for the invitation link's set-password page until accounts provides its own.
from casebridge.organisations.invitations import urlpatterns as invitation_urlpatterns  # noqa: E402

urlpatterns += invitation_urlpatterns
