"""The public site is open to everyone, signed in or not: its URL names, for the matrix."""

from tests.access import AccessCase

PUBLIC_URL_NAMES = {
    "public:index",
    "public:accessibility",
    "public:privacy",
    "public:contact",
    "public:section",
    "public:section_item",
    "public:section_download",
    "public:section_large_print",
    "public_unknown_language",
    "public:case_review_apply",
}

CASES: list[AccessCase] = []
