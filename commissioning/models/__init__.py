from .appraisals import Option, OptionAppraisal, OptionLot
from .approvals import ApprovalRequest, ApprovalStep
from .cases import Case, CaseContact, CaseDocument, Milestone, RiskLevel
from .organisations import Area, BudgetHolder, Organisation, Profile
from .papers import DecisionPaper, PaperSection, PaperType, SectionDefinition
from .services import FundingContribution, Service

__all__ = [
    "ApprovalRequest",
    "ApprovalStep",
    "Area",
    "BudgetHolder",
    "Case",
    "CaseContact",
    "CaseDocument",
    "DecisionPaper",
    "FundingContribution",
    "Milestone",
    "Option",
    "OptionAppraisal",
    "OptionLot",
    "Organisation",
    "PaperSection",
    "PaperType",
    "Profile",
    "RiskLevel",
    "SectionDefinition",
    "Service",
]
