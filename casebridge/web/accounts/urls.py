from django.urls import path

from casebridge.web.accounts.views import mfa, password, signin

app_name = "accounts"

urlpatterns = [
    path("sign-in/", signin.SignInView.as_view(), name="sign_in"),
    path("sign-out/", signin.sign_out, name="sign_out"),
    path("sign-out-everywhere/", signin.sign_out_everywhere, name="sign_out_everywhere"),
    path("", signin.account, name="account"),
    path("two-factor/set-up/", mfa.mfa_set_up, name="mfa_set_up"),
    path("two-factor/verify/", mfa.mfa_verify, name="mfa_verify"),
    path("two-factor/reset/", mfa.mfa_reset, name="mfa_reset"),
    path("password/", password.password_change, name="password_change"),
    path("password-reset/", password.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", password.PasswordResetSentView.as_view(), name="password_reset_sent"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("set-password/<str:uidb64>/<str:token>/", password.PasswordSetView.as_view(), name="password_set"),
]
