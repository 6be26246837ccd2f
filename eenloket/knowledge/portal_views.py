"""The public knowledge base in the portal under /portaal/kennisbank/: search, read,
"did this answer your question?", and suggestions while a customer types a request.

Everyone is a customer here, staff too: only published public articles are shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eenloket.knowledge import forms, selectors, services
from eenloket.knowledge.exceptions import ArticleNotFound
from eenloket.knowledge.search import MAX_QUERY_CHARS
from eenloket.knowledge.views import search_context

SUGGESTIONS = 5


def _article(request: HttpRequest, article_id: int):
    try:
        return selectors.article_get(actor=request.user, article_id=article_id, portal=True)
    except ArticleNotFound:
        raise Http404(_("No such article.")) from None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = search_context(request, portal=True)
    result = context["result"]
    if result is not None:
        search = services.portal_search_record(
            actor=request.user, query=context["query"], result_count=len(result.hits)
        )
        context["search_id"] = search.pk if search else None
    return render(request, "knowledge/portal/index.html", context)


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(request, article_id)
    services.article_view_record(article=article)
    search_id = request.GET.get("zoek", "")
    if search_id.isdigit():
        services.portal_search_open(actor=request.user, search_id=int(search_id), article=article)
    elif request.GET.get("onderwerp"):
        # Opened from the suggestions on the request form: that typing was a search too.
        services.portal_search_record(
            actor=request.user,
            query=request.GET["onderwerp"][:MAX_QUERY_CHARS],
            result_count=1,
            article=article,
        )
    return render(
        request,
        "knowledge/portal/article.html",
        {
            "article": article,
            "translation": selectors.article_translation(article),
            "attachments": selectors.published_attachments(article),
            "form": forms.FeedbackForm(),
        },
    )


@login_required
@require_POST
def feedback(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(request, article_id)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes or no."))
        return redirect("kb_portal:article", article_id=article.pk)
    services.article_feedback_give(
        actor=request.user, article=article, helpful=form.cleaned_data["helpful"]
    )
    helpful = form.cleaned_data["helpful"]
    if request.htmx:
        return render(
            request, "knowledge/portal/thanks.html", {"article": article, "helpful": helpful}
        )
    messages.success(
        request,
        _("Thank you, glad we could help.")
        if helpful
        else _("Thank you. Submit a request and we will help you further."),
    )
    return redirect("kb_portal:article", article_id=article.pk)


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Articles matching the subject a customer is typing on the request form (htmx)."""
    subject = request.GET.get("title", "")[:MAX_QUERY_CHARS]
    service = request.GET.get("dienst", "")
    result = selectors.article_search(
        actor=request.user,
        query=subject,
        portal=True,
        limit=SUGGESTIONS,
        service_id=int(service) if service.isdigit() else None,
    )
    return render(
        request, "knowledge/portal/suggestions.html", {"result": result, "subject": subject}
    )


@login_required
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A file of the published version of a public article."""
    try:
        item = selectors.attachment_get(
            actor=request.user, attachment_id=attachment_id, portal=True
        )
    except ArticleNotFound:
        raise Http404(_("No such file.")) from None
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
