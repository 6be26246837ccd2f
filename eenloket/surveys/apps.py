from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "eenloket.surveys"
    label = "surveys"

    def ready(self) -> None:
        # The tickets app announces a resolution; the survey invitation follows after commit.
        from eenloket.surveys.services import invitation_create_for_resolved
        from eenloket.tickets.services import on_resolved

        if invitation_create_for_resolved not in on_resolved:
            on_resolved.append(invitation_create_for_resolved)
