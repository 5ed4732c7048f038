"""Locust users for the read-path load test (run by ``load_pages.py``; not a test).

Each simulated user signs in once with a demo account (``SAFERHUB_LOAD_USERNAME``,
password ``SAFERHUB_LOAD_PASSWORD``), then reads the home page, an area page, the
scorecard and the monthly-counts API in turn, with no think time, so the figures are
the server's own capacity.
"""

from __future__ import annotations

import os
import re

from locust import HttpUser, between, task

USERNAME = os.environ.get("SAFERHUB_LOAD_USERNAME", "analyst")
PASSWORD = os.environ.get("SAFERHUB_LOAD_PASSWORD", "saferhub-demo-password")
AREA = os.environ.get("SAFERHUB_LOAD_AREA", "")  # "csp/E22000..." (level/code)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignedInReader(HttpUser):
    wait_time = between(0, 0)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="sign-in page")
        found = TOKEN.search(page.text)
        answer = self.client.post(
            "/accounts/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": found.group(1) if found else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        if "/accounts/login/" in answer.url:
            raise RuntimeError(f"could not sign in as {USERNAME}")

    @task
    def read_the_pages(self) -> None:
        """One round of the four pages, in turn (so every page is read as often)."""
        self.client.get("/", name="home page")
        if AREA:
            self.client.get(f"/areas/{AREA}/", name="area page")
        self.client.get("/performance/scorecard/", name="scorecard")
        code = AREA.split("/")[-1] if AREA else ""
        query = f"?level=csp&code={code}" if code else ""
        self.client.get(f"/api/data/monthly-counts/{query}", name="monthly-counts API")
