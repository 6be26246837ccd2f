"""Loads the demo's knowledge base through the knowledge services: proposed by the desk,
approved by a specialist of each owning department. Idempotent (by slug)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction

from eenloket.catalog.models import Service
from eenloket.core import clock
from eenloket.demo.knowledge_articles import ARTICLES, STALE, body
from eenloket.directory.models import Department, User
from eenloket.directory.roles import Role
from eenloket.knowledge.models import Article
from eenloket.knowledge.services import article_propose, article_version_approve


def load_knowledge(*, progress: Callable[[str], None] = lambda message: None) -> int:
    """Publish the demo articles that are not there yet; returns how many articles exist."""
    if not Article.objects.filter(slug__in=[spec.slug for spec in ARTICLES]).count() < len(
        ARTICLES
    ):
        return len(ARTICLES)
    progress("Knowledge articles ...")
    departments = {d.code: d for d in Department.objects.all()}
    services = dict(Service.objects.values_list("code", "id"))
    author = (
        User.objects.filter(role=Role.FIRST_LINE, is_active=True).order_by("id").first()
        or User.objects.filter(role=Role.SPECIALIST).order_by("id").first()
    )
    today = clock.now().date()
    with transaction.atomic():
        for spec in ARTICLES:
            if Article.objects.filter(slug=spec.slug).exists():
                continue
            department = departments[spec.department]
            approver = (
                User.objects.filter(role=Role.SPECIALIST, departments=department, is_active=True)
                .order_by("id")
                .first()
            )
            version = article_propose(
                actor=author,
                department_id=department.pk,
                slug=spec.slug,
                title=spec.title,
                body=body(spec),
                audience=spec.audience,
                language=spec.language,
                keywords=spec.keywords,
                service_ids=[services[code] for code in spec.services if code in services],
                translation_of=(
                    Article.objects.get(slug=spec.translation_of) if spec.translation_of else None
                ),
                change_note="Eerste versie (demo)",
            )
            article_version_approve(actor=approver, version=version, note="Akkoord")
        Article.objects.filter(slug__in=STALE).update(review_date=today - timedelta(days=30))
    return Article.objects.filter(slug__in=[spec.slug for spec in ARTICLES]).count()
