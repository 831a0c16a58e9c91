from tests import factories as f


def test_factories_build(db, officer, other_officer, superuser):
    f.FundingContributionFactory()
    f.BudgetHolderFactory()
    f.AreaFactory()
    f.MilestoneFactory()
    f.OptionFactory()
    f.ContractFactory()
    f.ConsultationFactory()
    assert officer.profile.organisation.name == "Staffordshire County Council"
    assert other_officer.profile.organisation.name == "Dorset Council"
    assert superuser.is_superuser
    assert officer.check_password("correct horse battery staple")
