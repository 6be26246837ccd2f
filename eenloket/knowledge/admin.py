"""Knowledge records are looked at in the admin, never edited there: publication goes only
through the approval in knowledge.services, which keeps versions and the search index."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from eenloket.core.admin import ReadOnlyAdmin
from eenloket.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleTicketLink,
    ArticleTransfer,
    ArticleVersion,
    PortalSearch,
    SearchPosting,
    SearchStats,
    SearchTerm,
)


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ["number", "title", "status", "proposed_by", "proposed_at", "decided_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "department", "audience", "language", "review_date", "views"]
    list_filter = ["department", "audience", "language"]
    search_fields = ["title", "slug", "keywords"]
    list_select_related = ["department", "view_counter"]
    exclude = ["index_terms"]
    inlines = [VersionInline]

    @admin.display(description=_("views"))
    def views(self, article: Article) -> int:
        counter = getattr(article, "view_counter", None)
        return counter.count if counter else 0


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ["article", "number", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["article", "proposed_by", "decided_by"]


@admin.register(ArticleAttachment)
class ArticleAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["filename", "article", "size", "added_at"]
    list_select_related = ["article"]


@admin.register(ArticleTicketLink)
class ArticleTicketLinkAdmin(ReadOnlyAdmin):
    list_display = ["article", "ticket", "linked_by", "linked_at"]
    list_select_related = ["article", "ticket", "linked_by"]


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["article", "helpful", "at"]
    list_select_related = ["article"]


@admin.register(PortalSearch)
class PortalSearchAdmin(ReadOnlyAdmin):
    list_display = ["query", "at", "result_count", "article", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["article"]


@admin.register(SearchTerm)
class SearchTermAdmin(ReadOnlyAdmin):
    list_display = ["term", "article_count"]
    search_fields = ["term"]


@admin.register(SearchStats)
class SearchStatsAdmin(ReadOnlyAdmin):
    list_display = ["articles", "total_length", "generation"]


@admin.register(SearchPosting)
class SearchPostingAdmin(ReadOnlyAdmin):
    list_display = ["term", "article", "weight", "length"]
    search_fields = ["term"]
    list_select_related = ["article"]


@admin.register(ArticleTransfer)
class ArticleTransferAdmin(ReadOnlyAdmin):
    list_display = ["article", "from_department", "to_department", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["article", "from_department", "to_department"]
