"""The knowledge API: search and read with the pages' access rules."""

import pytest

from tests.knowledge.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(desk):
    return publish(desk, title="Laptop start niet op")


@pytest.fixture
def internal(desk):
    return publish(desk, title="Belscript laptop defect", audience="internal")


def test_customers_search_public_articles_only(client, desk, public, internal):
    client.force_login(desk.customer)
    body = client.get("/api/v1/knowledge/articles", {"q": "laptop"}).json()
    assert [item["title"] for item in body["results"]] == ["Laptop start niet op"]


def test_staff_search_internal_articles_too(client, desk, public, internal):
    client.force_login(desk.agent)
    body = client.get("/api/v1/knowledge/articles", {"q": "laptop"}).json()
    assert sorted(item["title"] for item in body["results"]) == [
        "Belscript laptop defect",
        "Laptop start niet op",
    ]


def test_customers_cannot_read_an_internal_article(client, desk, internal):
    client.force_login(desk.customer)
    assert client.get(f"/api/v1/knowledge/articles/{internal.pk}").status_code == 404


def test_a_customer_asking_for_internal_articles_gets_none(client, desk, internal):
    client.force_login(desk.customer)
    body = client.get("/api/v1/knowledge/articles", {"audience": "internal"}).json()
    assert body["results"] == []


def test_reading_an_article(client, desk, public, django_assert_max_num_queries):
    client.force_login(desk.customer)
    with django_assert_max_num_queries(10):
        body = client.get(f"/api/v1/knowledge/articles/{public.pk}").json()
    assert (body["title"], body["audience"], body["body_html"].startswith("<p>")) == (
        "Laptop start niet op",
        "public",
        True,
    )


def test_the_search_api_has_a_fixed_number_of_queries(
    client, desk, public, django_assert_max_num_queries
):
    for n in range(10):
        publish(desk, title=f"Laptop {n}")
    client.force_login(desk.agent)
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/knowledge/articles", {"q": "laptop", "limit": 50}).json()
    assert body["count"] == 11


def test_an_empty_query_lists_articles(client, desk, public):
    client.force_login(desk.customer)
    body = client.get("/api/v1/knowledge/articles", {"q": ""}).json()
    assert [item["title"] for item in body["results"]] == ["Laptop start niet op"]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 51}, {"audience": "everyone"}, {"language": "de"}, {"q": "x" * 1001}],
)
def test_bad_parameters_are_refused(client, desk, params):
    client.force_login(desk.agent)
    assert client.get("/api/v1/knowledge/articles", params).status_code == 400


def test_anonymous_callers_are_refused(client, public):
    assert client.get("/api/v1/knowledge/articles", {"q": "laptop"}).status_code == 401
