"""The personal data the knowledge base holds, published for the privacy app: a customer's
votes on articles and what they searched for in the portal."""

from __future__ import annotations

from typing import Any

from eenloket.knowledge.models import ArticleFeedback, PortalSearch


def knowledge_export(*, user_id: int) -> dict[str, Any]:
    return {
        "feedback": [
            {
                "article": feedback.article.slug,
                "helpful": feedback.helpful,
                "at": feedback.at.isoformat(),
            }
            for feedback in ArticleFeedback.objects.filter(user_id=user_id).select_related(
                "article"
            )
        ],
        "portal_searches": [
            {"query": search.query, "at": search.at.isoformat()}
            for search in PortalSearch.objects.filter(user_id=user_id).order_by("at")
        ],
    }


def knowledge_anonymize(*, user_id: int) -> int:
    """Blank what the person searched for; votes stay (their login is anonymized)."""
    return PortalSearch.objects.filter(user_id=user_id).exclude(query="").update(query="")
