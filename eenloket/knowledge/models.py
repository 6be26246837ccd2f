"""Knowledge articles (kennisartikelen), their versions, and how they are used.

An `Article` is the stable identity (owning department, language, translation link) and
carries a copy of its published version, which is what search and pages read. Every proposal
is an `ArticleVersion`; only an approval by a specialist of the owning department copies a
version onto the article. The search index lives next to the article: `index_terms` (stemmed
term weights) here, the postings in `SearchPosting`, and on SQLite an FTS5 table (search.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public (customers and staff)")
    INTERNAL = "internal", _("Internal (staff only)")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class Article(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("owning department"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    # The published content (empty title until the first approval).
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL
    )
    services = models.ManyToManyField(
        "catalog.Service", blank=True, related_name="articles", verbose_name=_("services")
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    published_version = models.ForeignKey(
        "ArticleVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published version"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    # Ranking data kept by the search index: {stem: weighted count} and their sum.
    index_terms = models.JSONField(default=dict, blank=True)
    index_length = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["department", "review_date"], name="article_department_review"),
            models.Index(fields=["audience", "published_at"], name="article_audience"),
            # Search scopes its postings by the published articles a reader may see: this
            # index answers that (and lookups by id) without reading the wide rows.
            models.Index(
                fields=["id", "audience", "department", "language"],
                condition=models.Q(published_version__isnull=False),
                name="article_search_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC


class ArticleViews(models.Model):
    """How often an article was read. Kept out of the article row on purpose: a counter
    there rewrote the wide row on every view, which took its page out of PostgreSQL's
    visibility map until the next vacuum, and every search's scope (an index-only scan of
    the published articles) then read those pages: 10 heap fetches per search after a
    vacuum, 4,197 after 2,000 views at 10,000 articles (docs/knowledge.md, Performance)."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="view_counter"
    )
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views")
        verbose_name_plural = _("article views")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.count}"


class ArticleVersion(models.Model):
    """One proposed content of an article; kept forever, with who proposed and who decided."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    service_ids = models.JSONField(default=list, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    change_note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    # The files of this version: a file is stored once and listed by every version that
    # keeps it, so a proposal adds and removes files like it changes the text.
    attachments = models.ManyToManyField(
        "ArticleAttachment", blank=True, related_name="versions", verbose_name=_("attachments")
    )

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique"),
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="article_version_status")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


def article_attachment_path(instance: "ArticleAttachment", filename: str) -> str:
    return f"knowledge/{instance.sha256[:2]}/{instance.sha256}"


class ArticleAttachment(models.Model):
    """A stored file of an article. Customers see it only while the published version lists
    it; staff see the files of every version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=article_attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ArticleTicketLink(models.Model):
    """An article used on a ticket; once the ticket is resolved it counts as a use."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="article_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("article used on a ticket")
        verbose_name_plural = _("articles used on tickets")
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "ticket"], name="article_ticket_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.ticket_id}"


class ArticleFeedback(models.Model):
    """'Did this answer your question?' One vote per person per article (the last counts)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {'+' if self.helpful else '-'}"


class PortalSearch(models.Model):
    """A customer's search in the portal; settled later as a deflection or a request."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        DEFLECTED = "deflected", _("Answered without a request")
        REQUEST = "request", _("Ended in a request")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=200)
    at = models.DateTimeField()
    result_count = models.PositiveIntegerField(default=0)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="searches"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        verbose_name = _("portal search")
        verbose_name_plural = _("portal searches")
        ordering = ["-at"]
        indexes = [models.Index(fields=["outcome", "at"], name="portal_search_outcome")]

    def __str__(self) -> str:
        return self.query


class SearchTerm(models.Model):
    """The vocabulary of published articles: how many contain each stem (for ranking and
    for correcting typos)."""

    term = models.CharField(max_length=100, unique=True)
    article_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["article_count"], name="search_term_count")]

    def __str__(self) -> str:
        return self.term


class SearchStats(models.Model):
    """One row: how many articles are indexed and their total term weight (for BM25),
    kept by the index so that a search never counts the whole table."""

    articles = models.PositiveIntegerField(default=0)
    total_length = models.PositiveBigIntegerField(default=0)
    # Raised by every change of the index: a process's cached vocabulary is current while
    # its generation equals this one.
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search statistics")
        verbose_name_plural = _("search statistics")

    def __str__(self) -> str:
        return f"{self.articles} articles"


class SearchPosting(models.Model):
    """The inverted index with term weights: one row per stem per published article, so that
    BM25 is summed in the database over the matching rows only (a covering index answers
    it without reading the table)."""

    term = models.CharField(max_length=100)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveIntegerField()  # weighted count: title x3, keywords x2, body x1
    length = models.PositiveIntegerField()  # the article's index_length, for length norm

    class Meta:
        verbose_name = _("search posting")
        verbose_name_plural = _("search postings")
        # All four columns in the key: an index-only scan on both databases.
        indexes = [
            models.Index(
                fields=["term", "article", "weight", "length"], name="search_posting_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.article_id}"


class ArticleTransfer(models.Model):
    """Moving an article to another owning department: offered by a specialist of the
    current owner, accepted by a specialist of the new one (who then answers for it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving department")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transfers")
    from_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from department"),
    )
    to_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to department"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    note = models.CharField(_("why"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("article transfer")
        verbose_name_plural = _("article transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(status="pending"),
                name="article_transfer_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.from_department_id} → {self.to_department_id}"
