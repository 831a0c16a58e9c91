from .appraisals import (
    AppraisalLocked,
    Criterion,
    CriticalSuccessFactor,
    Option,
    OptionAppraisal,
    OptionLot,
    Score,
)
from .approvals import ApprovalConflict, ApprovalRequest, ApprovalStep
from .cases import Case, CaseContact, CaseDocument, Milestone, RiskLevel
from .choices import ChoiceList, DataGeneration
from .decisions import (
    CapacityFigure,
    Decision,
    Delegation,
    EvidenceFigure,
    MeetingBody,
    MemberQuestion,
    ResolutionPoint,
)
from .exports import ExportJob
from .organisations import Area, BudgetHolder, Organisation, Profile
from .papers import DecisionPaper, PaperSection, PaperType, PaperVersion, SectionDefinition
from .services import FundingContribution, Service
from .signin import SignInAttempt, SignInLockout

__all__ = [
    "AppraisalLocked",
    "CapacityFigure",
    "ApprovalConflict",
    "ApprovalRequest",
    "ApprovalStep",
    "Area",
    "BudgetHolder",
    "Case",
    "CaseContact",
    "ChoiceList",
    "CaseDocument",
    "CriticalSuccessFactor",
    "Criterion",
    "DataGeneration",
    "Decision",
    "DecisionPaper",
    "Delegation",
    "EvidenceFigure",
    "ExportJob",
    "FundingContribution",
    "MeetingBody",
    "MemberQuestion",
    "Milestone",
    "Option",
    "OptionAppraisal",
    "OptionLot",
    "Organisation",
    "PaperSection",
    "PaperType",
    "PaperVersion",
    "Profile",
    "ResolutionPoint",
    "RiskLevel",
    "Score",
    "SectionDefinition",
    "Service",
    "SignInAttempt",
    "SignInLockout",
]
