"""Shared by the response tests: a consultation on a case with three options and one named area."""

import pytest

from commissioning.paper_types import ensure_default_paper_types
from tests.factories import (
    AreaFactory,
    CaseFactory,
    ConsultationFactory,
    OptionAppraisalFactory,
    OptionFactory,
)


@pytest.fixture
def consultation(organisation):
    ensure_default_paper_types()
    case = CaseFactory(reference="resp-2026", lead_commissioner=organisation)
    appraisal = OptionAppraisalFactory(case=case)
    for order, (label, name) in enumerate([("A", "Two lots"), ("B", "One county-wide"), ("C", "Grants")]):
        OptionFactory(appraisal=appraisal, label=label, name=name, order=order)
    AreaFactory(name="Mansfield")
    return ConsultationFactory(case=case, title="Future of refuge services", response_count=19)
