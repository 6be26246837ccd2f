"""`{% knowledge_ticket_panel ticket %}`: the knowledge panel on the workspace's ticket page.

A tag, so that the workspace needs one line and no change to its view."""

from django import template

from eenloket.knowledge import selectors

register = template.Library()


@register.inclusion_tag("knowledge/includes/ticket_panel.html", takes_context=True)
def knowledge_ticket_panel(context, ticket):
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "ticket": ticket,
        "panel": selectors.ticket_panel(actor=request.user, ticket=ticket),
    }
