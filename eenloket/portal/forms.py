"""Forms of the customer portal. The request form is the workspace's, minus the desk fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.workspace.forms import MultipleFileField, RequestForm, uploads_from

__all__ = ["CustomerReplyForm", "RequestForm", "uploads_from"]


class CustomerReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    files = MultipleFileField(label=_("Attachments"))
