"""The HTML of a mail in the agent's timeline: served on its own, in a sandboxed frame.

The page never contains the mail's HTML. The frame's document is the HTML sanitized at intake
(nh3), with its own Content-Security-Policy: a sandbox (no script, no same-origin access, no
forms), nothing loaded but the mail's own inline images as data: URLs, and remote images only
after an agent chose to load them for that mail.
"""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import unquote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eenloket.channels.email import selectors, services
from eenloket.channels.email.exceptions import MailNotFound
from eenloket.core.exceptions import EenloketError

SANDBOX = "sandbox allow-popups allow-popups-to-escape-sandbox"
_CID_SRC = re.compile(r'src="cid:([^"]*)"', re.IGNORECASE)


def frame_policy(*, remote_images: bool) -> str:
    images = "data: https: http:" if remote_images else "data:"
    return (
        f"{SANDBOX}; default-src 'none'; img-src {images}; style-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )


def _inbound(request: HttpRequest, inbound_id: int):
    if not request.user.works_tickets:
        raise Http404
    try:
        return selectors.inbound_for_agent(actor=request.user, inbound_id=inbound_id)
    except MailNotFound:
        raise Http404 from None


def _inline(markup: str, images: dict[str, tuple[str, bytes]]) -> str:
    """`cid:` image sources become data: URLs of the stored parts; unknown ones go."""

    def replace(match: re.Match) -> str:
        cid = unquote(html.unescape(match.group(1))).strip("<>")
        if cid not in images:
            return ""
        content_type, content = images[cid]
        return f'src="data:{content_type};base64,{base64.b64encode(content).decode()}"'

    return _CID_SRC.sub(replace, markup)


@login_required
@require_GET
def mail_frame(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound = _inbound(request, inbound_id)
    markup = selectors.mail_frame_html(inbound=inbound)
    cids = ((inbound.entry.data or {}).get("mail") or {}).get("cids") if inbound.entry_id else {}
    markup = _inline(markup, selectors.inline_images(inbound=inbound, cids=cids or {}))
    title = html.escape(_("The mail as sent (HTML)"))
    document = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer"><base target="_blank">'
        f"<title>{title}</title></head><body>{markup}</body></html>"
    )
    response = HttpResponse(document, content_type="text/html; charset=utf-8")
    allowed = inbound.remote_images_allowed_at is not None
    response["Content-Security-Policy"] = frame_policy(remote_images=allowed)
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    # This policy, not the site's: django-csp's middleware leaves an exempt response alone.
    response._csp_exempt = True
    response._csp_exempt_ro = True
    return response


@login_required
@require_POST
def remote_images_allow(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound = _inbound(request, inbound_id)
    try:
        services.mail_remote_images_allow(actor=request.user, inbound_id=inbound.pk)
    except MailNotFound:
        raise Http404 from None
    except EenloketError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The remote images of this mail are loaded."))
    number = selectors.ticket_number_of(inbound=inbound)
    anchor = f"#entry-{inbound.entry_id}" if inbound.entry_id else ""
    return redirect(reverse("workspace:ticket", args=[number]) + anchor)
