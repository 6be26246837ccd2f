from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import Conflict, EenloketError, NotFound, ValidationFailed


class InvalidToken(EenloketError):
    code = "invalid_token"
    default_message = _("Unknown or revoked exchange token.")


class CallNotFound(NotFound):
    code = "unknown_call"
    default_message = _("No call with this callId is known: send its newCall event first.")


class InvalidEvent(ValidationFailed):
    code = "invalid_event"
    default_message = _("The exchange event is not valid.")


class RecordingRejected(ValidationFailed):
    code = "recording_rejected"
    default_message = _("This recording cannot be stored.")


class RecordingTooLarge(RecordingRejected):
    code = "recording_too_large"


class RecordingExists(Conflict):
    code = "recording_exists"
    default_message = _("This call already has a different recording.")


class RecordingGone(NotFound):
    code = "recording_deleted"
    default_message = _("This recording was deleted after its retention period.")
