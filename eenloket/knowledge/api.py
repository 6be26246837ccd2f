"""The knowledge base in the JSON API: search and read, with the pages' access rules
(customers get published public articles only; staff also internal ones)."""

from __future__ import annotations

from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from eenloket.integrations.api_common import ERRORS
from eenloket.knowledge import selectors, services
from eenloket.knowledge.exceptions import ArticleNotFound

router = Router(tags=["knowledge"])


class SearchParams(Schema):
    q: str = Field("", max_length=1000, description="Free text; empty lists articles by title.")
    department: int | None = None
    service: int | None = None
    audience: Literal["public", "internal"] | None = None
    language: Literal["nl", "en"] | None = None
    limit: int = Field(10, ge=1, le=50)


class ArticleSummary(Schema):
    id: int
    title: str
    language: str
    audience: str
    department: str
    url: str
    snippet: str = ""


class SearchOut(Schema):
    query: str
    corrections: dict[str, str]
    count: int
    results: list[ArticleSummary]


class AttachmentOut(Schema):
    filename: str
    content_type: str
    size: int
    url: str


class ArticleOut(Schema):
    id: int
    slug: str
    title: str
    language: str
    audience: str
    department: str
    services: list[str]
    keywords: str
    body_markdown: str
    body_html: str
    review_date: str | None
    published_at: str | None
    translation_id: int | None
    attachments: list[AttachmentOut] = Field(
        default_factory=list, description="The files of the published version."
    )


def _url(request, article) -> str:
    name = "knowledge:article" if request.user.is_desk_staff else "kb_portal:article"
    return reverse(name, args=[article.pk])


def _summary(request, article, snippet: str = "") -> ArticleSummary:
    return ArticleSummary(
        id=article.pk,
        title=article.title,
        language=article.language,
        audience=article.audience,
        department=article.department.name,
        url=_url(request, article),
        snippet=str(snippet),
    )


@router.get("/articles", response={200: SearchOut, **ERRORS}, summary="Search the knowledge base")
def article_search(request, params: Query[SearchParams]):
    filters = selectors.ArticleFilters(
        department_id=params.department,
        service_id=params.service,
        audience=params.audience,
        language=params.language,
    )
    if params.q.strip():
        result = selectors.article_search(
            actor=request.user, query=params.q, filters=filters, limit=params.limit
        )
        items = [_summary(request, hit.article, hit.snippet) for hit in result.hits]
        corrections = result.corrections
    else:
        articles = selectors.article_list(actor=request.user, filters=filters)[: params.limit]
        items = [_summary(request, article) for article in articles]
        corrections = {}
    return SearchOut(query=params.q, corrections=corrections, count=len(items), results=items)


@router.get(
    "/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Read one article"
)
def article_read(request, article_id: int):
    try:
        article = selectors.article_get(actor=request.user, article_id=article_id)
    except ArticleNotFound as exc:
        raise HttpError(404, str(exc.message)) from None
    services.article_view_record(article=article)
    translation = selectors.article_translation(article)
    return ArticleOut(
        id=article.pk,
        slug=article.slug,
        title=article.title,
        language=article.language,
        audience=article.audience,
        department=article.department.name,
        services=[service.name for service in article.services.all()],
        keywords=article.keywords,
        body_markdown=article.body,
        body_html=article.body_html,
        review_date=article.review_date.isoformat() if article.review_date else None,
        published_at=article.published_at.isoformat() if article.published_at else None,
        translation_id=translation.pk if translation else None,
        attachments=[
            AttachmentOut(
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                url=reverse(
                    "knowledge:attachment"
                    if request.user.is_desk_staff
                    else "kb_portal:attachment",
                    args=[item.pk],
                ),
            )
            for item in selectors.published_attachments(article)
        ],
    )
