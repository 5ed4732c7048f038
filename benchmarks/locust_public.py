"""Locust readers of the public site (run by ``load_public.py``; not a test).

No sign-in: each simulated resident reads the public home page, the plan, performance,
crime by area and a download, in English and Welsh, with no think time, so the figures
are the server's own capacity with the page cache warm.
"""

from __future__ import annotations

from locust import HttpUser, between, task


class PublicReader(HttpUser):
    wait_time = between(0, 0)

    @task
    def index(self) -> None:
        self.client.get("/public/", name="public home")

    @task
    def plan(self) -> None:
        self.client.get("/cy/public/plan/", name="plan (Welsh)")

    @task
    def performance(self) -> None:
        self.client.get("/public/performance/", name="performance")

    @task
    def crime(self) -> None:
        self.client.get("/public/crime/", name="crime by area")

    @task
    def download(self) -> None:
        self.client.get("/public/performance/download.csv", name="performance CSV")
