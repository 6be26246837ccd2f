"""Files with an article (versioned like its text) and moving an article to another owning
department or changing its translation link."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from eenloket.core.exceptions import ValidationFailed
from eenloket.knowledge import selectors, services
from eenloket.knowledge.exceptions import (
    ArticleNotFound,
    NotOwningDepartment,
    NotReceivingDepartment,
    TransferAlreadyDecided,
)
from eenloket.knowledge.models import Article, ArticleAttachment, ArticleTransfer
from tests import factories as f
from tests.factories import PDF
from tests.knowledge.factories import propose, publish

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name="handleiding.pdf", content=PDF):
    return services.FileUpload(name=name, content=content)


def change(desk, article, **fields):
    fields.setdefault("title", article.title)
    fields.setdefault("body", article.body)
    fields.setdefault("audience", article.audience)
    return services.article_change_propose(actor=desk.agent, article=article, **fields)


def names(files):
    return sorted(item.filename for item in files)


# --- files -------------------------------------------------------------------------------


def test_a_proposed_file_is_published_with_its_version(desk):
    article = publish(desk, files=[upload()])
    assert names(selectors.published_attachments(article)) == ["handleiding.pdf"]


def test_a_file_in_a_waiting_proposal_is_not_shown_to_readers(desk):
    article = publish(desk)
    change(desk, article, files=[upload()])
    article = selectors.article_get(actor=desk.customer, article_id=article.pk)
    assert selectors.published_attachments(article) == []


def test_customers_cannot_download_a_file_that_waits_for_approval(desk):
    article = publish(desk)
    version = change(desk, article, files=[upload()])
    item = version.attachments.get()
    with pytest.raises(ArticleNotFound):
        selectors.attachment_get(actor=desk.customer, attachment_id=item.pk, portal=True)


def test_staff_download_a_waiting_file_to_review_it(desk):
    article = publish(desk)
    item = change(desk, article, files=[upload()]).attachments.get()
    assert selectors.attachment_get(actor=desk.agent, attachment_id=item.pk) == item


def test_a_change_removes_a_file_and_keeps_the_old_version_intact(desk):
    article = publish(desk, files=[upload(), upload("scherm.png", PNG)])
    first = article.published_version
    pdf = first.attachments.get(filename="handleiding.pdf")
    version = change(desk, article, keep_attachment_ids=[pdf.pk])
    article = services.article_version_approve(actor=desk.it_specialist, version=version)
    assert (names(selectors.published_attachments(article)), names(first.attachments.all())) == (
        ["handleiding.pdf"],
        ["handleiding.pdf", "scherm.png"],
    )


def test_a_change_without_a_choice_keeps_the_newest_versions_files(desk):
    article = publish(desk, files=[upload()])
    version = change(desk, article, body="Nieuwe tekst.")
    assert names(version.attachments.all()) == ["handleiding.pdf"]


def test_the_same_file_twice_is_stored_once(desk):
    article = publish(desk, files=[upload()])
    change(desk, article, files=[upload("kopie.pdf")])
    assert ArticleAttachment.objects.filter(article=article).count() == 1


def test_the_diff_shows_added_and_removed_files(desk):
    article = publish(desk, files=[upload()])
    version = change(desk, article, keep_attachment_ids=[], files=[upload("scherm.png", PNG)])
    diff = selectors.version_diff(article.published_version, version)
    changed = {(line.kind, line.text) for line in diff if line.kind != "same"}
    line = gettext("Attachment: %(name)s")
    assert changed == {
        ("removed", line % {"name": "handleiding.pdf"}),
        ("added", line % {"name": "scherm.png"}),
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf"),
        ("leeg.pdf", b""),
        ("script.html", b"<script>alert(1)</script>"),
    ],
)
def test_a_refused_file_refuses_the_whole_proposal_naming_the_file(desk, name, content):
    article = publish(desk)
    with pytest.raises(ValidationFailed) as error:
        change(desk, article, body="Nieuwe tekst.", files=[upload(name, content)])
    assert (name in error.value.field_errors["files"][0], article.versions.count()) == (True, 1)


def test_a_too_large_file_is_refused(desk, settings):
    settings.EENLOKET_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationFailed) as error:
        propose(desk, files=[upload(content=PDF + b"x" * 2000)])
    assert error.value.field_errors["files"][0] == gettext(
        "“%(name)s” is too large: at most %(mb)s MB."
    ) % {"name": "handleiding.pdf", "mb": 0}


def test_at_most_ten_files_per_version(desk):
    files = [upload(f"deel-{n}.pdf", PDF + bytes([n])) for n in range(11)]
    with pytest.raises(ValidationFailed) as error:
        propose(desk, files=files)
    assert error.value.field_errors["files"] == [
        gettext("At most %(n)s attachments per article.") % {"n": 10}
    ]


def test_only_files_of_the_article_can_be_kept(desk):
    other = publish(desk, title="Ander artikel", files=[upload()])
    article = publish(desk)
    foreign = other.published_version.attachments.get()
    with pytest.raises(ValidationFailed) as error:
        change(desk, article, keep_attachment_ids=[foreign.pk])
    assert "keep" in error.value.field_errors


# --- moving to another department --------------------------------------------------------


def test_moving_waits_for_the_receiving_department(desk):
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk, note="HR-vraag"
    )
    article.refresh_from_db()
    assert (transfer.status, article.department) == ("pending", desk.it)


def test_the_receiving_department_accepts_and_then_owns_it(desk):
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
    )
    services.article_transfer_accept(actor=desk.hr_specialist, transfer=transfer)
    article.refresh_from_db()
    assert (article.department, services.can_approve(desk.it_specialist, article)) == (
        desk.hr,
        False,
    )


def test_after_a_move_only_the_new_owner_approves_waiting_versions(desk):
    article = publish(desk)
    waiting = change(desk, article, body="Nieuwe tekst.")
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
    )
    services.article_transfer_accept(actor=desk.hr_specialist, transfer=transfer)
    with pytest.raises(NotOwningDepartment):
        services.article_version_approve(actor=desk.it_specialist, version=waiting)
    published = services.article_version_approve(actor=desk.hr_specialist, version=waiting)
    assert published.body == "Nieuwe tekst."


@pytest.mark.parametrize("who", ["agent", "team_lead", "admin", "hr_specialist"])
def test_only_a_specialist_of_the_owner_offers_an_article(desk, who):
    article = publish(desk)
    with pytest.raises(NotOwningDepartment):
        services.article_transfer_request(
            actor=getattr(desk, who), article=article, to_department_id=desk.hr.pk
        )
    assert ArticleTransfer.objects.count() == 0


@pytest.mark.parametrize("who", ["it_specialist", "agent", "team_lead"])
def test_only_the_receiving_department_accepts(desk, who):
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
    )
    with pytest.raises(NotReceivingDepartment):
        services.article_transfer_accept(actor=getattr(desk, who), transfer=transfer)
    assert Article.objects.get(pk=article.pk).department == desk.it


def test_a_specialist_of_both_departments_moves_at_once(desk):
    both = f.UserFactory(role="specialist", departments=[desk.it, desk.hr])
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=both, article=article, to_department_id=desk.hr.pk
    )
    assert (transfer.status, Article.objects.get(pk=article.pk).department) == (
        "accepted",
        desk.hr,
    )


def test_declining_needs_a_reason_and_leaves_the_owner(desk):
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
    )
    with pytest.raises(ValidationFailed):
        services.article_transfer_decline(actor=desk.hr_specialist, transfer=transfer, note=" ")
    services.article_transfer_decline(
        actor=desk.hr_specialist, transfer=transfer, note="Hoort bij ICT"
    )
    assert (
        ArticleTransfer.objects.get().status,
        Article.objects.get(pk=article.pk).department,
    ) == ("declined", desk.it)


def test_one_offer_at_a_time_and_a_decided_offer_stays_decided(desk):
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
    )
    with pytest.raises(ValidationFailed):
        services.article_transfer_request(
            actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
        )
    services.article_transfer_cancel(actor=desk.it_specialist, transfer=transfer)
    with pytest.raises(TransferAlreadyDecided):
        services.article_transfer_accept(actor=desk.hr_specialist, transfer=transfer)


def test_an_article_cannot_move_to_its_own_department(desk):
    article = publish(desk)
    with pytest.raises(ValidationFailed):
        services.article_transfer_request(
            actor=desk.it_specialist, article=article, to_department_id=desk.it.pk
        )


# --- translation link --------------------------------------------------------------------


def test_linking_a_translation_shows_it_on_both_articles(desk):
    dutch = publish(desk, title="Laptop start niet op")
    english = publish(desk, title="Laptop does not start", language="en")
    services.article_translation_set(actor=desk.it_specialist, article=dutch, translation=english)
    dutch = selectors.article_get(actor=desk.customer, article_id=dutch.pk)
    english = selectors.article_get(actor=desk.customer, article_id=english.pk)
    assert (selectors.article_translation(dutch), selectors.article_translation(english)) == (
        english,
        dutch,
    )


def test_unlinking_removes_the_link_from_both(desk):
    english = publish(desk, title="Laptop does not start", language="en")
    dutch = publish(desk, title="Laptop start niet op")
    services.article_translation_set(actor=desk.it_specialist, article=dutch, translation=english)
    services.article_translation_set(actor=desk.it_specialist, article=english, translation=None)
    assert Article.objects.filter(translation_of__isnull=False).count() == 0


def test_a_translation_in_the_same_language_is_refused(desk):
    one, two = publish(desk, title="Een"), publish(desk, title="Twee")
    with pytest.raises(ValidationFailed):
        services.article_translation_set(actor=desk.it_specialist, article=one, translation=two)


def test_an_article_linked_elsewhere_is_refused(desk):
    dutch = publish(desk, title="Laptop start niet op")
    english = publish(desk, title="Laptop does not start", language="en")
    other = publish(desk, title="Laptop kapot")
    services.article_translation_set(actor=desk.it_specialist, article=dutch, translation=english)
    with pytest.raises(ValidationFailed) as error:
        services.article_translation_set(
            actor=desk.it_specialist, article=other, translation=english
        )
    assert "Laptop does not start" in error.value.field_errors["translation"][0]


def test_linking_another_departments_article_needs_its_specialist(desk):
    dutch = publish(desk, title="Laptop start niet op")
    english = publish(desk, department=desk.hr, title="Requesting leave", language="en")
    with pytest.raises(NotOwningDepartment):
        services.article_translation_set(
            actor=desk.it_specialist, article=dutch, translation=english
        )
    assert Article.objects.get(pk=dutch.pk).translation_of is None


# --- pages -------------------------------------------------------------------------------


def file(name="handleiding.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def form(article, **fields):
    data = {"title": article.title, "body": article.body, "audience": article.audience}
    return data | fields


def test_a_change_with_a_file_through_the_page(client, desk):
    article = publish(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:edit", args=[article.pk]), form(article, files=[file()])
    )
    version = article.versions.order_by("-number").first()
    assert (response.status_code, names(version.attachments.all())) == (302, ["handleiding.pdf"])


def test_the_edit_page_offers_the_newest_files_to_keep(client, desk):
    article = publish(desk, files=[upload()])
    client.force_login(desk.agent)
    html = client.get(reverse("knowledge:edit", args=[article.pk])).content.decode()
    assert ('enctype="multipart/form-data"' in html, 'name="keep"' in html) == (True, True)


def test_unticking_a_file_removes_it_in_the_new_version(client, desk):
    article = publish(desk, files=[upload()])
    client.force_login(desk.agent)
    client.post(reverse("knowledge:edit", args=[article.pk]), form(article, body="Zonder bestand"))
    version = article.versions.order_by("-number").first()
    assert (version.number, list(version.attachments.all())) == (2, [])


def test_a_refused_file_keeps_the_text_and_says_why(client, desk):
    article = publish(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:edit", args=[article.pk]),
        form(article, body="Mijn nieuwe tekst", files=[file("virus.pdf", b"MZ nope")]),
    )
    html = response.content.decode()
    assert (response.status_code, "virus.pdf" in html, "Mijn nieuwe tekst" in html) == (
        400,
        True,
        True,
    )
    assert article.versions.count() == 1


def test_customers_download_a_published_file_in_the_portal(client, desk):
    article = publish(desk, files=[upload()])
    item = article.published_version.attachments.get()
    client.force_login(desk.customer)
    page = client.get(reverse("kb_portal:article", args=[article.pk])).content.decode()
    response = client.get(reverse("kb_portal:attachment", args=[item.pk]))
    assert (reverse("kb_portal:attachment", args=[item.pk]) in page, response.status_code) == (
        True,
        200,
    )
    assert b"".join(response.streaming_content) == PDF


def test_a_file_of_an_internal_article_is_404_in_the_portal(client, desk):
    article = publish(desk, audience="internal", files=[upload()])
    item = article.published_version.attachments.get()
    client.force_login(desk.customer)
    assert client.get(reverse("kb_portal:attachment", args=[item.pk])).status_code == 404


def test_offering_and_accepting_through_the_pages(client, desk):
    article = publish(desk)
    client.force_login(desk.it_specialist)
    client.post(
        reverse("knowledge:owner", args=[article.pk]),
        {"action": "transfer", "department": desk.hr.pk, "note": "Past bij HR"},
    )
    transfer = ArticleTransfer.objects.get()
    client.force_login(desk.hr_specialist)
    offered = client.get(reverse("knowledge:proposals")).context["offered"]
    response = client.post(
        reverse("knowledge:transfer_decide", args=[transfer.pk]), {"decision": "accept"}
    )
    assert (offered, response.status_code, Article.objects.get().department) == (
        [transfer],
        302,
        desk.hr,
    )


def test_the_owner_page_refuses_a_move_by_another_department(client, desk):
    article = publish(desk)
    client.force_login(desk.hr_specialist)
    response = client.post(
        reverse("knowledge:owner", args=[article.pk]),
        {"action": "transfer", "department": desk.hr.pk},
    )
    assert (response.status_code, ArticleTransfer.objects.count()) == (403, 0)
    assert "Only a specialist of the department that owns this article" in (
        response.content.decode()
    )


def test_a_wrong_department_accepting_sees_why(client, desk):
    article = publish(desk)
    transfer = services.article_transfer_request(
        actor=desk.it_specialist, article=article, to_department_id=desk.hr.pk
    )
    client.force_login(desk.agent)
    response = client.post(
        reverse("knowledge:transfer_decide", args=[transfer.pk]), {"decision": "accept"}
    )
    assert (response.status_code, Article.objects.get().department) == (403, desk.it)


def test_linking_a_translation_through_the_page(client, desk):
    dutch = publish(desk, title="Laptop start niet op")
    english = publish(desk, title="Laptop does not start", language="en")
    client.force_login(desk.it_specialist)
    response = client.post(
        reverse("knowledge:owner", args=[dutch.pk]),
        {"action": "translation", "translation": english.pk},
    )
    assert (response.status_code, Article.objects.get(pk=dutch.pk).translation_of) == (
        302,
        english,
    )


def test_a_same_language_translation_shows_the_error(client, desk):
    one, two = publish(desk, title="Een"), publish(desk, title="Twee")
    client.force_login(desk.it_specialist)
    response = client.post(
        reverse("knowledge:owner", args=[one.pk]), {"action": "translation", "translation": two.pk}
    )
    # the other Dutch article is not even offered: the form refuses the choice
    assert (response.status_code, Article.objects.get(pk=one.pk).translation_of) == (400, None)


def test_the_owner_page_has_a_fixed_number_of_queries(client, desk, django_assert_max_num_queries):
    article = publish(desk)
    for n in range(5):
        publish(desk, title=f"Article {n}", language="en")
    client.force_login(desk.it_specialist)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("knowledge:owner", args=[article.pk]))
    assert response.status_code == 200


def test_the_version_page_links_the_files_to_review(client, desk):
    article = publish(desk)
    version = change(desk, article, files=[upload()])
    item = version.attachments.get()
    client.force_login(desk.it_specialist)
    html = client.get(reverse("knowledge:version", args=[article.pk, version.number])).content
    assert reverse("knowledge:attachment", args=[item.pk]) in html.decode()


def test_the_api_lists_the_published_files(client, desk):
    article = publish(desk, files=[upload()])
    client.force_login(desk.customer)
    body = client.get(f"/api/v1/knowledge/articles/{article.pk}").json()
    assert [(a["filename"], a["size"]) for a in body["attachments"]] == [
        ("handleiding.pdf", len(PDF))
    ]
