"""Reads from the knowledge base, scoped by the actor.

Who sees what: customers (everyone in the portal, staff too) see published public articles;
staff in the workspace see every published article, internal ones included, and in the
editorial pages also unpublished articles and all versions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from eenloket.core import clock
from eenloket.directory.selectors import department_list
from eenloket.knowledge import search, text
from eenloket.knowledge.exceptions import ArticleNotFound, TransferNotFound, VersionNotFound
from eenloket.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleTicketLink,
    ArticleTransfer,
    ArticleVersion,
    ArticleViews,
    Audience,
    PortalSearch,
)
from eenloket.tickets import selectors as tickets

if TYPE_CHECKING:
    from eenloket.directory.models import User

LIST_RELATED = ("department",)


def _is_staff(actor: User | None) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_desk_staff)


def articles_for(actor: User | None, *, portal: bool = False) -> QuerySet[Article]:
    """Published articles the actor may read. In the portal everyone is a customer."""
    articles = Article.objects.filter(published_version__isnull=False)
    if portal or not _is_staff(actor):
        articles = articles.filter(audience=Audience.PUBLIC)
    return articles.select_related(*LIST_RELATED)


def articles_for_editing(actor: User | None) -> QuerySet[Article]:
    """Every article, published or not: staff only."""
    if not _is_staff(actor):
        return Article.objects.none()
    return Article.objects.select_related(*LIST_RELATED)


@dataclass(frozen=True)
class ArticleFilters:
    department_id: int | None = None
    service_id: int | None = None
    audience: str | None = None
    language: str | None = None

    def apply(self, articles: QuerySet[Article]) -> QuerySet[Article]:
        if self.department_id:
            articles = articles.filter(department_id=self.department_id)
        if self.service_id:
            articles = articles.filter(services__id=self.service_id)
        if self.audience:
            articles = articles.filter(audience=self.audience)
        if self.language:
            articles = articles.filter(language=self.language)
        return articles


def article_search(
    *,
    actor: User | None,
    query: str,
    filters: ArticleFilters | None = None,
    portal: bool = False,
    limit: int = 10,
    service_id: int | None = None,
) -> search.SearchResult:
    """Full-text search in what the actor may read (see search.py for the ranking)."""
    articles = (filters or ArticleFilters()).apply(articles_for(actor, portal=portal))
    return search.article_search(articles, query, limit=limit, service_id=service_id)


def article_list(
    *, actor: User | None, filters: ArticleFilters | None = None, portal: bool = False
) -> QuerySet[Article]:
    """Browsing without a query: by title."""
    articles = (filters or ArticleFilters()).apply(articles_for(actor, portal=portal))
    return articles.order_by("title", "id")


def article_get(*, actor: User | None, article_id: int | str, portal: bool = False) -> Article:
    try:
        return (
            articles_for(actor, portal=portal)
            .prefetch_related("services", "published_version__attachments", "translations")
            .select_related("translation_of")
            .get(pk=int(article_id))
        )
    except (Article.DoesNotExist, ValueError, TypeError):
        raise ArticleNotFound() from None


def article_get_for_editing(*, actor: User | None, article_id: int | str) -> Article:
    try:
        return (
            articles_for_editing(actor)
            .prefetch_related("services", "published_version__attachments")
            .get(pk=int(article_id))
        )
    except (Article.DoesNotExist, ValueError, TypeError):
        raise ArticleNotFound() from None


def article_translation(article: Article) -> Article | None:
    """The published article in the other language, if any."""
    if article.translation_of_id:
        other = article.translation_of
        return other if other and other.is_published else None
    for other in article.translations.all():
        if other.is_published:
            return other
    return None


def published_attachments(article: Article) -> list[ArticleAttachment]:
    """The files of the published version: what readers of the article see."""
    if article.published_version is None:
        return []
    return list(article.published_version.attachments.all())


def attachment_get(
    *, actor: User | None, attachment_id: int, portal: bool = False
) -> ArticleAttachment:
    """Customers (and everyone in the portal) get the files of the published version of an
    article they may read; staff also those of proposals, which they review."""
    if portal or not _is_staff(actor):
        published = articles_for(actor, portal=portal).values("published_version_id")
        files = ArticleAttachment.objects.filter(versions__in=published)
    else:
        files = ArticleAttachment.objects.filter(article__in=articles_for_editing(actor))
    try:
        return files.distinct().get(pk=attachment_id)
    except ArticleAttachment.DoesNotExist:
        raise ArticleNotFound() from None


# --- owner and translation ---------------------------------------------------------------


def transfer_pending(article: Article) -> ArticleTransfer | None:
    return (
        article.transfers.filter(status=ArticleTransfer.Status.PENDING)
        .select_related("to_department", "requested_by")
        .first()
    )


def transfer_history(article: Article) -> list[ArticleTransfer]:
    return list(
        article.transfers.select_related(
            "from_department", "to_department", "requested_by", "decided_by"
        )[:50]
    )


def transfer_get(*, actor: User | None, transfer_id: int | str) -> ArticleTransfer:
    try:
        return ArticleTransfer.objects.select_related("article").get(
            pk=int(transfer_id), article__in=articles_for_editing(actor)
        )
    except (ArticleTransfer.DoesNotExist, ValueError, TypeError):
        raise TransferNotFound() from None


def transfers_offered(*, actor: User | None) -> list[ArticleTransfer]:
    """Articles offered to the actor's departments, waiting for them to accept."""
    if not _is_staff(actor):
        return []
    return list(
        ArticleTransfer.objects.filter(
            status=ArticleTransfer.Status.PENDING,
            to_department__in=actor.departments.values("id"),
        )
        .select_related("article", "from_department", "to_department", "requested_by")
        .order_by("requested_at", "id")[:200]
    )


def translation_choices(*, actor: User | None, article: Article) -> QuerySet[Article]:
    """Articles in the other language that the article could be linked with."""
    return (
        articles_for_editing(actor)
        .exclude(language=article.language)
        .exclude(pk=article.pk)
        .order_by("title", "slug", "id")
    )


# --- versions ----------------------------------------------------------------------------


def article_versions(article: Article) -> list[ArticleVersion]:
    return list(article.versions.select_related("proposed_by", "decided_by").order_by("-number"))


def version_get(*, article: Article, number: int | str) -> ArticleVersion:
    try:
        return article.versions.select_related("proposed_by", "decided_by").get(number=int(number))
    except (ArticleVersion.DoesNotExist, ValueError, TypeError):
        raise VersionNotFound() from None


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def version_diff(old: ArticleVersion | None, new: ArticleVersion) -> list[DiffLine]:
    """Line by line: what the newer version removed and added (title and keywords first)."""

    def lines(version: ArticleVersion | None) -> list[str]:
        if version is None:
            return []
        return [
            f"# {version.title}",
            f"[{version.get_audience_display()}] {version.keywords}".rstrip(),
            "",
            *version.body.splitlines(),
            *(
                _("Attachment: %(name)s") % {"name": item.filename}
                for item in version.attachments.all()
            ),
        ]

    result = []
    for line in difflib.ndiff(lines(old), lines(new)):
        tag, content = line[:2], line[2:]
        if tag == "? ":
            continue
        kind = {"+ ": "added", "- ": "removed"}.get(tag, "same")
        result.append(DiffLine(kind=kind, text=content))
    return result


def proposals_waiting(
    *, actor: User | None, department_id: int | None = None
) -> list[ArticleVersion]:
    """Versions waiting for approval: a specialist sees their departments' first."""
    if not _is_staff(actor):
        return []
    versions = ArticleVersion.objects.filter(status=ArticleVersion.Status.PROPOSED)
    if department_id:
        versions = versions.filter(article__department_id=department_id)
    return list(
        versions.select_related("article", "article__department", "proposed_by").order_by(
            "proposed_at", "id"
        )[:200]
    )


def proposals_waiting_count(*, actor: User | None) -> int:
    if not _is_staff(actor):
        return 0
    return ArticleVersion.objects.filter(status=ArticleVersion.Status.PROPOSED).count()


def stale_articles(
    *, actor: User | None, department_id: int | None = None, today: date | None = None
) -> QuerySet[Article]:
    """Published articles past their review date, oldest first."""
    today = today or clock.now().date()
    articles = articles_for_editing(actor).filter(
        published_version__isnull=False, review_date__lt=today
    )
    if department_id:
        articles = articles.filter(department_id=department_id)
    return articles.order_by("review_date", "id")


# --- the ticket panel --------------------------------------------------------------------


@dataclass
class TicketPanel:
    suggestions: list[search.Hit]
    linked: list[Article]
    query: str


def ticket_panel(*, actor: User, ticket, query: str | None = None, limit: int = 5) -> TicketPanel:
    """Articles for an open ticket: from its subject and first message (or the agent's own
    query), those about the ticket's service first; and the articles already used on it."""
    if not _is_staff(actor):
        return TicketPanel(suggestions=[], linked=[], query="")
    linked = list(
        articles_for(actor).filter(ticket_links__ticket_id=ticket.pk).order_by("title", "id")
    )
    if query is None:
        first_message = next(
            (
                entry.body
                for entry in tickets.ticket_timeline(ticket=ticket, internal=False)
                if entry.body
            ),
            "",
        )
        query = f"{ticket.title} {first_message[:300]}"
    result = article_search(actor=actor, query=query, limit=limit, service_id=ticket.service_id)
    hits = list(result.hits)
    if not hits:
        # Nothing matched the words: the service's own articles, most used first.
        for article in (
            articles_for(actor)
            .filter(services__id=ticket.service_id)
            .annotate(uses=Count("ticket_links"))
            .order_by("-uses", "title", "id")[:limit]
        ):
            hits.append(search.Hit(article=article, score=0.0, snippet=_lead(article)))
    return TicketPanel(suggestions=hits, linked=linked, query=query)


def _lead(article: Article):
    return text.snippet(article.body_text, frozenset())


# --- figures -----------------------------------------------------------------------------


RESOLVED = Q(ticket__resolved_at__isnull=False)


def article_figures(article: Article) -> dict[str, int | float | None]:
    links = ArticleTicketLink.objects.filter(article=article).aggregate(
        links=Count("id"), uses=Count("id", filter=RESOLVED)
    )
    votes = ArticleFeedback.objects.filter(article=article).aggregate(
        yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False))
    )
    deflections = PortalSearch.objects.filter(
        article=article, outcome=PortalSearch.Outcome.DEFLECTED
    ).count()
    views = ArticleViews.objects.filter(article=article).values_list("count", flat=True).first()
    return {
        "views": views or 0,
        **links,
        "helpful": votes["yes"],
        "unhelpful": votes["no"],
        "deflections": deflections,
    }


@dataclass(frozen=True)
class DepartmentFigures:
    department_id: int
    department: str
    articles: int
    public: int
    stale: int
    views: int
    uses: int
    resolved_tickets: int
    link_rate: float | None
    helpful: int
    unhelpful: int
    deflections: int


def department_figures(*, actor: User | None, today: date | None = None) -> list[DepartmentFigures]:
    """Per owning department: articles, stale ones, views, uses on resolved tickets and the
    link rate (resolved tickets of the department with an article linked), votes and
    deflections."""
    if not _is_staff(actor):
        return []
    today = today or clock.now().date()
    published = Q(articles__published_version__isnull=False)
    rows = department_list().annotate(
        n_articles=Count("articles", filter=published, distinct=True),
        n_public=Count(
            "articles", filter=published & Q(articles__audience=Audience.PUBLIC), distinct=True
        ),
        n_stale=Count(
            "articles", filter=published & Q(articles__review_date__lt=today), distinct=True
        ),
    )
    views = dict(
        ArticleViews.objects.values_list("article__department_id")
        .annotate(v=Sum("count"))
        .values_list("article__department_id", "v")
    )
    uses = dict(
        ArticleTicketLink.objects.filter(RESOLVED)
        .values_list("article__department_id")
        .annotate(n=Count("ticket_id", distinct=True))
        .values_list("article__department_id", "n")
    )
    # Resolved tickets of each department that have an article linked, and all of them.
    linked_tickets = dict(
        ArticleTicketLink.objects.filter(RESOLVED)
        .values_list("ticket__department_id")
        .annotate(n=Count("ticket_id", distinct=True))
        .values_list("ticket__department_id", "n")
    )
    resolved = dict(
        tickets.tickets_for_agent(actor)
        .filter(resolved_at__isnull=False)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    votes = {
        row["article__department_id"]: row
        for row in ArticleFeedback.objects.values("article__department_id").annotate(
            yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False))
        )
    }
    deflections = dict(
        PortalSearch.objects.filter(outcome=PortalSearch.Outcome.DEFLECTED, article__isnull=False)
        .values_list("article__department_id")
        .annotate(n=Count("id"))
        .values_list("article__department_id", "n")
    )
    result = []
    for row in rows:
        n_resolved = resolved.get(row.pk, 0)
        result.append(
            DepartmentFigures(
                department_id=row.pk,
                department=row.name,
                articles=row.n_articles,
                public=row.n_public,
                stale=row.n_stale,
                views=views.get(row.pk) or 0,
                uses=uses.get(row.pk, 0),
                resolved_tickets=n_resolved,
                link_rate=(linked_tickets.get(row.pk, 0) / n_resolved) if n_resolved else None,
                helpful=votes.get(row.pk, {}).get("yes", 0),
                unhelpful=votes.get(row.pk, {}).get("no", 0),
                deflections=deflections.get(row.pk, 0),
            )
        )
    return result
