"""A filter list of more than TYPEAHEAD_OVER choices is marked for the typeahead, server-side."""

import re

import pytest
from django.urls import reverse

from commissioning.filters import TYPEAHEAD_OVER
from commissioning.models import Organisation
from tests.factories import OrganisationFactory, ServiceFactory


def provider_select(response) -> str:
    return re.search(r'<select name="provider"[^>]*>', response.content.decode()).group(0)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def add_providers(organisation, count):
    for n in range(count):
        provider = OrganisationFactory(name=f"Provider {n:02d}", kind=Organisation.Kind.CHARITY)
        ServiceFactory(commissioner=organisation).providers.add(provider)


@pytest.mark.parametrize(("providers", "typeahead"), [(TYPEAHEAD_OVER, False), (TYPEAHEAD_OVER + 1, True)])
def test_long_lists_are_marked_for_the_typeahead(officer_client, organisation, providers, typeahead):
    add_providers(organisation, providers)
    # Another organisation's providers are not the user's choices and do not count.
    ServiceFactory().providers.add(OrganisationFactory(name="Elsewhere", kind=Organisation.Kind.CHARITY))
    response = officer_client.get(reverse("commissioning:service-list"))
    select = provider_select(response)
    assert ('data-typeahead="true"' in select) is typeahead
    # "Any" and the organisation's own providers.
    page = response.content.decode()
    options = re.search(r'<select name="provider".*?</select>', page, flags=re.S).group(0).count("<option")
    assert options == providers + 1
    # Short lists stay plain.
    assert "data-typeahead" not in re.search(r'<select name="service_type"[^>]*>', page).group(0)
