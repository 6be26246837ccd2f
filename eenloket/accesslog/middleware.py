"""Collect the accesses of a request and write them when it ends (one INSERT, only when the
request processed someone's data)."""

from eenloket.accesslog.collector import Collector, current
from eenloket.accesslog.models import Activity, ObjectKind
from eenloket.accesslog.services import access_entries_write, access_note
from eenloket.core import clock

# The Django admin (/beheer/) shows whole records: a person's or a ticket's page there is an
# access too. Its lists are not logged per row (as the inbox is not).
ADMIN_RECORDS = {
    "directory_person": ObjectKind.PERSON,
    "tickets_ticket": ObjectKind.TICKET,
    "phone_call": ObjectKind.CALL,
    "counter_visit": ObjectKind.VISIT,
    "counter_appointment": ObjectKind.APPOINTMENT,
}


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        collector = Collector.start(
            started_at=clock.now(), traceparent=request.headers.get("traceparent", "")
        )
        token = current.set(collector)
        try:
            response = self.get_response(request)  # an exception is a 500 response by now
        finally:
            current.reset(token)
        # Not caught: data must not leave without its log entry (fail closed, a 500).
        access_entries_write(collector=collector, request=request, status=response.status_code)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        object_id = view_kwargs.get("object_id")
        if match is None or match.namespace != "admin" or not object_id:
            return None
        kind = ADMIN_RECORDS.get(match.url_name.rsplit("_", 1)[0])
        if kind is not None:
            person = kind == ObjectKind.PERSON and str(object_id).isdigit()
            access_note(
                kind=kind,
                ref=object_id,
                person_id=int(object_id) if person else None,
                activity=Activity.ADMINISTRATION,
            )
        return None
