from django.urls import path

from saferhub.accounts import token_views, user_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("audit/", views.AuditLogView.as_view(), name="audit"),
    path("tokens/", token_views.ApiTokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("users/", user_views.UserListView.as_view(), name="users"),
    path("users/add/", user_views.UserAddView.as_view(), name="user_add"),
    path("users/<int:pk>/", user_views.UserDetailView.as_view(), name="user"),
    path("users/<int:pk>/role/", user_views.UserRoleView.as_view(), name="user_role"),
    path("users/<int:pk>/agency/", user_views.UserAgencyView.as_view(), name="user_agency"),
    path(
        "users/<int:pk>/deactivate/",
        user_views.UserDeactivateView.as_view(),
        name="user_deactivate",
    ),
    path(
        "users/<int:pk>/reactivate/",
        user_views.UserReactivateView.as_view(),
        name="user_reactivate",
    ),
    path("users/<int:pk>/unlock/", user_views.UserUnlockView.as_view(), name="user_unlock"),
    path(
        "users/<int:pk>/reset-two-factor/",
        user_views.UserTwoFactorResetView.as_view(),
        name="user_two_factor_reset",
    ),
    path(
        "users/<int:pk>/password-email/",
        user_views.UserPasswordEmailView.as_view(),
        name="user_password_email",
    ),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
]
