"""The worker runs the phone channel's periodic jobs."""

import datetime as dt

import time_machine

from eenloket.channels.phone import services, tasks
from eenloket.core.tasks import PERIODIC_JOBS
from eenloket.privacy.tasks import retention_run
from tests.factories import TUESDAY_10


def test_the_scheduler_knows_the_phone_jobs():
    jobs = {job.name: job for job in PERIODIC_JOBS}
    assert jobs["privacy.retention_run"].resolve_task() is retention_run
    assert jobs["phone.link_calls_to_tickets"].resolve_task() is tasks.link_calls_to_tickets


def test_the_retention_task_deletes_expired_recordings(desk, token, audio, at_tuesday_10):
    cti_token = token[0]
    for name in ("newCall", "answer", "hangup"):
        services.cti_event_receive(
            token=cti_token,
            data={
                "event": name,
                "callId": "t1",
                "direction": "in",
                "from": "0781234567",
                "user": "servicedesk",
                "cause": "normalClearing" if name == "hangup" else "",
            },
        )
    services.recording_store(call_id="t1", content=audio["wav"], token=cti_token)
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=100), tick=False):
        assert retention_run.call() == 1
