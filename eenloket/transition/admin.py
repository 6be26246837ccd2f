"""Administration of the transition's reference data. Individual ADKAR scores are left out on
purpose: only the person, their supervisor and the change lead may see them (in the pages)."""

from django.contrib import admin

from eenloket.transition.models import (
    AssessmentRound,
    ChangeAction,
    ChangeGroup,
    ChecklistItem,
    Message,
    ServiceReadiness,
    Sponsor,
    SponsorAct,
    Transition,
)


class ServiceReadinessInline(admin.TabularInline):
    model = ServiceReadiness
    extra = 0
    autocomplete_fields = ["service"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    exclude = ["done_by"]


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["department", "phase", "live_since", "updated_at"]
    list_filter = ["phase"]
    inlines = [ServiceReadinessInline, ChecklistItemInline]


@admin.register(ChangeGroup)
class ChangeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department", "supervisor"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "sender", "channel", "planned_on", "sent_on"]
    list_filter = ["kind", "sender", "channel"]
    filter_horizontal = ["audience"]


class SponsorActInline(admin.TabularInline):
    model = SponsorAct
    extra = 0


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "level", "activity"]
    list_filter = ["level", "activity"]
    filter_horizontal = ["groups"]
    inlines = [SponsorActInline]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    """Rounds without their scores: the scores are shown in the transition pages only."""

    list_display = ["title", "group", "opened_at", "closed_at"]
    list_filter = ["group"]
    readonly_fields = ["opened_by"]


@admin.register(ChangeAction)
class ChangeActionAdmin(admin.ModelAdmin):
    list_display = ["description", "group", "element", "owner", "due_on", "done_at"]
    list_filter = ["element", "group"]


@admin.register(ServiceReadiness)
class ServiceReadinessAdmin(admin.ModelAdmin):
    list_display = ["service", "transition", "script_ready", "routing_agreed"]
    list_filter = ["transition", "script_ready", "routing_agreed"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["title", "transition", "kind", "done"]
    list_filter = ["transition", "kind", "done"]
    exclude = ["done_by"]


@admin.register(SponsorAct)
class SponsorActAdmin(admin.ModelAdmin):
    list_display = ["description", "sponsor", "on"]
    list_filter = ["sponsor"]
