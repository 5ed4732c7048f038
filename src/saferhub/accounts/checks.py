"""System checks of the sign-in settings: the proxy count and the sign-in delays.

``saferhub check --deploy`` fails (an error) when production leaves the proxy count
unset, so that nobody runs behind a proxy with it at 0 by default: then every client
would share the proxy's address, and one person's wrong passwords would slow everyone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

MOST_PROXIES = 5


@register(Tags.security)
def check_sign_in_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    count = settings.SAFERHUB_PROXY_COUNT
    if not 0 <= count <= MOST_PROXIES:
        errors.append(
            Error(
                f"SAFERHUB_PROXY_COUNT is {count}: it must be the number of proxies in front "
                f"of SaferHub, from 0 to {MOST_PROXIES}.",
                id="saferhub.E014",
            )
        )
    first = settings.SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS
    most = settings.SAFERHUB_SIGNIN_MAX_DELAY_SECONDS
    if settings.SAFERHUB_LOGIN_FAILURE_LIMIT < 1 or first < 1 or most < first:
        errors.append(
            Error(
                "The sign-in delays are not usable: SAFERHUB_LOGIN_FAILURE_LIMIT and "
                "SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS must be at least 1, and "
                "SAFERHUB_SIGNIN_MAX_DELAY_SECONDS at least the first delay.",
                id="saferhub.E015",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_sign_in_deploy(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "MODE", "embedded") != "production":
        return []
    errors: list[Error] = []
    if not getattr(settings, "SAFERHUB_PROXY_COUNT_SET", False):
        errors.append(
            Error(
                "SAFERHUB_PROXY_COUNT is not set. Set it to the number of reverse proxies "
                "in front of SaferHub (1 for one nginx or load balancer; 0 only when "
                "clients connect straight to gunicorn). Left at 0 behind a proxy, every "
                "client would share the proxy's address: the audit log would name the "
                "proxy and one person's wrong passwords would slow everyone.",
                hint="See the operator guide, 'Behind a proxy'.",
                id="saferhub.E016",
            )
        )
    if not settings.SAFERHUB_SIGNIN_DELAYS_ENABLED:
        errors.append(
            Error(
                "SAFERHUB_LOCKOUT_ENABLED is off: production must slow repeated wrong passwords.",
                id="saferhub.E017",
            )
        )
    return errors
