"""The access log in a database of its own (optional): set EENLOKET_ACCESSLOG_DATABASE_URL
and the settings add a database alias `accesslog`; this router sends the log's reads, writes
and migrations there and keeps every other table out of it. Without it the log lives in the
default database, in its own table."""

from django.conf import settings

ALIAS = "accesslog"
APP_LABEL = "accesslog"


def has_own_database() -> bool:
    return ALIAS in settings.DATABASES


def access_log_database() -> str:
    return ALIAS if has_own_database() else "default"


class AccessLogRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == APP_LABEL:
            return access_log_database()
        return None

    def db_for_write(self, model, **hints):
        return self.db_for_read(model, **hints)

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if not has_own_database():
            return None
        if app_label == APP_LABEL:
            return db == ALIAS
        # The log's database holds the log only (and Django's migration bookkeeping).
        return db != ALIAS
