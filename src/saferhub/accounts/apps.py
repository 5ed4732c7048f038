from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferhub.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and audit"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from saferhub.accounts import (  # noqa: F401
            checks,  # system checks of the sign-in settings
            jobs,  # job kinds
            signals,  # auth events to the audit log
        )
        from saferhub.accounts.services import roles_sync

        post_migrate.connect(
            lambda **kwargs: roles_sync(), dispatch_uid="saferhub-roles-sync", weak=False
        )
