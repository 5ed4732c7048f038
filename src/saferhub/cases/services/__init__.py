"""Writes of case work: every one keyword-only, atomic, validated and audited.

Split by sub-topic: :mod:`.cases` (open, share, break-glass, close, legal hold),
:mod:`.parties` (people, parties, lawful basis, consent, search), :mod:`.retention`,
:mod:`.subject_access`, :mod:`.asb` and :mod:`.case_review`.
"""
