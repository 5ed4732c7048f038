"""The form that defines a CSP area or neighbourhood: a thin reader of what was sent.

The rules (a code not used at another level, members known and of one level, a place in
one CSP area at a time) live in :func:`saferhub.geography.services.area_define`; its
errors are put back on the fields here, so the page, the API and the command say the
same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from saferhub.geography import selectors
from saferhub.geography.models import Area

LEVEL_CHOICES = [
    (Area.Level.CSP.value, "CSP area"),
    (Area.Level.NEIGHBOURHOOD.value, "Neighbourhood"),
]
# The checkbox field that holds the members of each member level. The page has no
# separate choice of member level: it is the kind of the boxes ticked (one kind only).
MEMBER_FIELDS = {"lad": "lads", "ward": "wards", "lsoa": "lsoas"}


@dataclass(frozen=True)
class Choice:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    choices: list[Choice]
    open: bool

    @property
    def checked_count(self) -> int:
        return sum(1 for c in self.choices if c.checked)


class AreaDefineForm(forms.Form):
    level = forms.ChoiceField(
        label="What are you defining?",
        choices=LEVEL_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose CSP area or neighbourhood."},
    )
    code = forms.CharField(
        label="Code",
        required=False,
        max_length=100,
        help_text="A short code that stays the same, such as city-north. Letters, digits, "
        "hyphens and underscores; it cannot be changed later.",
    )
    name = forms.CharField(label="Name", required=False, max_length=300)
    lads = forms.MultipleChoiceField(
        label="Local authorities", required=False, widget=forms.CheckboxSelectMultiple
    )
    wards = forms.MultipleChoiceField(
        label="Wards", required=False, widget=forms.CheckboxSelectMultiple
    )
    lsoas = forms.MultipleChoiceField(
        label="LSOAs", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        area: Area | None = None,
        forces: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.area = area
        # The police force areas whose wards and LSOAs are listed (a national geography
        # holds some 43,000: listing them all makes a page no browser can use). Those
        # already members or ticked are listed whatever their force area.
        self.forces = list(forces or [])
        if area is not None:
            members = list(area.members.values_list("level", "code"))
            member_level = members[0][0] if members else ""
            initial = kwargs.setdefault("initial", {})
            initial.update({"level": area.level, "code": area.code, "name": area.name})
            if member_level in MEMBER_FIELDS:
                initial[MEMBER_FIELDS[member_level]] = [c for _, c in members]
        super().__init__(*args, **kwargs)
        self._groups: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {
            "lad": [
                (
                    "",
                    "",
                    list(selectors.member_candidates(Area.Level.LAD).values_list("code", "name")),
                )
            ],
            "ward": selectors.members_by_lad(Area.Level.WARD),
            "lsoa": selectors.members_by_lad(Area.Level.LSOA),
        }
        for member_level, field_name in MEMBER_FIELDS.items():
            field = self.fields[field_name]
            noun = selectors.MEMBER_NAMES[member_level]
            field.choices = [  # type: ignore[attr-defined]
                (code, name) for _, _, items in self._groups[member_level] for code, name in items
            ]
            field.error_messages["invalid_choice"] = f"No {noun} held with code %(value)s."
        if area is not None:  # the level and code of an area are fixed once defined
            del self.fields["level"]
            del self.fields["code"]

    @property
    def chosen_level(self) -> str:
        return self.area.level if self.area is not None else str(self._value("level"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticked = [lv for lv, name in MEMBER_FIELDS.items() if data.get(name)]
        if len(ticked) > 1:
            kinds = " and ".join(selectors.MEMBER_NAMES_PLURAL[lv] for lv in ticked)
            self.add_error(
                MEMBER_FIELDS[ticked[1]],
                f"Tick local authorities, wards or LSOAs, one kind only: you ticked {kinds}.",
            )
        return data

    @property
    def chosen_member_level(self) -> str:
        """The kind of the boxes ticked ("" when none are)."""
        data = getattr(self, "cleaned_data", {})
        return next((lv for lv, name in MEMBER_FIELDS.items() if data.get(name)), "")

    def _value(self, name: str) -> Any:
        if name in self.fields:
            return self[name].value() or ""
        return self.initial.get(name, "")

    def groups(self, member_level: str) -> list[Group]:
        """The checkboxes of one member level, grouped under their local authority."""
        field_name = MEMBER_FIELDS[member_level]
        bound = self[field_name]
        selected = {str(v) for v in (bound.value() or [])}
        has_error = bool(bound.errors)
        out: list[Group] = []
        index = 0
        lad_force = selectors.lad_force_codes() if member_level != "lad" else {}
        for code, name, items in self._groups[member_level]:
            outside = member_level != "lad" and lad_force.get(code) not in self.forces
            if outside and not any(value in selected for value, _ in items):
                continue
            choices = []
            for value, label in items:
                ident = bound.auto_id if index == 0 else f"{bound.auto_id}-{index}"
                index += 1
                choices.append(Choice(ident, value, f"{label} ({value})", value in selected))
            opened = any(c.checked for c in choices) or (has_error and not out)
            out.append(Group(code, name, choices, opened))
        return out

    @property
    def lad_choices(self) -> list[Choice]:
        return self.groups("lad")[0].choices if self._groups["lad"][0][2] else []

    @property
    def ward_groups(self) -> list[Group]:
        return self.groups("ward")

    @property
    def lsoa_groups(self) -> list[Group]:
        return self.groups("lsoa")

    def definition(self) -> dict[str, Any]:
        """What to hand to ``area_define`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        member_level = self.chosen_member_level
        field_name = MEMBER_FIELDS.get(member_level)
        return {
            "level": self.area.level if self.area is not None else data.get("level") or "",
            "code": self.area.code if self.area is not None else data.get("code") or "",
            "name": data.get("name") or "",
            "member_level": member_level,
            "member_codes": list(data.get(field_name) or []) if field_name else [],
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the service's errors on the fields they name (the members' errors on the
        boxes of the kind ticked; with none ticked, on the first kind the area may have)."""
        member_level = self.chosen_member_level
        level = self.chosen_level
        none_ticked = member_level == ""
        first = "wards" if level == Area.Level.NEIGHBOURHOOD else "lads"
        member_field = MEMBER_FIELDS.get(member_level, first)
        for key, messages in exc.message_dict.items():
            target: str | None = key
            if key in {"members", "member_level"}:
                target = member_field
                if none_ticked:
                    kinds = (
                        "wards or LSOAs"
                        if level == Area.Level.NEIGHBOURHOOD
                        else "local authorities, wards or LSOAs"
                    )
                    messages = [f"Tick the {kinds} it is made of."]
            if target not in self.fields:
                target = None
            for message in messages:
                self.add_error(target, message)
