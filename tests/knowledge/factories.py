"""Articles for tests, made the only way they can be: proposed, then approved."""

from eenloket.knowledge import services


def publish(desk, *, department=None, approver=None, author=None, **fields):
    """Propose an article and have the owning department approve it (IT by default)."""
    department = department or desk.it
    approver = approver or (desk.it_specialist if department == desk.it else desk.hr_specialist)
    fields.setdefault("title", "Laptop start niet op")
    fields.setdefault("body", "Houd de aan-uitknop 15 seconden ingedrukt en start opnieuw.")
    fields.setdefault("audience", "public")
    version = services.article_propose(
        actor=author or desk.agent, department_id=department.pk, **fields
    )
    return services.article_version_approve(actor=approver, version=version)


def propose(desk, *, department=None, author=None, **fields):
    department = department or desk.it
    fields.setdefault("title", "Printer werkt niet")
    fields.setdefault("body", "Kies de printer FollowMe en houd uw pas tegen de lezer.")
    fields.setdefault("audience", "public")
    return services.article_propose(
        actor=author or desk.agent, department_id=department.pk, **fields
    )
