import json
import os
from pathlib import Path

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Every claim of the test person, whatever the scope (groups, amr, employee number)."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        config = json.loads((Path(os.environ["TEST_OP_DIR"]) / "config.json").read_text())
        return config["users"][request.user.username]["claims"]
