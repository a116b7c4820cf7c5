"""Forms for signing up (allauth) and for adding users in the admin."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector, User


class SignupForm(AllauthSignupForm):
    """Signup with the profile experts give when they register for roundtables.

    The values are stored by ``accounts.adapters.AccountAdapter.save_user``; a roundtable
    registration starts from them, so nobody types them twice.
    """

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=User._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=User._meta.get_field("organisation").max_length,
        required=False,
        help_text=_("Where you work or study. Leave empty if you take part on your own."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("Choose the sector you work in")), *Sector.choices],
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=User._meta.get_field("expertise").max_length,
        required=False,
        help_text=_("In a few words, what you know about, e.g. 'youth mental health, research'."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "organisation",
        "sector",
        "expertise",
    ]

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())


class AdminUserCreationForm(BaseUserCreationForm):
    """Add a user in the admin: an e-mail address and a password, nothing else yet."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A user with this e-mail address already exists."), code="unique"
            )
        return email
