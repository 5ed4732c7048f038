"""Registers the upload job kind and the upload pages in the stage navigation."""

from __future__ import annotations

from saferhub.core.stages import StageLink, stage_link


def register() -> None:
    from saferhub.incidents import partner_cli, upload  # noqa: F401  (registers the job kind)

    partner_cli.register()

    stage_link(
        "assess",
        StageLink(
            "Import data",
            "incidents:upload",
            "incidents.import_data",
            "Upload police.uk or partner files; see what loaded and what was refused.",
        ),
    )
    stage_link(
        "assess",
        StageLink(
            "Partner sources",
            "incidents:partner_sources",
            "incidents.import_data",
            "How each partner's files are read: the saved column mappings.",
        ),
    )
