"""The consultation forms. They check shape; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from supportdesk.consult.models import ContactMethod
from supportdesk.consult.services import MAX_MESSAGE_LENGTH


class ConsultationForm(forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("For example: tariff for the new campaign")}),
    )
    message = forms.CharField(
        label=_("Your question"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you would like to discuss with your manager."),
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"), choices=ContactMethod.choices, initial=ContactMethod.HERE,
        widget=forms.RadioSelect,
    )  # fmt: skip
    contact_details = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=200,
        required=False,
        help_text=_("For a call: the number. For e-mail: leave empty to use your account's address."),
    )
    preferred_time = forms.CharField(
        label=_("Preferred time"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: weekdays 10:00–13:00")}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
