"""Admin for roundtables, registrations and outcomes.

Changes that move seats go through the services, so that the admin promotes from the waitlist
and e-mails exactly as the pages do: a new capacity goes through
``roundtable_capacity_change``, a cancelled roundtable through ``roundtable_cancel``, and a
registration is cancelled (never edited or deleted) through ``registration_cancel``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from config.exceptions import ApplicationError
from roundtables.models import (
    Outcome,
    OutcomePoint,
    Registration,
    RegistrationStatus,
    Roundtable,
    RoundtableStatus,
)
from roundtables.selectors import (
    roundtable_get,
    seats_left,
    waitlist_position,
    with_waitlist_positions,
)
from roundtables.services import (
    registration_cancel,
    roundtable_cancel,
    roundtable_capacity_change,
)

# --- Roundtables -------------------------------------------------------------------------------


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ["user", "status", "waitlist", "sector", "organisation", "needs", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ["sequence"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return with_waitlist_positions(super().get_queryset(request).select_related("user"))

    @admin.display(description=_("waitlist position"))
    def waitlist(self, registration: Registration) -> int | str:
        return waitlist_position(registration) or "—"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RoundtableAdminForm(forms.ModelForm):
    target_sectors = forms.MultipleChoiceField(
        label=_("sectors it is meant for"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Shown to experts; anyone may still register."),
    )
    online_url = forms.URLField(
        label=_("online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Video call link."),
    )

    class Meta:
        model = Roundtable
        fields = [
            "campaign",
            "slug",
            "status",
            "title_nl",
            "description_nl",
            "title_fr",
            "description_fr",
            "title_en",
            "description_en",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "target_sectors",
            "questions",
        ]

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk is None or capacity is None:
            return capacity
        taken = roundtable_get(pk=self.instance.pk).seats_taken
        if capacity < taken:
            raise forms.ValidationError(
                gettext(
                    "%(taken)s people already have a seat; the roundtable cannot have fewer "
                    "than %(taken)s seats. Cancel registrations first to go lower."
                )
                % {"taken": taken}
            )
        return capacity


@admin.register(Roundtable)
class RoundtableAdmin(admin.ModelAdmin):
    form = RoundtableAdminForm
    list_display = ["title_nl", "campaign", "starts_at", "status", "capacity", "seats_left"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign"]
    search_fields = ["slug", "title_nl", "title_fr", "title_en"]
    prepopulated_fields = {"slug": ["title_nl"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["campaign", "slug", "status"]}),
        (_("Dutch"), {"fields": ["title_nl", "description_nl"]}),
        (_("French"), {"fields": ["title_fr", "description_fr"]}),
        (_("English"), {"fields": ["title_en", "description_en"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "venue", "online_url"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "target_sectors",
                    "questions",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [RegistrationInline]

    @admin.display(description=_("seats left"))
    def seats_left(self, roundtable: Roundtable) -> int:
        return seats_left(roundtable)

    def save_model(self, request: HttpRequest, obj: Roundtable, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = Roundtable.objects.get(pk=obj.pk)
        new_capacity, new_status = obj.capacity, obj.status
        cancelling = (
            new_status == RoundtableStatus.CANCELLED and stored.status != RoundtableStatus.CANCELLED
        )
        # Everything else is saved as typed; seats and cancellation go through the services.
        obj.capacity = stored.capacity
        if cancelling:
            obj.status = stored.status
        super().save_model(request, obj, form, change)
        try:
            if new_capacity != stored.capacity:
                roundtable_capacity_change(roundtable=obj, capacity=new_capacity, by=request.user)
            if cancelling:
                roundtable_cancel(roundtable=obj, by=request.user)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)


# --- Registrations -----------------------------------------------------------------------------


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "roundtable",
        "status",
        "waitlist",
        "sector",
        "organisation",
        "created_at",
    ]
    list_filter = ["status", "roundtable"]
    list_select_related = ["user", "roundtable"]
    search_fields = ["user__email", "user__full_name", "organisation", "roundtable__slug"]
    fields = [
        "roundtable",
        "user",
        "status",
        "waitlist",
        "sector",
        "organisation",
        "expertise",
        "needs",
        "answers",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "cancelled_by",
        "checked_in_at",
        "reminder_sent_at",
    ]
    readonly_fields = fields
    actions = ["cancel_registrations"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return with_waitlist_positions(super().get_queryset(request))

    @admin.display(description=_("waitlist position"))
    def waitlist(self, registration: Registration) -> int | str:
        return waitlist_position(registration) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Experts register on the site; a seat is never handed out around the waitlist.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting would free a seat without promoting anyone: cancel instead.
        return False

    @admin.action(description=_("Cancel the selected registrations (the waitlist moves up)"))
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        cancelled = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED).order_by(
            "roundtable_id", "sequence"
        ):
            try:
                registration_cancel(registration=registration, by=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{registration.user}: {error.message}", messages.ERROR)
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration cancelled; its registrant has been told.",
                    "%(count)d registrations cancelled; their registrants have been told.",
                    cancelled,
                )
                % {"count": cancelled},
                messages.SUCCESS,
            )


# --- Outcomes ----------------------------------------------------------------------------------


class OutcomePointInline(admin.StackedInline):
    model = OutcomePoint
    fields = ["order", "text", "articles"]
    autocomplete_fields = ["articles"]
    extra = 1


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["roundtable", "author", "language", "updated_at"]
    list_select_related = ["roundtable", "author"]
    search_fields = ["roundtable__title_nl", "summary", "points__text"]
    fields = ["roundtable", "language", "summary", "author", "created_at", "updated_at"]
    readonly_fields = ["author", "created_at", "updated_at"]
    autocomplete_fields = ["roundtable"]
    inlines = [OutcomePointInline]

    def save_model(self, request: HttpRequest, obj: Outcome, form, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
