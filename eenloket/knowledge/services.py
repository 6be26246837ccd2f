"""Every write to the knowledge base: proposals, approval, use on tickets, portal figures.

Rules: anyone on staff proposes an article or a change; a version is published only when a
specialist of the owning department approves it; every version is kept with who proposed
and who decided. The search index follows publication here, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from eenloket.catalog.exceptions import UnknownService
from eenloket.catalog.selectors import service_get
from eenloket.core import clock
from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.roles import Role
from eenloket.directory.selectors import department_list
from eenloket.knowledge import search, text
from eenloket.knowledge.exceptions import (
    ArticleNotFound,
    NotOwningDepartment,
    VersionAlreadyDecided,
)
from eenloket.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleTicketLink,
    ArticleVersion,
    Audience,
    Language,
    PortalSearch,
)
from eenloket.tickets import selectors as tickets
from eenloket.tickets.uploads import upload_check

if TYPE_CHECKING:
    from eenloket.directory.models import User

MAX_BODY = 50_000
REVIEW_AFTER = timedelta(days=365)
# A portal search without a request within this time counts as a deflection.
DEFLECTION_WINDOW = timedelta(minutes=30)


def can_approve(actor: User | None, article: Article) -> bool:
    """A specialist who is a member of the article's owning department."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.role == Role.SPECIALIST
        and actor.departments.filter(pk=article.department_id).exists()
    )


def _require_staff(actor: User | None) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_desk_staff:
        raise NotAllowed(_("Only staff of the service desk can propose knowledge articles."))


def _clean_content(
    *,
    title: str,
    body: str,
    keywords: str,
    audience: str,
    service_ids: Iterable[int | str],
    review_date: date | None,
) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = [_("Give the article a title.")]
    elif len(title) > 200:
        errors["title"] = [_("The title is too long: at most 200 characters.")]
    if not body:
        errors["body"] = [_("Write the answer in the body.")]
    elif len(body) > MAX_BODY:
        errors["body"] = [
            _("The body is too long: at most %(n)s characters.") % {"n": f"{MAX_BODY:,}"}
        ]
    keywords = " ".join((keywords or "").replace(",", " ").split())
    if len(keywords) > 300:
        errors["keywords"] = [_("Too many keywords: at most 300 characters.")]
    if audience not in Audience.values:
        errors["audience"] = [_("Choose who may read the article.")]
    ids: list[int] = []
    for value in service_ids or ():
        try:
            ids.append(service_get(service_id=value).pk)
        except UnknownService:
            errors["services"] = [_("Unknown service: choose from the catalogue.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return {
        "title": title,
        "body": body,
        "keywords": keywords,
        "audience": audience,
        "service_ids": sorted(set(ids)),
        "review_date": review_date or (clock.now() + REVIEW_AFTER).date(),
    }


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "artikel"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def article_propose(
    *,
    actor: User,
    department_id: int,
    title: str,
    body: str,
    audience: str = Audience.INTERNAL,
    language: str = Language.DUTCH,
    keywords: str = "",
    service_ids: Iterable[int | str] = (),
    review_date: date | None = None,
    translation_of: Article | None = None,
    change_note: str = "",
    slug: str | None = None,
) -> ArticleVersion:
    """A new article, unpublished until its owning department approves the first version."""
    _require_staff(actor)
    content = _clean_content(
        title=title,
        body=body,
        keywords=keywords,
        audience=audience,
        service_ids=service_ids,
        review_date=review_date,
    )
    errors: dict[str, list[str]] = {}
    if not department_list().filter(pk=department_id).exists():
        errors["department"] = [_("Choose the department that owns the article.")]
    if language not in Language.values:
        errors["language"] = [_("Choose Dutch or English.")]
    if translation_of is not None and translation_of.language == language:
        errors["translation_of"] = [_("A translation must be in the other language.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    now = clock.now()
    article = Article.objects.create(
        slug=slug or _unique_slug(content["title"]),
        department_id=department_id,
        language=language,
        translation_of=translation_of,
        title=content["title"],
        audience=content["audience"],
        review_date=content["review_date"],
        created_at=now,
    )
    version = ArticleVersion.objects.create(
        article=article,
        number=1,
        proposed_by=actor,
        proposed_at=now,
        change_note=(change_note or "").strip()[:500],
        **content,
    )
    audit_record(actor=actor, obj=article, action="knowledge.propose")
    return version


@transaction.atomic
def article_change_propose(
    *,
    actor: User,
    article: Article,
    title: str,
    body: str,
    audience: str,
    keywords: str = "",
    service_ids: Iterable[int | str] = (),
    review_date: date | None = None,
    change_note: str = "",
) -> ArticleVersion:
    """A proposed change: a new version that waits for the owning department."""
    _require_staff(actor)
    content = _clean_content(
        title=title,
        body=body,
        keywords=keywords,
        audience=audience,
        service_ids=service_ids,
        review_date=review_date,
    )
    locked = Article.objects.select_for_update().get(pk=article.pk)
    last = locked.versions.aggregate(n=Max("number"))["n"] or 0
    version = ArticleVersion.objects.create(
        article=locked,
        number=last + 1,
        proposed_by=actor,
        proposed_at=clock.now(),
        change_note=(change_note or "").strip()[:500],
        **content,
    )
    audit_record(actor=actor, obj=locked, action="knowledge.propose_change")
    return version


def _lock_version(actor: User, version: ArticleVersion) -> tuple[Article, ArticleVersion]:
    article = Article.objects.select_for_update().get(pk=version.article_id)
    if not can_approve(actor, article):
        raise NotOwningDepartment()
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ArticleVersion.Status.PROPOSED:
        raise VersionAlreadyDecided()
    return article, version


@transaction.atomic
def article_version_approve(*, actor: User, version: ArticleVersion, note: str = "") -> Article:
    """Publish a version. Only a specialist of the owning department may."""
    article, version = _lock_version(actor, version)
    now = clock.now()
    before = {"title": article.title, "audience": article.audience, "body": article.body}
    version.status = ArticleVersion.Status.APPROVED
    version.decided_by, version.decided_at = actor, now
    version.decision_note = (note or "").strip()[:500]
    version.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    article.title = version.title
    article.body = version.body
    article.body_html = text.markdown_to_html(version.body)
    article.body_text = text.html_to_text(article.body_html)
    article.keywords = version.keywords
    article.audience = version.audience
    article.review_date = version.review_date
    article.published_version = version
    article.published_at = now
    article.save()
    article.services.set(version.service_ids)
    search.search_index(article)
    audit_record(
        actor=actor,
        obj=article,
        action="knowledge.approve",
        changes={key: (value, getattr(article, key)) for key, value in before.items()}
        | {"version": (None, version.number)},
    )
    return article


@transaction.atomic
def article_version_reject(*, actor: User, version: ArticleVersion, note: str) -> ArticleVersion:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(field_errors={"note": [_("Say why, so the author can improve it.")]})
    article, version = _lock_version(actor, version)
    version.status = ArticleVersion.Status.REJECTED
    version.decided_by, version.decided_at = actor, clock.now()
    version.decision_note = note[:500]
    version.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, obj=article, action="knowledge.reject")
    return version


@transaction.atomic
def article_withdraw(*, actor: User, article: Article) -> Article:
    """Take a published article offline (its versions stay)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not can_approve(actor, article):
        raise NotOwningDepartment()
    search.search_unindex(article)
    article.published_version = None
    article.published_at = None
    article.save(update_fields=["published_version", "published_at"])
    audit_record(actor=actor, obj=article, action="knowledge.withdraw")
    return article


@transaction.atomic
def article_attach(
    *, actor: User, article: Article, name: str, content: bytes
) -> ArticleAttachment:
    """A file that belongs with the article (a form, a manual), checked like ticket files."""
    _require_staff(actor)
    checked = upload_check(name=name, content=content)
    attachment = ArticleAttachment(
        article=article,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        added_by=actor,
        added_at=clock.now(),
    )
    attachment.file.save(checked.sha256, ContentFile(checked.content), save=False)
    attachment.save()
    audit_record(actor=actor, obj=article, action="knowledge.attach")
    return attachment


# --- use ---------------------------------------------------------------------------------


def article_view_record(*, article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


@transaction.atomic
def article_link_ticket(*, actor: User, article: Article, ticket_number: str) -> ArticleTicketLink:
    """The agent used the article on a ticket; the ticket must be in the agent's scope
    (TicketNotFound otherwise). Linking twice is one link."""
    ticket = tickets.ticket_for_agent(actor=actor, number=ticket_number)
    if not article.is_published:
        raise ArticleNotFound()
    link, created = ArticleTicketLink.objects.get_or_create(
        article=article,
        ticket_id=ticket.pk,
        defaults={"linked_by": actor, "linked_at": clock.now()},
    )
    if created:
        audit_record(actor=actor, obj=article, action="knowledge.link_ticket")
    return link


def article_feedback_give(*, actor: User, article: Article, helpful: bool) -> ArticleFeedback:
    """'Did this answer your question?' The person's last answer counts."""
    feedback, _created = ArticleFeedback.objects.update_or_create(
        article=article, user=actor, defaults={"helpful": bool(helpful), "at": clock.now()}
    )
    return feedback


# --- portal searches and deflection ------------------------------------------------------


def portal_search_record(
    *, actor: User, query: str, result_count: int, article: Article | None = None
) -> PortalSearch | None:
    query = " ".join((query or "").split())[:200]
    if not query:
        return None
    return PortalSearch.objects.create(
        user=actor, query=query, at=clock.now(), result_count=result_count, article=article
    )


def portal_search_open(*, actor: User, search_id: int | None, article: Article) -> None:
    """The customer opened an article from their search: the search is about that article."""
    if search_id:
        PortalSearch.objects.filter(
            pk=search_id, user=actor, outcome=PortalSearch.Outcome.PENDING
        ).update(article=article)


def portal_searches_settle(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Settle searches older than the window: a request by the same customer within the
    window makes it a request, none makes it a deflection."""
    now = now or clock.now()
    settled = {"deflected": 0, "request": 0}
    pending = list(
        PortalSearch.objects.filter(
            outcome=PortalSearch.Outcome.PENDING, at__lte=now - DEFLECTION_WINDOW
        )
        .select_related("user")
        .order_by("at")[:batch]
    )
    for item in pending:
        asked = (
            tickets.tickets_for_customer(item.user)
            .filter(requester__user=item.user, opened_at__gte=item.at)
            .filter(opened_at__lte=item.at + DEFLECTION_WINDOW)
            .exists()
        )
        outcome = PortalSearch.Outcome.REQUEST if asked else PortalSearch.Outcome.DEFLECTED
        PortalSearch.objects.filter(pk=item.pk).update(outcome=outcome)
        settled[outcome] += 1
    return settled
