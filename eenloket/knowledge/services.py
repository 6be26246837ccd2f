"""Every write to the knowledge base: proposals, approval, use on tickets, portal figures.

Rules: anyone on staff proposes an article or a change; a version is published only when a
specialist of the owning department approves it; every version is kept with who proposed
and who decided. The search index follows publication here, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
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
    NotReceivingDepartment,
    TransferAlreadyDecided,
    VersionAlreadyDecided,
)
from eenloket.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleFeedback,
    ArticleTicketLink,
    ArticleTransfer,
    ArticleVersion,
    ArticleViews,
    Audience,
    Language,
    PortalSearch,
)
from eenloket.tickets import selectors as tickets
from eenloket.tickets.exceptions import UploadRejected
from eenloket.tickets.uploads import upload_check

if TYPE_CHECKING:
    from eenloket.directory.models import User

MAX_BODY = 50_000
REVIEW_AFTER = timedelta(days=365)
# A portal search without a request within this time counts as a deflection.
DEFLECTION_WINDOW = timedelta(minutes=30)
MAX_ATTACHMENTS = 10  # files per version


@dataclass(frozen=True)
class FileUpload:
    """A file as a page or the API received it: its name and its bytes."""

    name: str
    content: bytes


def is_specialist_of(actor: User | None, department_id: int) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.role == Role.SPECIALIST
        and actor.departments.filter(pk=department_id).exists()
    )


def can_approve(actor: User | None, article: Article) -> bool:
    """A specialist who is a member of the article's owning department."""
    return is_specialist_of(actor, article.department_id)


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


def _store_files(
    *, actor: User, article: Article, keep: list[ArticleAttachment], files: Sequence[FileUpload]
) -> list[ArticleAttachment]:
    """The files of a new version: those kept from the one it starts from plus the new ones,
    each checked by content, size and type. The same content twice is stored once."""
    checked = []
    for upload in files:
        try:
            checked.append(upload_check(name=upload.name, content=upload.content))
        except UploadRejected as exc:
            message = str(exc.message)
            raise ValidationFailed(message, field_errors={"files": [message]}) from None
    result = {item.pk: item for item in keep}
    new = {item.sha256 for item in checked} - {item.sha256 for item in keep}
    if len(result) + len(new) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            field_errors={
                "files": [_("At most %(n)s attachments per article.") % {"n": MAX_ATTACHMENTS}]
            }
        )
    for item in checked:
        existing = ArticleAttachment.objects.filter(article=article, sha256=item.sha256).first()
        if existing is None:
            existing = ArticleAttachment(
                article=article,
                filename=item.filename,
                content_type=item.content_type,
                size=len(item.content),
                sha256=item.sha256,
                added_by=actor,
                added_at=clock.now(),
            )
            existing.file.save(item.sha256, ContentFile(item.content), save=False)
            existing.save()
        result[existing.pk] = existing
    return sorted(result.values(), key=lambda item: item.pk)


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
    files: Sequence[FileUpload] = (),
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
    version.attachments.set(_store_files(actor=actor, article=article, keep=[], files=files))
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
    keep_attachment_ids: Iterable[int] | None = None,
    files: Sequence[FileUpload] = (),
) -> ArticleVersion:
    """A proposed change: a new version that waits for the owning department. Its files are
    `keep_attachment_ids` (files of this article's versions; None keeps those of the newest
    version, which the change starts from) plus the new `files`."""
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
    newest = locked.versions.order_by("-number").first()
    if keep_attachment_ids is None:
        keep = list(newest.attachments.all()) if newest else []
    else:
        wanted = {int(pk) for pk in keep_attachment_ids}
        keep = list(ArticleAttachment.objects.filter(article=locked, pk__in=wanted))
        if len(keep) != len(wanted):
            raise ValidationFailed(
                field_errors={"keep": [_("Choose from the files of this article.")]}
            )
    attachments = _store_files(actor=actor, article=locked, keep=keep, files=files)
    version = ArticleVersion.objects.create(
        article=locked,
        number=(newest.number if newest else 0) + 1,
        proposed_by=actor,
        proposed_at=clock.now(),
        change_note=(change_note or "").strip()[:500],
        **content,
    )
    version.attachments.set(attachments)
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


# --- owner and translation ---------------------------------------------------------------


@transaction.atomic
def article_transfer_request(
    *, actor: User, article: Article, to_department_id: int, note: str = ""
) -> ArticleTransfer:
    """Offer an article to another department. A specialist of the owning department
    offers it; it moves when a specialist of the receiving department accepts, since that
    department answers for its quality from then on. A specialist of both moves it at once."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not can_approve(actor, article):
        raise NotOwningDepartment(
            _("Only a specialist of the department that owns this article may move it.")
        )
    if not department_list().filter(pk=to_department_id).exists():
        raise ValidationFailed(field_errors={"department": [_("Choose a department.")]})
    if to_department_id == article.department_id:
        raise ValidationFailed(
            field_errors={"department": [_("The article already belongs to this department.")]}
        )
    if article.transfers.filter(status=ArticleTransfer.Status.PENDING).exists():
        raise ValidationFailed(
            field_errors={
                "department": [
                    _("The article is already offered to a department: cancel that first.")
                ]
            }
        )
    transfer = ArticleTransfer.objects.create(
        article=article,
        from_department_id=article.department_id,
        to_department_id=to_department_id,
        note=(note or "").strip()[:500],
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit_record(actor=actor, obj=article, action="knowledge.transfer_request")
    if is_specialist_of(actor, to_department_id):
        _transfer_accept(actor, article, transfer, note="")
    return transfer


def _lock_transfer(transfer: ArticleTransfer) -> tuple[Article, ArticleTransfer]:
    article = Article.objects.select_for_update().get(pk=transfer.article_id)
    transfer = ArticleTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != ArticleTransfer.Status.PENDING:
        raise TransferAlreadyDecided()
    return article, transfer


def _transfer_accept(actor, article, transfer, note) -> None:
    now = clock.now()
    transfer.status = ArticleTransfer.Status.ACCEPTED
    transfer.decided_by, transfer.decided_at = actor, now
    transfer.decision_note = (note or "").strip()[:500]
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    before = article.department_id
    article.department_id = transfer.to_department_id
    article.save(update_fields=["department"])
    audit_record(
        actor=actor,
        obj=article,
        action="knowledge.transfer_accept",
        changes={"department": (before, article.department_id)},
    )


@transaction.atomic
def article_transfer_accept(
    *, actor: User, transfer: ArticleTransfer, note: str = ""
) -> ArticleTransfer:
    """The receiving department takes the article over: from now on only its specialists
    approve versions, including those already waiting."""
    article, transfer = _lock_transfer(transfer)
    if not is_specialist_of(actor, transfer.to_department_id):
        raise NotReceivingDepartment()
    _transfer_accept(actor, article, transfer, note)
    return transfer


@transaction.atomic
def article_transfer_decline(
    *, actor: User, transfer: ArticleTransfer, note: str
) -> ArticleTransfer:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(
            field_errors={"note": [_("Say why, so the owning department knows.")]}
        )
    article, transfer = _lock_transfer(transfer)
    if not is_specialist_of(actor, transfer.to_department_id):
        raise NotReceivingDepartment()
    transfer.status = ArticleTransfer.Status.DECLINED
    transfer.decided_by, transfer.decided_at = actor, clock.now()
    transfer.decision_note = note[:500]
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, obj=article, action="knowledge.transfer_decline")
    return transfer


@transaction.atomic
def article_transfer_cancel(*, actor: User, transfer: ArticleTransfer) -> ArticleTransfer:
    article, transfer = _lock_transfer(transfer)
    if not can_approve(actor, article):
        raise NotOwningDepartment(
            _("Only a specialist of the department that owns this article may move it.")
        )
    transfer.status = ArticleTransfer.Status.CANCELLED
    transfer.decided_by, transfer.decided_at = actor, clock.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, obj=article, action="knowledge.transfer_cancel")
    return transfer


def _partner(article: Article) -> Article | None:
    if article.translation_of_id:
        return article.translation_of
    return article.translations.first()


@transaction.atomic
def article_translation_set(
    *, actor: User, article: Article, translation: Article | None
) -> Article:
    """Link an article with its translation (one pair: each has at most one), or unlink it
    (None). Every article whose link changes must be one the actor's department owns: the
    link shows on its pages too."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    current = _partner(article)
    changed = [article, *(a for a in (current, translation) if a is not None)]
    if not all(can_approve(actor, item) for item in changed):
        raise NotOwningDepartment(
            _(
                "Only a specialist of the departments that own both articles may change "
                "their translation link."
            )
        )
    if translation is not None:
        errors = []
        if translation.pk == article.pk:
            errors.append(_("An article cannot be its own translation."))
        elif translation.language == article.language:
            errors.append(_("A translation must be in the other language."))
        else:
            other = _partner(translation)
            if other is not None and other.pk != article.pk:
                errors.append(
                    _("“%(title)s” is already linked to another translation: unlink it there.")
                    % {"title": translation.title or translation.slug}
                )
        if errors:
            raise ValidationFailed(field_errors={"translation": errors})
    before = current.pk if current else None
    # One side holds the link: clear both directions, then set it on this article.
    Article.objects.filter(translation_of=article).update(translation_of=None)
    if translation is not None:
        Article.objects.filter(pk=translation.pk, translation_of=article).update(
            translation_of=None
        )
    article.translation_of = translation
    article.save(update_fields=["translation_of"])
    audit_record(
        actor=actor,
        obj=article,
        action="knowledge.translation",
        changes={"translation": (before, translation.pk if translation else None)},
    )
    return article


# --- use ---------------------------------------------------------------------------------


def article_view_record(*, article: Article) -> None:
    """Count a view in its own narrow table, never on the article row (see ArticleViews)."""
    if not ArticleViews.objects.filter(article_id=article.pk).update(count=F("count") + 1):
        # The first view: create the counter (another request may have just done so).
        ArticleViews.objects.bulk_create(
            [ArticleViews(article_id=article.pk, count=0)], ignore_conflicts=True
        )
        ArticleViews.objects.filter(article_id=article.pk).update(count=F("count") + 1)


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
