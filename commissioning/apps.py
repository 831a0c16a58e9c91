from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from commissioning import choice_lists, signin

        user_login_failed.connect(signin.count_failed_sign_in, dispatch_uid="commissioning-sign-in-throttle")
        choice_lists.connect()


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """Installed in place of ``django.contrib.admin`` so that ``admin.site`` is the
    superusers-only site of commissioning/admin_site.py."""

    default = False  # not the config of the commissioning app itself
    default_site = "commissioning.admin_site.SuperuserAdminSite"
