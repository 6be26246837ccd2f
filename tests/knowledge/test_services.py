"""Proposals, approval by the owning department, versions, use on tickets, deflections."""

from datetime import timedelta

import pytest
import time_machine

from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.core.models import AuditEvent
from eenloket.knowledge import selectors, services
from eenloket.knowledge.exceptions import NotOwningDepartment, VersionAlreadyDecided
from eenloket.knowledge.models import Article, ArticleVersion, PortalSearch
from eenloket.tickets import services as ticket_services
from eenloket.tickets.exceptions import TicketNotFound
from tests import factories as f
from tests.factories import TUESDAY_10
from tests.knowledge.factories import propose, publish

pytestmark = pytest.mark.django_db


# --- approval rules ----------------------------------------------------------------------


def test_a_proposal_is_not_published(desk):
    version = propose(desk)
    article = Article.objects.get(pk=version.article_id)
    assert (article.is_published, version.status) == (False, "proposed")


def test_a_proposal_is_not_found_by_anyone(desk):
    propose(desk, title="Printer werkt niet")
    result = selectors.article_search(actor=desk.agent, query="printer")
    assert result.hits == []


def test_the_owning_departments_specialist_publishes(desk):
    version = propose(desk)
    article = services.article_version_approve(actor=desk.it_specialist, version=version)
    assert (article.is_published, article.title) == (True, "Printer werkt niet")


@pytest.mark.parametrize("who", ["agent", "team_lead", "admin", "hr_specialist", "customer"])
def test_nobody_outside_the_owning_department_publishes(desk, who):
    version = propose(desk)
    with pytest.raises(NotOwningDepartment):
        services.article_version_approve(actor=getattr(desk, who), version=version)
    assert Article.objects.get(pk=version.article_id).is_published is False


def test_a_team_lead_in_the_department_is_no_specialist_and_cannot_publish(desk):
    lead = f.UserFactory(role="team_lead", departments=[desk.it])
    version = propose(desk)
    with pytest.raises(NotOwningDepartment):
        services.article_version_approve(actor=lead, version=version)


def test_a_customer_cannot_propose(desk):
    with pytest.raises(NotAllowed):
        propose(desk, author=desk.customer)
    assert Article.objects.count() == 0


def test_a_version_is_decided_once(desk):
    version = propose(desk)
    services.article_version_approve(actor=desk.it_specialist, version=version)
    with pytest.raises(VersionAlreadyDecided):
        services.article_version_reject(actor=desk.it_specialist, version=version, note="Toch niet")


def test_a_rejection_needs_a_reason(desk):
    version = propose(desk)
    with pytest.raises(ValidationFailed) as error:
        services.article_version_reject(actor=desk.it_specialist, version=version, note=" ")
    version.refresh_from_db()
    assert (list(error.value.field_errors), version.status) == (["note"], "proposed")


def test_a_rejected_proposal_stays_unpublished_with_the_reason(desk):
    version = propose(desk)
    services.article_version_reject(
        actor=desk.it_specialist, version=version, note="Verwijs naar het Softwarecentrum"
    )
    version.refresh_from_db()
    assert (version.status, version.decided_by, version.decision_note) == (
        "rejected",
        desk.it_specialist,
        "Verwijs naar het Softwarecentrum",
    )


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("title", "  ", "title"),
        ("title", "x" * 201, "title"),
        ("body", "", "body"),
        ("body", "x" * 50_001, "body"),
        ("audience", "everyone", "audience"),
        ("service_ids", [999_999], "services"),
        ("language", "de", "language"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(desk, field, value, error_field):
    with pytest.raises(ValidationFailed) as error:
        propose(desk, **{field: value})
    assert (error_field in error.value.field_errors, Article.objects.count()) == (True, 0)


def test_a_translation_must_be_in_the_other_language(desk):
    original = publish(desk)
    with pytest.raises(ValidationFailed) as error:
        propose(desk, translation_of=original, language="nl")
    assert list(error.value.field_errors) == ["translation_of"]


# --- versions ----------------------------------------------------------------------------


def test_a_change_waits_while_the_published_text_stays(desk):
    article = publish(desk, body="Oude tekst")
    services.article_change_propose(
        actor=desk.agent, article=article, title=article.title, body="Nieuwe tekst",
        audience="public",
    )  # fmt: skip
    article.refresh_from_db()
    assert (article.body, article.versions.count()) == ("Oude tekst", 2)


def test_every_version_is_kept_with_who_proposed_and_approved(desk, at_tuesday_10):
    article = publish(desk, body="Eerste tekst")
    change = services.article_change_propose(
        actor=desk.hr_specialist, article=article, title=article.title, body="Tweede tekst",
        audience="public", change_note="Stap toegevoegd",
    )  # fmt: skip
    services.article_version_approve(actor=desk.it_specialist, version=change)
    rows = [
        (v.number, v.body, v.status, v.proposed_by, v.decided_by)
        for v in selectors.article_versions(article)
    ]
    assert rows == [
        (2, "Tweede tekst", "approved", desk.hr_specialist, desk.it_specialist),
        (1, "Eerste tekst", "approved", desk.agent, desk.it_specialist),
    ]


def test_the_diff_shows_removed_and_added_lines(desk):
    article = publish(desk, body="Stap een\nStap twee")
    change = services.article_change_propose(
        actor=desk.agent, article=article, title=article.title, body="Stap een\nStap drie",
        audience="public",
    )  # fmt: skip
    old = selectors.version_get(article=article, number=1)
    diff = [(line.kind, line.text) for line in selectors.version_diff(old, change)]
    assert [d for d in diff if d[0] != "same"] == [("removed", "Stap twee"), ("added", "Stap drie")]


def test_approval_is_in_the_audit_trail(desk):
    article = publish(desk)
    actions = set(
        AuditEvent.objects.filter(object_id=str(article.pk)).values_list("action", flat=True)
    )
    assert {"knowledge.propose", "knowledge.approve"} <= actions


def test_making_an_internal_article_public_needs_approval(desk):
    article = publish(desk, audience="internal")
    services.article_change_propose(
        actor=desk.agent, article=article, title=article.title, body=article.body,
        audience="public",
    )  # fmt: skip
    assert selectors.articles_for(desk.customer).filter(pk=article.pk).exists() is False


def test_withdrawing_takes_the_article_out_of_search(desk):
    article = publish(desk, title="Printer werkt niet")
    services.article_withdraw(actor=desk.it_specialist, article=article)
    assert selectors.article_search(actor=desk.agent, query="printer").hits == []


# --- use -------------------------------------------------------------------------------


def test_resolving_a_ticket_with_a_linked_article_counts_as_a_use(desk, open_ticket):
    article = publish(desk)
    ticket = open_ticket()
    services.article_link_ticket(actor=desk.agent, article=article, ticket_number=ticket.number)
    before = selectors.article_figures(article)["uses"]
    ticket_services.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Harde reset")
    assert (before, selectors.article_figures(article)["uses"]) == (0, 1)


def test_linking_twice_is_one_link(desk, open_ticket):
    article = publish(desk)
    ticket = open_ticket()
    for _ in range(2):
        services.article_link_ticket(actor=desk.agent, article=article, ticket_number=ticket.number)
    assert selectors.article_figures(article)["links"] == 1


def test_a_ticket_out_of_scope_cannot_be_linked(desk, hr_ticket):
    article = publish(desk)
    with pytest.raises(TicketNotFound):
        services.article_link_ticket(
            actor=desk.it_specialist, article=article, ticket_number=hr_ticket.number
        )


def test_the_last_feedback_of_a_person_counts(desk):
    article = publish(desk)
    services.article_feedback_give(actor=desk.customer, article=article, helpful=False)
    services.article_feedback_give(actor=desk.customer, article=article, helpful=True)
    figures = selectors.article_figures(article)
    assert (figures["helpful"], figures["unhelpful"]) == (1, 0)


# --- deflection --------------------------------------------------------------------------


def test_a_search_without_a_request_is_a_deflection(desk):
    article = publish(desk)
    with time_machine.travel(TUESDAY_10, tick=False):
        services.portal_search_record(
            actor=desk.customer, query="laptop", result_count=1, article=article
        )
    settled = services.portal_searches_settle(now=TUESDAY_10 + timedelta(minutes=31))
    assert (settled, selectors.article_figures(article)["deflections"]) == (
        {"deflected": 1, "request": 0},
        1,
    )


def test_a_search_followed_by_a_request_is_no_deflection(desk, open_ticket):
    article = publish(desk)
    with time_machine.travel(TUESDAY_10 - timedelta(minutes=5), tick=False):
        services.portal_search_record(
            actor=desk.customer, query="laptop", result_count=1, article=article
        )
    open_ticket(actor=desk.customer, channel="portal")
    settled = services.portal_searches_settle(now=TUESDAY_10 + timedelta(hours=1))
    assert (settled, PortalSearch.objects.get().outcome) == (
        {"deflected": 0, "request": 1},
        "request",
    )


def test_a_recent_search_is_not_settled_yet(desk):
    with time_machine.travel(TUESDAY_10, tick=False):
        services.portal_search_record(actor=desk.customer, query="laptop", result_count=0)
    settled = services.portal_searches_settle(now=TUESDAY_10 + timedelta(minutes=10))
    assert settled == {"deflected": 0, "request": 0}


def test_an_empty_search_is_not_recorded(desk):
    assert services.portal_search_record(actor=desk.customer, query="  ", result_count=0) is None


def test_version_numbers_count_up(desk):
    article = publish(desk)
    for body in ("twee", "drie"):
        services.article_change_propose(
            actor=desk.agent, article=article, title=article.title, body=body, audience="public"
        )
    assert list(
        ArticleVersion.objects.filter(article=article)
        .order_by("number")
        .values_list("number", flat=True)
    ) == [1, 2, 3]
