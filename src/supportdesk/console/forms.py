"""Forms of the workspace. They check shape; the services check the rules (status, version, policy).

Fields the service requires are shown as required but left to the service to refuse when empty, with
its own message, so the page and the API say the same thing. Every action form carries the ticket
``version`` the page showed and the newest event id it showed (``seen``), so a refused action can say
what changed in between.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supportdesk.console.models import PLACEHOLDER_HELP, DraftMode
from supportdesk.portal.forms import FilterForm, category_choices
from supportdesk.tickets.desk_queries import DeskFilters
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.models import DeclineCode, Section


class QueueFilterForm(FilterForm):
    """The customer's filters (status, question type, dates, words) plus requester, organization, assignee."""

    requester = forms.CharField(
        label=_("Requester"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or e-mail")}),
    )
    organization = forms.CharField(
        label=_("Organization"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name")}),
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, data: Any, *, sections: list[Section], finished: bool, staff: list[Any]) -> None:
        super().__init__(data, sections=sections, finished=finished)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", pgettext_lazy("assignee filter", "Anyone")),
            ("none", _("Unassigned")),
        ] + [(str(u.pk), str(u)) for u in staff]

    def filters(self) -> DeskFilters:
        base = super().filters()
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return DeskFilters(
            **vars(base),
            requester=data.get("requester") or "",
            organization=data.get("organization") or "",
            assignee=data.get("assignee") or "",
        )


class _CheckedByService:
    """Marked required on the page; an empty value still reaches the service, which says what is missing."""

    empty_values: Any

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            return
        super().validate(value)  # type: ignore[misc]


class ServiceCharField(_CheckedByService, forms.CharField):
    pass


class ServiceChoiceField(_CheckedByService, forms.ChoiceField):
    pass


class ActionForm(forms.Form):
    """The guard every action sends: the version of the ticket the page showed, and its newest event."""

    use_required_attribute = False

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    seen = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    queue = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def apply_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


class ComposeForm(ActionForm):
    mode = forms.ChoiceField(choices=DraftMode.choices, initial=DraftMode.REPLY, widget=forms.RadioSelect)
    body = ServiceCharField(
        label=_("Message"),
        max_length=20_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 7}),
    )


class ReassignForm(ActionForm):
    assignee = ServiceCharField(label=_("Assignee"), max_length=20)


class UrgentForm(ActionForm):
    urgent = forms.BooleanField(required=False, widget=forms.HiddenInput)
    impact = ServiceCharField(
        label=_("Why is it urgent?"),
        max_length=200,
        help_text=_("One line, for example: no calls go out for the whole team."),
    )


class DeclineForm(ActionForm):
    code = ServiceChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason"))] + list(DeclineCode.choices),
    )
    reason = ServiceCharField(
        label=_("Explanation for the customer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer sees this text; the reason is counted in reports."),
    )


class CategoryForm(ActionForm):
    category = forms.ChoiceField(label=_("New category"))

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(sections)[1:]

    def section_and_type(self) -> tuple[int, int | None]:
        """ "s<id>": a section without a type; "t<id>": a type, with its section."""
        value = self.cleaned_data["category"]
        number = int(value[1:])
        if value.startswith("t"):
            section = next(s for s in self.sections for t in s.active_types if t.pk == number)
            return section.pk, number
        return number, None


class DecideCategoryForm(ActionForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class LinkForm(ActionForm):
    other = ServiceCharField(
        label=_("Ticket number"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "#123", "inputmode": "numeric"}),
    )


class MergeForm(ActionForm):
    into = ServiceCharField(
        label=_("Merge into ticket"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "#123", "inputmode": "numeric"}),
        help_text=_("The ticket that goes on. This one is declined as a duplicate."),
    )
    reason = ServiceCharField(
        label=_("Explanation for the customer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkForm(forms.Form):
    """Selected rows arrive as "<id>:<version>", so a ticket changed since the list loaded is refused."""

    action = forms.ChoiceField(choices=[("take", "take"), ("assign", "assign"), ("close", "close")])
    assignee = forms.CharField(required=False, max_length=20)
    solution = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea)

    def selection(self) -> list[tuple[int, int | None]]:
        """(id, version) of each selected row; a row without the version its page showed is left out."""
        chosen: list[tuple[int, int | None]] = []
        for value in self.selected():
            pk, _sep, version = value.partition(":")
            if pk.isdigit() and version.isdigit():
                chosen.append((int(pk), int(version)))
        return chosen

    def selected(self) -> list[str]:
        return [str(v) for v in cast(QueryDict, self.data).getlist("tickets")[:1000]] if self.is_bound else []


class SavedReplyForm(forms.Form):
    use_required_attribute = False

    title = ServiceCharField(label=_("Title"), max_length=120)
    body = ServiceCharField(
        label=_("Text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PLACEHOLDER_HELP,
    )  # fmt: skip
    shared = forms.BooleanField(label=_("Shared with every specialist"), required=False)

    def apply_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
