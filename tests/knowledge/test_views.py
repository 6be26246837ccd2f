"""Knowledge pages: staff under /werkplek/kennisbank/, customers under /portaal/kennisbank/."""

import pytest
from django.urls import reverse

from eenloket.knowledge import selectors
from eenloket.knowledge.models import Article, ArticleTicketLink, ArticleVersion, PortalSearch
from tests.knowledge.factories import propose, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(desk):
    return publish(desk, title="Laptop start niet op", service_ids=[desk.laptop.pk])


@pytest.fixture
def internal(desk):
    return publish(
        desk, title="Belscript laptop defect", audience="internal",
        body="Vraag het inventarisnummer van de laptop.", service_ids=[desk.laptop.pk],
    )  # fmt: skip


# --- staff pages -------------------------------------------------------------------------


def test_staff_search_finds_internal_scripts(client, desk, public, internal):
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:index"), {"q": "laptop"})
    assert sorted(a.title for a in response.context["result"].articles) == [
        "Belscript laptop defect",
        "Laptop start niet op",
    ]


def _queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return len(queries), response


def test_the_staff_search_page_has_a_fixed_number_of_queries(client, desk, public, internal):
    """Session, user, departments, services, index statistics, ranking, the hits (with
    their department), proposals waiting, and the vocabulary (reloaded here since every
    publication changes it): 9, however many hits (no query per hit)."""
    client.force_login(desk.agent)
    few, response = _queries(client, reverse("knowledge:index"), {"q": "laptop"})
    assert len(response.context["result"].hits) == 2
    for n in range(10):
        publish(desk, title=f"Laptop artikel {n}", body="Laptop tekst")
    many, response = _queries(client, reverse("knowledge:index"), {"q": "laptop"})
    assert (len(response.context["result"].hits), few, many) == (12, 9, 9)


def test_the_list_without_a_query_has_a_fixed_number_of_queries(
    client, desk, public, internal, django_assert_max_num_queries
):
    for n in range(10):
        publish(desk, title=f"Artikel {n}")
    client.force_login(desk.agent)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("knowledge:index"))
    assert len(response.context["articles"]) == 12


def test_an_empty_search_lists_articles(client, desk, public):
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:index"), {"q": ""})
    assert [a.title for a in response.context["articles"]] == ["Laptop start niet op"]


def test_a_very_long_query_says_it_was_cut(client, desk, public):
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:index"), {"q": "laptop " * 400})
    assert "only its first 200 characters" in response.content.decode()


def test_customers_have_no_staff_pages(client, desk, public):
    client.force_login(desk.customer)
    assert client.get(reverse("knowledge:index")).status_code == 403


def test_an_article_page_shows_safe_html(client, desk):
    article = publish(desk, body="**Stap 1** <script>alert(1)</script>")
    client.force_login(desk.agent)
    html = client.get(reverse("knowledge:article", args=[article.pk])).content.decode()
    assert ("<strong>Stap 1</strong>" in html, "<script>alert(1)" in html) == (True, False)


def test_proposing_through_the_page_waits_for_approval(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:propose"),
        {"department": desk.it.pk, "language": "nl", "title": "VPN", "body": "Verbind eerst.",
         "audience": "public"},
    )  # fmt: skip
    article = Article.objects.get()
    assert (response.status_code, article.is_published, article.versions.count()) == (302, False, 1)


def test_a_proposal_without_a_title_shows_the_error_and_writes_nothing(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:propose"),
        {
            "department": desk.it.pk,
            "language": "nl",
            "title": "",
            "body": "x",
            "audience": "public",
        },
    )
    assert (response.status_code, Article.objects.count()) == (400, 0)
    assert "There is a problem" in response.content.decode()


def test_a_change_through_the_page_becomes_a_new_version(client, desk, public):
    client.force_login(desk.hr_specialist)
    response = client.post(
        reverse("knowledge:edit", args=[public.pk]),
        {"title": public.title, "body": "Nieuwe stap", "audience": "public",
         "change_note": "Stap toegevoegd"},
    )  # fmt: skip
    assert (response.status_code, public.versions.count()) == (302, 2)


def test_the_owning_specialist_approves_on_the_version_page(client, desk):
    version = propose(desk)
    client.force_login(desk.it_specialist)
    url = reverse("knowledge:decide", args=[version.article_id, version.number])
    response = client.post(url, {"decision": "approve", "note": ""})
    assert (response.status_code, Article.objects.get().is_published) == (302, True)


def test_another_departments_specialist_cannot_approve(client, desk):
    version = propose(desk)
    client.force_login(desk.hr_specialist)
    url = reverse("knowledge:decide", args=[version.article_id, version.number])
    response = client.post(url, {"decision": "approve"})
    assert (response.status_code, Article.objects.get().is_published) == (403, False)
    assert "Only a specialist of the department" in response.content.decode()


def test_the_version_page_shows_the_diff(client, desk, public):
    client.force_login(desk.agent)
    client.post(
        reverse("knowledge:edit", args=[public.pk]),
        {"title": public.title, "body": "Een geheel nieuwe regel", "audience": "public"},
    )
    html = client.get(reverse("knowledge:version", args=[public.pk, 2])).content.decode()
    assert '<span class="kb-diff__sign">+ </span>Een geheel nieuwe regel' in html


def test_an_unknown_version_is_404(client, desk, public):
    client.force_login(desk.agent)
    assert client.get(reverse("knowledge:version", args=[public.pk, 9])).status_code == 404


def test_the_versions_page_lists_every_version(client, desk, public):
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:versions", args=[public.pk]))
    assert "Laptop start niet op" in response.content.decode()


def test_the_stale_list_shows_articles_past_their_review_date(client, desk, public):
    Article.objects.filter(pk=public.pk).update(review_date="2020-01-01")
    client.force_login(desk.it_specialist)
    response = client.get(reverse("knowledge:stale"))
    assert [a.title for a in response.context["articles"]] == ["Laptop start niet op"]


def test_the_figures_page(client, desk, public, open_ticket, django_assert_max_num_queries):
    client.force_login(desk.team_lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("knowledge:figures"))
    rows = {row.department: row.articles for row in response.context["rows"]}
    assert rows == {"IT": 1, "HR": 0}


def test_proposals_waiting_for_my_department(client, desk):
    propose(desk, title="Voor IT")
    propose(desk, title="Voor HR", department=desk.hr)
    client.force_login(desk.it_specialist)
    response = client.get(reverse("knowledge:proposals"))
    assert [v.title for v in response.context["mine"]] == ["Voor IT"]


# --- the ticket panel --------------------------------------------------------------------


def test_the_ticket_page_loads_the_knowledge_panel(client, desk, open_ticket):
    ticket = open_ticket(title="Laptop start niet op")
    client.force_login(desk.agent)
    html = client.get(reverse("workspace:ticket", args=[ticket.number])).content.decode()
    panel_url = reverse("knowledge:panel", args=[ticket.number])
    assert f'hx-get="{panel_url}" hx-trigger="load"' in html


def test_the_panel_suggests_articles_from_the_tickets_text_and_service(
    client, desk, public, internal, open_ticket, django_assert_max_num_queries
):
    ticket = open_ticket(title="Laptop start niet op", description="Zwart scherm")
    client.force_login(desk.agent)
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("knowledge:panel", args=[ticket.number]), headers={"hx-request": "true"}
        )
    assert sorted(hit.article.title for hit in response.context["panel"].suggestions) == [
        "Belscript laptop defect",
        "Laptop start niet op",
    ]


def test_without_matching_words_the_panel_shows_the_services_articles(
    client, desk, public, open_ticket
):
    ticket = open_ticket(title="Help", description="Graag bellen")
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:panel", args=[ticket.number]))
    assert [hit.article.title for hit in response.context["panel"].suggestions] == [
        "Laptop start niet op"
    ]


def test_the_panel_page_works_without_javascript(client, desk, public, open_ticket):
    ticket = open_ticket(title="Laptop start niet op")
    client.force_login(desk.agent)
    response = client.get(reverse("knowledge:panel", args=[ticket.number]))
    assert "Insert into reply" in response.content.decode()


def test_linking_from_the_panel_without_javascript(client, desk, public, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:link", args=[ticket.number, public.pk]), {"insert": "1"}
    )
    assert (response.status_code, ArticleTicketLink.objects.count()) == (302, 1)


def test_linking_with_htmx_answers_a_fragment(client, desk, public, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:link", args=[ticket.number, public.pk]), {"insert": "1"},
        headers={"hx-request": "true"},
    )  # fmt: skip
    assert "Answer inserted into the reply" in response.content.decode()


def test_the_panel_search_answers_a_fragment(client, desk, public, open_ticket):
    ticket = open_ticket(title="Iets anders")
    client.force_login(desk.agent)
    response = client.get(
        reverse("knowledge:panel", args=[ticket.number]), {"q": "laptop"},
        headers={"hx-request": "true"},
    )  # fmt: skip
    assert [hit.article.title for hit in response.context["panel"].suggestions] == [
        "Laptop start niet op"
    ]


def test_a_specialist_cannot_link_to_a_ticket_out_of_scope(client, desk, public, hr_ticket):
    client.force_login(desk.it_specialist)
    response = client.post(reverse("knowledge:link", args=[hr_ticket.number, public.pk]))
    assert (response.status_code, ArticleTicketLink.objects.count()) == (404, 0)


# --- the portal --------------------------------------------------------------------------


def test_customers_find_public_articles_only(client, desk, public, internal):
    client.force_login(desk.customer)
    response = client.get(reverse("kb_portal:index"), {"q": "laptop inventarisnummer"})
    assert [a.title for a in response.context["result"].articles] == ["Laptop start niet op"]


def test_an_internal_article_is_404_in_the_portal(client, desk, internal):
    client.force_login(desk.customer)
    response = client.get(reverse("kb_portal:article", args=[internal.pk]))
    assert response.status_code == 404


def test_an_internal_article_is_404_in_the_portal_for_staff_too(client, desk, internal):
    client.force_login(desk.agent)
    assert client.get(reverse("kb_portal:article", args=[internal.pk])).status_code == 404


def test_an_unpublished_article_is_404_in_the_portal(client, desk):
    version = propose(desk)
    client.force_login(desk.customer)
    response = client.get(reverse("kb_portal:article", args=[version.article_id]))
    assert response.status_code == 404


def test_a_portal_search_is_recorded_and_linked_to_the_article_opened(client, desk, public):
    client.force_login(desk.customer)
    search_id = client.get(reverse("kb_portal:index"), {"q": "laptop"}).context["search_id"]
    client.get(reverse("kb_portal:article", args=[public.pk]), {"zoek": search_id})
    assert PortalSearch.objects.get().article == public


def test_the_portal_search_page_has_a_fixed_number_of_queries(client, desk, public):
    """Session, user, departments, services, index statistics, ranking, the hits, the
    search recorded, and the vocabulary (reloaded after a publication): 9, however many hits."""
    client.force_login(desk.customer)
    few, response = _queries(client, reverse("kb_portal:index"), {"q": "laptop"})
    assert len(response.context["result"].hits) == 1
    for n in range(10):
        publish(desk, title=f"Laptop {n}", body="Laptop tekst")
    many, response = _queries(client, reverse("kb_portal:index"), {"q": "laptop"})
    assert (len(response.context["result"].hits), few, many) == (11, 9, 9)


def test_views_are_counted_without_writing_the_article_row(client, desk, public):
    """The article row is what every search's scope reads from its index: a view must not
    rewrite it (see ArticleViews)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(desk.customer)
    client.get(reverse("kb_portal:article", args=[public.pk]))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("kb_portal:article", args=[public.pk]))
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    client.force_login(desk.agent)
    client.get(reverse("knowledge:article", args=[public.pk]))
    assert (selectors.article_figures(public)["views"], writes) == (
        3,
        [w for w in writes if "knowledge_articleviews" in w],
    )
    assert len(writes) == 1


def test_feedback_counts(client, desk, public):
    client.force_login(desk.customer)
    response = client.post(reverse("kb_portal:feedback", args=[public.pk]), {"helpful": "1"})
    assert (response.status_code, selectors.article_figures(public)["helpful"]) == (302, 1)


def test_feedback_without_an_answer_is_refused(client, desk, public):
    client.force_login(desk.customer)
    client.post(reverse("kb_portal:feedback", args=[public.pk]), {"helpful": "misschien"})
    assert selectors.article_figures(public)["helpful"] == 0


def test_suggestions_while_typing_the_subject(client, desk, public, internal):
    client.force_login(desk.customer)
    response = client.get(
        reverse("kb_portal:suggest"), {"title": "laptop", "dienst": desk.laptop.pk},
        headers={"hx-request": "true"},
    )  # fmt: skip
    assert [hit.article.title for hit in response.context["result"].hits] == [
        "Laptop start niet op"
    ]


def test_opening_a_suggestion_records_the_search(client, desk, public):
    client.force_login(desk.customer)
    client.get(reverse("kb_portal:article", args=[public.pk]), {"onderwerp": "laptop kapot"})
    search = PortalSearch.objects.get()
    assert (search.query, search.article) == ("laptop kapot", public)


def test_the_request_form_shows_the_suggestion_box(client, desk):
    client.force_login(desk.customer)
    response = client.get(reverse("portal:request", args=[desk.laptop.pk]))
    assert 'id="kb-suggest"' in response.content.decode()


def test_the_version_model_keeps_proposals(desk):
    propose(desk)
    assert ArticleVersion.objects.filter(status="proposed").count() == 1
