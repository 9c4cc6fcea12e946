"""The forms of the customer's Help pages. They check shape; the services check the rules."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supportdesk.tickets import catalog
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.models import FieldKind, Section, TypedField
from supportdesk.tickets.queries import TicketFilters
from supportdesk.tickets.workflow import ACTIVE, FINISHED, Status

QUESTION_HINT = _(
    "What is happening? When did it start? What did you do? What did you expect? Anything else that helps."
)
QUESTION_PLACEHOLDER = _("What is happening:\n\nWhen it started:\n\nWhat I did:\n\nWhat I expected:\n\nAnything else:")


def category_choices(sections: list[Section]) -> list[tuple[str, str]]:
    """ "s<id>" for a whole section, "t<id>" for one of its types."""
    choices: list[tuple[str, Any]] = [("", _("All sections"))]
    for section in sections:
        choices.append((f"s{section.pk}", section.name))
        for kind in section.active_types:
            choices.append((f"t{kind.pk}", f"{section.name} · {kind.name}"))
    return choices


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Question type"), required=False)
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words or ticket number")}),
    )

    def __init__(self, data: Any, *, sections: list[Section], finished: bool) -> None:
        super().__init__(data)
        statuses = FINISHED if finished else ACTIVE
        self.finished = finished
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", pgettext_lazy("status filter", "All statuses"))
        ] + [(s.value, s.label) for s in Status if s in statuses]
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(sections)

    def filters(self) -> TicketFilters:
        """The filters to apply; a field with a bad value is ignored (and shown as an error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        category = data.get("category") or ""
        result = TicketFilters(
            finished=self.finished,
            status=data.get("status") or "",
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            text=data.get("q") or "",
        )
        if category.startswith("s"):
            result.section_id = int(category[1:])
        elif category.startswith("t"):
            result.type_id = int(category[1:])
        return result

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


def typed_field_name(definition: TypedField) -> str:
    return f"field_{definition.pk}"


def _typed_widget(definition: TypedField) -> forms.Field:
    label, hint, required = definition.label, definition.help, definition.required
    if definition.kind == FieldKind.TEXTAREA:
        widget: forms.Widget = forms.Textarea(attrs={"rows": 3})
        return forms.CharField(label=label, help_text=hint, required=required, widget=widget, max_length=2000)
    if definition.kind == FieldKind.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    elif definition.kind == FieldKind.DATETIME:
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
    elif definition.kind == FieldKind.DECIMAL:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    else:
        widget = forms.TextInput()
    return forms.CharField(label=label, help_text=hint, required=required, widget=widget, max_length=500)


class CategoryFields(forms.Form):
    """Section, type and the typed fields every section and type asks; shared by Create and Change category."""

    section = forms.TypedChoiceField(label=_("Section"), coerce=int, widget=forms.RadioSelect)
    ticket_type = forms.TypedChoiceField(
        label=_("Question type"), coerce=int, required=False, empty_value=None, widget=forms.RadioSelect
    )

    # The page holds every section's fields and shows the chosen one's: browsers must not demand the
    # hidden ones, so required-ness is checked here and by the service, not by HTML attributes.
    use_required_attribute = False

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        cast(forms.ChoiceField, self.fields["section"]).choices = [(s.pk, s.name) for s in sections]
        cast(forms.ChoiceField, self.fields["ticket_type"]).choices = [
            (t.pk, t.name) for s in sections for t in s.active_types
        ]
        self.definitions: list[TypedField] = [d for s in sections for d in s.all_fields]
        chosen_section = str(self.data.get("section", "")) if self.is_bound else ""
        chosen_type = str(self.data.get("ticket_type", "")) if self.is_bound else ""
        for definition in self.definitions:
            typed = _typed_widget(definition)
            if self.is_bound and not (
                str(definition.section_id) == chosen_section
                and definition.ticket_type_id in (None, int(chosen_type) if chosen_type.isdigit() else None)
            ):
                typed.required = False
            self.fields[typed_field_name(definition)] = typed

    def typed_values(self) -> dict[str, str]:
        """Raw typed values of the chosen section and type, by key (the service checks them)."""
        section = self.cleaned_data.get("section")
        kind = self.cleaned_data.get("ticket_type")
        return {
            d.key: self.cleaned_data.get(typed_field_name(d)) or ""
            for d in self.definitions
            if d.section_id == section and d.ticket_type_id in (None, kind)
        }

    def bound_typed(self, section: Section) -> list[tuple[TypedField, forms.BoundField]]:
        return [(d, self[typed_field_name(d)]) for d in self.definitions if d.section_id == section.pk]

    def apply_errors(self, error: ValidationFailed) -> None:
        """Put the service's errors on the fields they belong to."""
        by_key = {f"field_{d.key}": typed_field_name(d) for d in self.definitions if self._chosen(d)}
        for key, messages in error.errors.items():
            name = by_key.get(key, key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def _chosen(self, definition: TypedField) -> bool:
        data = getattr(self, "cleaned_data", {})
        return definition.section_id == data.get("section") and definition.ticket_type_id in (
            None,
            data.get("ticket_type"),
        )


class CreateTicketForm(CategoryFields):
    question = forms.CharField(
        label=_("Question"),
        help_text=QUESTION_HINT,
        max_length=20_000,
        error_messages={"required": _("Describe your question.")},
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": QUESTION_PLACEHOLDER}),
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False, help_text=_("Work is blocked and it cannot wait."))
    impact = forms.CharField(
        label=_("What is the impact?"),
        required=False,
        max_length=200,
        help_text=_("One line, for example: no calls go out for the whole team."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    linked_to = forms.IntegerField(widget=forms.HiddenInput, required=False)
    link_kind = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    field_order = ["section", "ticket_type", "question", "urgent", "impact"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("Write your response or additional information")}),
    )


class CategoryChangeForm(CategoryFields):
    comment = forms.CharField(
        label=_("Why should it move?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def load_sections() -> list[Section]:
    """Active sections with their active types and typed fields, for every form (see tickets.catalog)."""
    return catalog.active_sections()
