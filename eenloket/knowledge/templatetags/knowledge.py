"""`{% knowledge_ticket_panel ticket %}`: the knowledge panel on the workspace's ticket page.

A tag, so that the workspace needs one line and no change to its view. It runs no query: the
suggestions load from the panel's own view (htmx on load; a link without JavaScript), so the
ticket page's query count and speed stay the workspace's own."""

from django import template

register = template.Library()


@register.inclusion_tag("knowledge/includes/ticket_panel.html", takes_context=True)
def knowledge_ticket_panel(context, ticket):
    return {"request": context["request"], "ticket": ticket}


@register.inclusion_tag("knowledge/portal/answers_section.html", takes_context=True)
def knowledge_portal_answers(context, query):
    """The portal's search page: the public answers that match, above the services."""
    from eenloket.knowledge.selectors import article_search

    request = context["request"]
    result = article_search(actor=request.user, query=query, portal=True, limit=5)
    return {"request": request, "result": result, "query": query}
