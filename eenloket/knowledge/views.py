"""Knowledge pages for staff under /werkplek/kennisbank/: search, read, propose, change,
approve, versions with their differences, stale articles, figures; and the ticket panel.

Thin adapters: the selectors decide what the user may see, the services what they may do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eenloket.catalog.selectors import service_list
from eenloket.core.exceptions import EenloketError
from eenloket.core.files import file_response
from eenloket.directory.selectors import department_list
from eenloket.knowledge import forms, selectors, services
from eenloket.knowledge.exceptions import ArticleNotFound, TransferNotFound, VersionNotFound
from eenloket.knowledge.search import MAX_QUERY_CHARS
from eenloket.tickets import selectors as tickets
from eenloket.tickets.exceptions import TicketNotFound

LIST_LIMIT = 50


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_desk_staff:
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except (ArticleNotFound, VersionNotFound, TransferNotFound, TicketNotFound) as exc:
            raise Http404(str(exc.message)) from None

    return login_required(wrapper)


def search_context(request: HttpRequest, *, portal: bool) -> dict[str, Any]:
    """Run the search form of the staff or portal index."""
    departments = list(department_list())
    form = forms.SearchForm(
        request.GET,
        departments=departments,
        services=list(service_list()),
        public_only=portal,
    )
    form.is_valid()  # an invalid filter is shown with its error and otherwise ignored
    data = form.cleaned_data
    filters = selectors.ArticleFilters(
        department_id=data.get("department"),
        service_id=data.get("service"),
        audience=data.get("audience") or None,
        language=data.get("language") or None,
    )
    query = (data.get("q") or request.GET.get("q", "") or "")[: MAX_QUERY_CHARS * 5].strip()
    context: dict[str, Any] = {"form": form, "query": query, "result": None, "articles": None}
    if query:
        context["result"] = selectors.article_search(
            actor=request.user, query=query, filters=filters, portal=portal, limit=20
        )
    else:
        context["articles"] = list(
            selectors.article_list(actor=request.user, filters=filters, portal=portal)[:LIST_LIMIT]
        )
    return context


@staff_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = search_context(request, portal=False)
    context["waiting"] = selectors.proposals_waiting_count(actor=request.user)
    return render(request, "knowledge/index.html", context)


@staff_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for_editing(actor=request.user, article_id=article_id)
    if article.is_published:
        services.article_view_record(article=article)
    versions = selectors.article_versions(article)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": article,
            "translation": selectors.article_translation(article),
            "pending": [v for v in versions if v.status == v.Status.PROPOSED],
            "latest": versions[0] if versions else None,
            "figures": selectors.article_figures(article),
            "can_approve": services.can_approve(request.user, article),
            "attachments": selectors.published_attachments(article),
            "transfer": selectors.transfer_pending(article),
        },
    )


def _uploads(files) -> list[services.FileUpload]:
    return [services.FileUpload(name=file.name, content=file.read()) for file in files]


def _article_form_initial(article, version) -> dict[str, Any]:
    source = version or article
    return {
        "title": source.title,
        "body": source.body,
        "keywords": source.keywords,
        "audience": source.audience,
        "services": version.service_ids if version else [s.pk for s in article.services.all()],
        "review_date": source.review_date,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    departments = list(department_list())
    form_kwargs = {
        "services": list(service_list()),
        "departments": departments,
        "articles": list(selectors.article_list(actor=request.user)),
    }
    if request.method != "POST":
        initial = {"department": next(iter(request.user.departments.all()), None)}
        form = forms.NewArticleForm(initial=initial, **form_kwargs)
        return render(request, "knowledge/edit.html", {"form": form, "article": None})
    form = forms.NewArticleForm(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        data = form.cleaned_data
        translation_of = None
        try:
            if data["translation_of"]:
                translation_of = selectors.article_get(
                    actor=request.user, article_id=data["translation_of"]
                )
            version = services.article_propose(
                actor=request.user,
                department_id=data["department"],
                language=data["language"],
                translation_of=translation_of,
                title=data["title"],
                body=data["body"],
                keywords=data["keywords"],
                audience=data["audience"],
                service_ids=data["services"],
                review_date=data["review_date"],
                change_note=data["change_note"],
                files=_uploads(data["files"]),
            )
        except EenloketError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Your article was saved. It is published once its department approves it."),
            )
            return redirect("knowledge:article", article_id=version.article_id)
    return render(request, "knowledge/edit.html", {"form": form, "article": None}, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for_editing(actor=request.user, article_id=article_id)
    versions = selectors.article_versions(article)
    # Start from the newest text and files: a waiting proposal is improved, not lost.
    newest = versions[0] if versions else None
    attachments = list(newest.attachments.all()) if newest else []
    form_kwargs = {"services": list(service_list()), "attachments": attachments}
    if request.method != "POST":
        initial = _article_form_initial(article, newest)
        initial["keep"] = [item.pk for item in attachments]
        form = forms.ArticleForm(initial=initial, **form_kwargs)
        return render(request, "knowledge/edit.html", {"form": form, "article": article})
    form = forms.ArticleForm(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.article_change_propose(
                actor=request.user,
                article=article,
                title=data["title"],
                body=data["body"],
                keywords=data["keywords"],
                audience=data["audience"],
                service_ids=data["services"],
                review_date=data["review_date"],
                change_note=data["change_note"],
                keep_attachment_ids=data.get("keep", []),
                files=_uploads(data["files"]),
            )
        except EenloketError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Your change was saved. It is published once its department approves it."),
            )
            return redirect("knowledge:article", article_id=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "article": article}, status=400)


def _owner_context(request: HttpRequest, article, **forms_given) -> dict[str, Any]:
    departments = list(department_list())
    return {
        "article": article,
        "can_approve": services.can_approve(request.user, article),
        "transfer": selectors.transfer_pending(article),
        "history": selectors.transfer_history(article),
        "translation": article.translation_of or next(iter(article.translations.all()), None),
        "transfer_form": forms_given.get("transfer_form")
        or forms.TransferForm(departments=departments, current=article.department_id),
        "translation_form": forms_given.get("translation_form")
        or forms.TranslationForm(
            initial={"translation": _translation_id(article)},
            articles=selectors.translation_choices(actor=request.user, article=article),
        ),
        "decision_form": forms_given.get("decision_form") or forms.TransferDecisionForm(),
    }


def _translation_id(article) -> int | None:
    if article.translation_of_id:
        return article.translation_of_id
    other = next(iter(article.translations.all()), None)
    return other.pk if other else None


@staff_required
@require_http_methods(["GET", "POST"])
def owner(request: HttpRequest, article_id: int) -> HttpResponse:
    """Owning department (move to another one) and the translation link."""
    article = selectors.article_get_for_editing(actor=request.user, article_id=article_id)
    if request.method != "POST":
        return render(request, "knowledge/owner.html", _owner_context(request, article))
    action = request.POST.get("action")
    try:
        if action == "transfer":
            form = forms.TransferForm(
                request.POST, departments=list(department_list()), current=article.department_id
            )
            if not form.is_valid():
                return _owner_error(request, article, transfer_form=form)
            try:
                transfer = services.article_transfer_request(
                    actor=request.user,
                    article=article,
                    to_department_id=form.cleaned_data["department"],
                    note=form.cleaned_data["note"],
                )
            except EenloketError as exc:
                forms.apply_error(form, exc)
                return _owner_error(request, article, exc, transfer_form=form)
            if transfer.status == transfer.Status.ACCEPTED:
                messages.success(
                    request,
                    _("The article now belongs to %(department)s.")
                    % {"department": transfer.to_department.name},
                )
            else:
                messages.success(
                    request,
                    _("The article is offered to %(department)s; it moves once they accept.")
                    % {"department": transfer.to_department.name},
                )
        elif action == "translation":
            form = forms.TranslationForm(
                request.POST,
                articles=selectors.translation_choices(actor=request.user, article=article),
            )
            if not form.is_valid():
                return _owner_error(request, article, translation_form=form)
            translation = None
            if form.cleaned_data["translation"]:
                translation = selectors.article_get_for_editing(
                    actor=request.user, article_id=form.cleaned_data["translation"]
                )
            try:
                services.article_translation_set(
                    actor=request.user, article=article, translation=translation
                )
            except EenloketError as exc:
                forms.apply_error(form, exc)
                return _owner_error(request, article, exc, translation_form=form)
            messages.success(request, _("The translation link is saved."))
        else:
            return _owner_error(request, article)
    except ArticleNotFound:
        raise Http404() from None
    return redirect("knowledge:owner", article_id=article.pk)


def _owner_error(request, article, exc: EenloketError | None = None, **forms_given):
    status = 403 if exc is not None and exc.code == "not_owning_department" else 400
    return render(
        request,
        "knowledge/owner.html",
        _owner_context(request, article, **forms_given),
        status=status,
    )


@staff_required
@require_POST
def transfer_decide(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """Accept or decline an article offered to your department, or cancel your offer."""
    transfer = selectors.transfer_get(actor=request.user, transfer_id=transfer_id)
    article = selectors.article_get_for_editing(actor=request.user, article_id=transfer.article_id)
    form = forms.TransferDecisionForm(request.POST)
    if not form.is_valid():
        return _owner_error(request, article, decision_form=form)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == "accept":
            services.article_transfer_accept(actor=request.user, transfer=transfer, note=note)
            messages.success(request, _("Your department now owns this article."))
        elif decision == "decline":
            services.article_transfer_decline(actor=request.user, transfer=transfer, note=note)
            messages.success(request, _("You declined the article; it stays where it was."))
        else:
            services.article_transfer_cancel(actor=request.user, transfer=transfer)
            messages.success(request, _("The offer is cancelled."))
    except EenloketError as exc:
        forms.apply_error(form, exc)
        status = 403 if exc.code in ("forbidden", "not_receiving_department") else 400
        if exc.code == "not_owning_department":
            status = 403
        context = _owner_context(request, article, decision_form=form)
        return render(request, "knowledge/owner.html", context, status=status)
    return redirect("knowledge:article", article_id=article.pk)


@staff_required
@require_GET
def versions(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_for_editing(actor=request.user, article_id=article_id)
    return render(
        request,
        "knowledge/versions.html",
        {"article": article, "versions": selectors.article_versions(article)},
    )


def _render_version(request, article, version, form=None, status=200) -> HttpResponse:
    compare_to = request.GET.get("met")
    if compare_to:
        older = selectors.version_get(article=article, number=compare_to)
    else:
        older = next(
            (
                v
                for v in selectors.article_versions(article)
                if v.number < version.number and v.status == v.Status.APPROVED
            ),
            None,
        )
    return render(
        request,
        "knowledge/version.html",
        {
            "article": article,
            "version": version,
            "older": older,
            "diff": selectors.version_diff(older, version),
            "can_approve": services.can_approve(request.user, article),
            "form": form or forms.DecisionForm(),
        },
        status=status,
    )


@staff_required
@require_GET
def version_detail(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    article = selectors.article_get_for_editing(actor=request.user, article_id=article_id)
    version = selectors.version_get(article=article, number=number)
    return _render_version(request, article, version)


@staff_required
@require_POST
def decide(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    article = selectors.article_get_for_editing(actor=request.user, article_id=article_id)
    version = selectors.version_get(article=article, number=number)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _render_version(request, article, version, form, status=400)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.article_version_approve(
                actor=request.user, version=version, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
        else:
            services.article_version_reject(
                actor=request.user, version=version, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Version %(n)s is rejected.") % {"n": version.number})
    except EenloketError as exc:
        forms.apply_error(form, exc)
        status = 403 if exc.code in ("forbidden", "not_owning_department") else 400
        return _render_version(request, article, version, form, status=status)
    return redirect("knowledge:article", article_id=article.pk)


@staff_required
@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    mine = [d.pk for d in request.user.departments.all()]
    waiting = selectors.proposals_waiting(actor=request.user)
    return render(
        request,
        "knowledge/proposals.html",
        {
            "mine": [v for v in waiting if v.article.department_id in mine],
            "others": [v for v in waiting if v.article.department_id not in mine],
            "offered": selectors.transfers_offered(actor=request.user),
        },
    )


@staff_required
@require_GET
def stale(request: HttpRequest) -> HttpResponse:
    departments = list(department_list())
    try:
        department_id = int(request.GET.get("afdeling") or 0) or None
    except ValueError:
        department_id = None
    if department_id is None and request.GET.get("afdeling") is None:
        department_id = next((d.pk for d in request.user.departments.all()), None)
    return render(
        request,
        "knowledge/stale.html",
        {
            "articles": list(
                selectors.stale_articles(actor=request.user, department_id=department_id)[:500]
            ),
            "departments": departments,
            "department_id": department_id,
        },
    )


@staff_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/figures.html",
        {"rows": selectors.department_figures(actor=request.user)},
    )


@staff_required
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    item = selectors.attachment_get(actor=request.user, attachment_id=attachment_id)
    return file_response(
        item.file.open("rb"), filename=item.filename, content_type=item.content_type
    )


# --- the ticket panel --------------------------------------------------------------------


def _ticket(request: HttpRequest, number: str):
    return tickets.ticket_for_agent(actor=request.user, number=number)


@staff_required
@require_GET
def ticket_panel(request: HttpRequest, number: str) -> HttpResponse:
    """The panel's own search: a fragment for htmx, a page without JavaScript."""
    ticket = _ticket(request, number)
    query = request.GET.get("q", "")[: MAX_QUERY_CHARS * 5]
    panel = selectors.ticket_panel(actor=request.user, ticket=ticket, query=query or None)
    template = (
        "knowledge/includes/ticket_panel_results.html"
        if request.htmx
        else "knowledge/ticket_panel_page.html"
    )
    return render(request, template, {"ticket": ticket, "panel": panel})


@staff_required
@require_POST
def ticket_link(request: HttpRequest, number: str, article_id: int) -> HttpResponse:
    """Link an article to a ticket (and, in the page, insert its answer into the reply)."""
    article = selectors.article_get(actor=request.user, article_id=article_id)
    ticket = _ticket(request, number)
    services.article_link_ticket(actor=request.user, article=article, ticket_number=ticket.number)
    if request.htmx:
        return render(
            request,
            "knowledge/includes/linked.html",
            {"article": article, "ticket": ticket, "inserted": "insert" in request.POST},
        )
    messages.success(
        request,
        _("“%(title)s” is linked to this ticket. Its answer is in the knowledge panel.")
        % {"title": article.title},
    )
    return redirect("workspace:ticket", number=ticket.number)
