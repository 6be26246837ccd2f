"""Admin: pulse rounds are planned here; answers are read-only and never show a person."""

from django.contrib import admin

from eenloket.surveys.models import (
    PulseAnswer,
    PulseParticipation,
    PulseRound,
    SatisfactionAlert,
    SurveyInvitation,
    SurveyResponse,
)


@admin.register(PulseRound)
class PulseRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "opens_at", "closes_at")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnly):
    list_display = ("ticket", "grade", "answered", "updated_at")
    list_select_related = ("ticket",)


@admin.register(SatisfactionAlert)
class SatisfactionAlertAdmin(ReadOnly):
    list_display = ("response", "created_at", "handled_at", "reopened")
    list_select_related = ("response__ticket",)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnly):
    list_display = ("ticket", "person", "created_at", "closes_at")
    list_select_related = ("ticket", "person")
    exclude = ("nonce",)


@admin.register(PulseParticipation)
class PulseParticipationAdmin(ReadOnly):
    """Who answered a round; never what."""

    list_display = ("round", "user")
    list_select_related = ("round", "user")


@admin.register(PulseAnswer)
class PulseAnswerAdmin(ReadOnly):
    """Answers without a person; listed per group only."""

    list_display = ("round", "group", "job_grade", "way_grade")
    list_select_related = ("round",)
