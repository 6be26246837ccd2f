import pytest

from eenloket.core import refcache
from eenloket.directory.models import Organization
from eenloket.directory.selectors import organizations_cached, queue_first_line
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_cached_value_costs_no_query_the_second_time(django_assert_num_queries):
    f.OrganizationFactory(name="Gemeente Dordrecht")
    organizations_cached()
    with django_assert_num_queries(0):
        assert [o.name for o in organizations_cached().values()] == ["Gemeente Dordrecht"]


def test_a_save_is_seen_at_once():
    organization = f.OrganizationFactory(name="Gemeente Dordrecht")
    organizations_cached()
    organization.name = "Gemeente Dordrecht (oud)"
    organization.save()
    assert organizations_cached()[organization.pk].name == "Gemeente Dordrecht (oud)"


def test_a_delete_is_seen_at_once():
    organization = f.OrganizationFactory(name="Gemeente Dordrecht")
    organizations_cached()
    Organization.objects.filter(pk=organization.pk).delete()
    assert organization.pk not in organizations_cached()


def test_a_change_made_elsewhere_is_seen_after_the_cache_period():
    organization = f.OrganizationFactory(name="Gemeente Dordrecht")
    organizations_cached()
    # Another process's change sends no signal here; a bare UPDATE sends none either.
    Organization.objects.filter(pk=organization.pk).update(name="Gemeente Drechtsteden")
    assert organizations_cached()[organization.pk].name == "Gemeente Dordrecht"
    loaded_at, value = refcache._values["directory.organizations"]
    refcache._values["directory.organizations"] = (loaded_at - refcache.CACHE_SECONDS, value)
    assert organizations_cached()[organization.pk].name == "Gemeente Drechtsteden"


def test_a_removed_default_queue_is_missed_at_once(desk):
    assert queue_first_line() == desk.first_line_queue
    desk.first_line_queue.is_default = False
    desk.first_line_queue.save()
    with pytest.raises(Exception, match="no default first-line queue"):
        queue_first_line()
