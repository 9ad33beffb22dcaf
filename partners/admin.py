from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApiToken,
    Contact,
    GovernanceGroup,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    RecoveryCode,
    ReminderPreference,
    Role,
    SsoDomain,
    SsoIdentity,
    Team,
    TeamGrant,
    User,
    UserSession,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "partnership"
    extra = 0
    autocomplete_fields = ["organisation", "replaced_by"]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["user", "partnership"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "slug", "update_interval_days", "is_fictional"]
    list_filter = ["is_fictional", "contacts_public"]
    search_fields = ["name", "short_name", "area"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline, RoleInline]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "partnership", "email", "phone", "ended_on"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "website"]
    list_filter = ["sector"]
    search_fields = ["name"]
    inlines = [TeamInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "partnership", "type", "started_on", "ended_on"]
    list_filter = ["type", "partnership"]
    search_fields = ["organisation__name", "partnership__name"]
    autocomplete_fields = ["organisation", "partnership", "replaced_by"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "partnership", "ended_on"]
    list_filter = ["partnership", "organisation"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation", "partnership"]


@admin.register(TeamGrant)
class TeamGrantAdmin(SimpleHistoryAdmin):
    list_display = ["team", "partnership", "granted_by", "created_at"]
    list_filter = ["partnership"]
    search_fields = ["team__name", "partnership__name"]
    autocomplete_fields = ["partnership", "team", "granted_by"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "partnership", "phone", "email", "is_public"]
    list_filter = ["partnership", "is_public"]
    search_fields = ["name", "role", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "team", "partnership"]


@admin.register(GovernanceGroup)
class GovernanceGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "tier", "partnership"]
    list_filter = ["kind", "partnership"]
    search_fields = ["name", "abbreviation"]
    filter_horizontal = ["members", "partnerships"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "roles__partnership", "roles__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Partnership", {"fields": ["job_title", "teams"]}),)
    filter_horizontal = ["teams", "groups", "user_permissions"]
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "partnership__name"]
    autocomplete_fields = ["user", "partnership"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "partnership", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["partnership", "role"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    readonly_fields = ["created_at", "accepted_at", "user", "invited_by"]
    autocomplete_fields = ["partnership"]
    filter_horizontal = ["teams"]

    def save_model(self, request, obj, form, change):
        if not change:
            # Only the hash is stored: the token is shown once, here.
            raw, obj.token_hash = Invitation.new_token()
            obj.invited_by = request.user
            messages.info(request, f"The invitation token for {obj.email} is {raw}. It is shown only once.")
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    exclude = ["token_hash"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if not change:
            # Only the hash is stored: the token is shown once, here.
            raw, obj.prefix, obj.token_hash = ApiToken.new_token()
            messages.info(request, f"The token for {obj.user} is {raw}. It is shown only once: copy it now.")
        super().save_model(request, obj, form, change)


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(admin.ModelAdmin):
    """Recovery codes are made by their owner (shown once, hashed): here they can only be
    seen used or removed."""

    list_display = ["user", "created_at", "used_at"]
    list_filter = ["used_at"]
    search_fields = ["user__username"]
    readonly_fields = ["salt", "code_hash", "created_at", "used_at"]
    autocomplete_fields = ["user"]


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "user_agent", "ip_address", "created_at", "last_seen_at"]
    search_fields = ["user__username"]
    readonly_fields = ["session_key", "user_agent", "ip_address", "created_at", "last_seen_at"]
    autocomplete_fields = ["user"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "stale_digest", "changed_at"]
    list_select_related = ["user"]
    list_filter = ["stale_digest"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


class SsoDomainForm(forms.ModelForm):
    class Meta:
        model = SsoDomain
        fields = ["domain", "note"]

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if "@" in domain or "." not in domain or " " in domain:
            raise forms.ValidationError(
                "Enter a domain such as hertsmere.gov.uk: the part of an email address after @."
            )
        return domain


@admin.register(SsoDomain)
class SsoDomainAdmin(SimpleHistoryAdmin):
    """Installation-wide: the email domains the single sign-on provider is trusted for."""

    form = SsoDomainForm
    list_display = ["domain", "note", "created_at"]
    search_fields = ["domain", "note"]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(SimpleHistoryAdmin):
    """Who was matched to which provider subject; delete a row to let the next sign-in match by email again."""

    list_display = ["user", "issuer", "subject", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__email", "subject"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # A superuser may link someone ahead of their first sign-in; a link is not edited, only deleted.
        return ["user", "issuer", "subject", "created_at", "last_used_at"] if obj else ["created_at", "last_used_at"]


# django-otp's own admin of authenticator apps shows each app's secret key as a QR code (on
# plain-int URLs): here they are listed and removed, never read or copied.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
