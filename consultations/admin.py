from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    CAMPAIGN_TRANSITIONS,
    AgeBand,
    Campaign,
    CampaignStatus,
    CrcArticle,
    CrcCluster,
    InviteLink,
    MemberOrganisation,
)
from consultations.validators import validate_age_bands

# --- UNCRC reference data: read-only, loaded by a migration ------------------------------------


class ReadOnlyReferenceAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PrimaryArticleInline(admin.TabularInline):
    model = CrcArticle
    fk_name = "primary_cluster"
    fields = ["code", "title_en", "note"]
    extra = 0
    verbose_name_plural = _("articles filed under this cluster")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CrcCluster)
class CrcClusterAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "order", "name_en", "name_nl", "name_fr"]
    fieldsets = [
        (None, {"fields": ["code", "order"]}),
        (_("Dutch"), {"fields": ["name_nl"]}),
        (_("French"), {"fields": ["name_fr"]}),
        (_("English"), {"fields": ["name_en"]}),
    ]
    inlines = [PrimaryArticleInline]


@admin.register(CrcArticle)
class CrcArticleAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "title_en", "primary_cluster", "also_under", "note"]
    list_filter = ["primary_cluster"]
    search_fields = ["code", "title_en", "note"]
    fields = ["code", "number", "part", "title_en", "primary_cluster", "secondary_clusters", "note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CrcArticle]:
        return (
            super()
            .get_queryset(request)
            .select_related("primary_cluster")
            .prefetch_related("secondary_clusters")
        )

    @admin.display(description=_("also under"))
    def also_under(self, article: CrcArticle) -> str:
        return ", ".join(cluster.code for cluster in article.secondary_clusters.all())


# --- Member organisations ----------------------------------------------------------------------


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "coordinator_count"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "coordinators__email", "coordinators__full_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MemberOrganisation]:
        return super().get_queryset(request).annotate(_coordinator_count=Count("coordinators"))

    @admin.display(description=_("coordinators"), ordering="_coordinator_count")
    def coordinator_count(self, organisation: MemberOrganisation) -> int:
        return organisation._coordinator_count


# --- Campaigns ---------------------------------------------------------------------------------


class AgeBandInlineFormSet(forms.BaseInlineFormSet):
    """Checks the campaign's bands together, as they will be after saving."""

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        # The stored values of the other bands may be about to change in this same form;
        # clean() below compares the bands as submitted instead.
        form.instance.check_stored_siblings = False

    def clean(self) -> None:
        super().clean()
        bands = []
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            if form.instance.pk is None and not form.has_changed():
                continue  # an empty extra row
            bands.append(form.instance)
        try:
            validate_age_bands(bands)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class AgeBandInline(admin.TabularInline):
    model = AgeBand
    formset = AgeBandInlineFormSet
    fields = ["code", "min_age", "max_age", "easy_read", "order"]
    extra = 0

    # Responses are filed under a band: once a campaign is published its bands stay as they are.
    def _editable(self, campaign: Campaign | None) -> bool:
        return campaign is None or campaign.status == CampaignStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class InviteLinkInline(admin.TabularInline):
    model = InviteLink
    fields = ["label", "organisation", "is_active", "code", "link"]
    readonly_fields = ["code", "link"]
    autocomplete_fields = ["organisation"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("link"))
    def link(self, invite_link: InviteLink) -> str:
        return _link_html(invite_link)


def _link_html(invite_link: InviteLink) -> str:
    if not invite_link.pk:
        return "—"
    return format_html('<a href="{0}">{0}</a>', invite_link.absolute_url())


class CampaignAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages young people can choose for this campaign's surveys."),
    )

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "status",
            "title_nl",
            "summary_nl",
            "title_fr",
            "summary_fr",
            "title_en",
            "summary_en",
            "starts_on",
            "ends_on",
            "results_expected_on",
            "languages",
            "min_cell_size",
            "theme_articles",
            "organisations",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is None:
            return
        if self.instance.pk is None:
            status.help_text = _("A new campaign starts as a draft.")
            return
        allowed = CAMPAIGN_TRANSITIONS[self.instance.status]
        if allowed:
            status.help_text = gettext("From %(current)s it can go to: %(allowed)s.") % {
                "current": self.instance.get_status_display(),
                "allowed": ", ".join(str(CampaignStatus(s).label) for s in allowed),
            }
        else:
            status.help_text = gettext("A closed campaign stays closed.")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["slug", "title_nl", "status", "starts_on", "ends_on", "min_cell_size"]
    list_filter = ["status"]
    search_fields = ["slug", "title_nl", "title_fr", "title_en"]
    prepopulated_fields = {"slug": ["title_nl"]}
    filter_horizontal = ["theme_articles", "organisations"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "starts_on"
    fieldsets = [
        (None, {"fields": ["slug", "status"]}),
        (_("Dutch"), {"fields": ["title_nl", "summary_nl"]}),
        (_("French"), {"fields": ["title_fr", "summary_fr"]}),
        (_("English"), {"fields": ["title_en", "summary_en"]}),
        (_("Dates"), {"fields": ["starts_on", "ends_on", "results_expected_on"]}),
        (
            _("Consultation"),
            {"fields": ["languages", "min_cell_size", "theme_articles", "organisations"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [AgeBandInline, InviteLinkInline]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # As invite_link_create does: an organisation with an invite link takes part.
        organisations = InviteLink.objects.filter(campaign=form.instance).values("organisation")
        form.instance.organisations.add(*MemberOrganisation.objects.filter(pk__in=organisations))


# --- Invite links ------------------------------------------------------------------------------


@admin.register(InviteLink)
class InviteLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "campaign", "organisation", "code", "is_active", "created_at"]
    list_filter = ["is_active", "campaign", "organisation"]
    list_select_related = ["campaign", "organisation"]
    search_fields = ["label", "code", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fields = ["campaign", "organisation", "label", "is_active", "code", "link", "qr_code"]
    readonly_fields = ["code", "link", "qr_code", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # A printed QR code points at one campaign: the link cannot be moved to another.
        if obj is not None:
            return [*self.readonly_fields, "campaign", "organisation"]
        return self.readonly_fields

    @admin.display(description=_("link"))
    def link(self, invite_link: InviteLink) -> str:
        return _link_html(invite_link)

    @admin.display(description=_("QR code"))
    def qr_code(self, invite_link: InviteLink) -> SafeString | str:
        if not invite_link.pk:
            return gettext("Shown once the link is saved.")
        # The markup is segno's, for our own URL (code alphabet only) with an escaped title.
        return format_html('<div class="invite-qr">{}</div>', mark_safe(invite_link.qr_svg()))  # noqa: S308

    def save_model(self, request: HttpRequest, obj: InviteLink, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # As invite_link_create does: an organisation with an invite link takes part.
        obj.campaign.organisations.add(obj.organisation)
