"""Collect the accesses of a request and write them when it ends (one INSERT, only when the
request processed someone's data)."""

from eenloket.accesslog.collector import Collector, current
from eenloket.accesslog.services import access_entries_write
from eenloket.core import clock


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
