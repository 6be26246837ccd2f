"""Logins from verified claims: matching, creating, and roles from groups."""

import pytest

from eenloket.directory.roles import Role
from eenloket.identity import services
from eenloket.identity.exceptions import SsoFailed
from eenloket.identity.models import GroupRoleMapping, IdentityProvider
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(desk):
    provider = IdentityProvider.objects.create(
        organization=desk.organization,
        name="Dordrecht",
        slug="dordrecht",
        issuer="https://login.example/dordrecht",
        client_id="x",
        client_secret_env="X",
    )
    GroupRoleMapping.objects.create(provider=provider, group="sd", role=Role.FIRST_LINE)
    GroupRoleMapping.objects.create(provider=provider, group="adm", role=Role.ADMINISTRATOR)
    GroupRoleMapping.objects.create(
        provider=provider, group="hr", role=Role.SPECIALIST, department=desk.hr
    )
    return provider


def test_the_strongest_mapped_role_wins(idp):
    role, _departments = services.role_from_groups(provider=idp, groups=["hr", "adm"])
    assert role == Role.ADMINISTRATOR


def test_an_administrator_from_groups_may_use_the_django_admin(idp):
    user = services.sso_user_from_claims(
        provider=idp, claims={"sub": "1", "email": "a@dordrecht.nl", "groups": ["adm"]}
    )
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMINISTRATOR, True, True)


def test_leaving_the_group_takes_the_role_away_at_the_next_login(idp):
    claims = {"sub": "1", "email": "a@dordrecht.nl", "groups": ["sd"]}
    services.sso_user_from_claims(provider=idp, claims=claims)
    user = services.sso_user_from_claims(provider=idp, claims={**claims, "groups": []})
    assert user.role == Role.CUSTOMER


def test_a_person_of_another_organization_is_never_matched(idp):
    other = f.OrganizationFactory(name="Gemeente Elders")
    stranger = f.PersonFactory(organization=other, email="a@dordrecht.nl", user=f.UserFactory())
    user = services.sso_user_from_claims(
        provider=idp, claims={"sub": "1", "email": "a@dordrecht.nl"}
    )
    assert user.pk != stranger.user.pk and user.person.organization == idp.organization


def test_a_known_person_without_a_login_gets_one(idp, desk):
    person = f.PersonFactory(organization=desk.organization, email="Piet@Dordrecht.nl")
    user = services.sso_user_from_claims(
        provider=idp, claims={"sub": "7", "email": "piet@dordrecht.nl"}
    )
    person.refresh_from_db()
    assert person.user == user


def test_without_creating_people_an_unknown_person_is_refused(idp):
    idp.create_people = False
    idp.save()
    with pytest.raises(SsoFailed) as refused:
        services.sso_user_from_claims(provider=idp, claims={"sub": "9", "email": "x@dordrecht.nl"})
    assert "nog niet bekend" in str(refused.value.message)


def test_a_deactivated_login_is_refused(idp):
    user = services.sso_user_from_claims(
        provider=idp, claims={"sub": "1", "email": "a@dordrecht.nl"}
    )
    user.is_active = False
    user.save()
    with pytest.raises(SsoFailed):
        services.sso_user_from_claims(provider=idp, claims={"sub": "1", "email": "a@dordrecht.nl"})


def test_the_client_secret_is_stored_encrypted(idp):
    from eenloket.identity.credentials import client_secret_of

    idp.client_secret_env = ""
    idp.save()
    services.provider_set_client_secret(provider=idp, secret="geheim")
    idp.refresh_from_db()
    assert ("geheim" not in idp.client_secret_encrypted, client_secret_of(idp)) == (True, "geheim")
