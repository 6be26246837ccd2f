from django.core.management.base import BaseCommand

from eenloket.knowledge.search import search_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the knowledge base's search index (postings, vocabulary and the database's "
        "full-text index) from the published articles, e.g. after a restore or a bulk import."
    )

    def handle(self, *args, **options):
        count = search_rebuild(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published articles."))
