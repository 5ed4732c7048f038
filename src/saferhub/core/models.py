"""Shared building blocks: the base model every record inherits, and the job record."""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q


def live_q(through: str = "") -> Q:
    """The condition "not archived", on a record itself or on the one ``through`` names.

    For querysets of models without :class:`LiveQuerySet` (a many-to-many table, a figure
    of an area) and for constraints; querysets of records use ``.live()``.
    """
    return Q(**{f"{through}__archived_at__isnull" if through else "archived_at__isnull": True})


class LiveQuerySet(models.QuerySet[models.Model]):
    """Querysets of records that can be archived (every :class:`BaseModel`)."""

    def live(self, *through: str) -> Self:
        """The records not archived; with ``through`` (names of relations, e.g.
        ``"priority"``), only those whose related records are not archived either."""
        return self.filter(live_q(), *(live_q(name) for name in through))


class BaseModel(models.Model):
    """Who made and last changed a record, and when (never deleted: archived instead).

    ``Model.objects.live()`` gives the records not archived.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True


class Job(models.Model):
    """A piece of long work (an import, an assessment, a PDF) and its progress.

    Pages poll a job to show a progress indicator; the command line shows a bar.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # How many times a worker has started this job: a worker lost mid-way (killed, out of
    # memory) hands the job back to the queue, and it runs again up to JOB_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_own_jobs", "Can see the progress of their own jobs")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
