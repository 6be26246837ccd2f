"""Pages that belong to no single app: the front door and attachment downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from eenloket.core.files import file_response
from eenloket.directory.roles import Role
from eenloket.tickets.exceptions import TicketNotFound
from eenloket.tickets.selectors import attachment_for_actor


@login_required
def home(request):
    """Staff who work tickets land in the workspace, the change lead in the transition,
    everyone else in the portal."""
    if request.user.works_tickets:
        return redirect("workspace:queue")
    if request.user.role == Role.CHANGE_LEAD:
        return redirect("transition:overview")
    return redirect("portal:home")


@login_required
@require_GET
def attachment_download(request, attachment_id: int):
    """Stream an attachment the user may see, always as a download, never rendered inline."""
    try:
        attachment = attachment_for_actor(actor=request.user, attachment_id=attachment_id)
    except TicketNotFound:
        raise Http404 from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return file_response(handle, filename=attachment.filename, content_type=attachment.content_type)
