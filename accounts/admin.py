from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminUserCreationForm
from accounts.models import User


class UserChangeFormWithoutUsername(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeFormWithoutUsername
    add_form = AdminUserCreationForm
    # Django's user add template speaks of a username; the generic change form does not.
    add_form_template = "admin/change_form.html"

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("full_name", "organisation", "sector", "expertise", "preferred_language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "email",
        "full_name",
        "organisation",
        "sector",
        "is_staff",
        "two_step_verification",
        "is_active",
    )
    list_filter = ("is_staff", "sector", "is_active", "is_superuser")
    search_fields = ("email", "full_name", "organisation")
    ordering = ("email",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        return super().get_queryset(request).annotate(has_totp=Exists(totp))

    @admin.display(boolean=True, description=_("two-step verification"), ordering="has_totp")
    def two_step_verification(self, user: User) -> bool:
        return user.has_totp
