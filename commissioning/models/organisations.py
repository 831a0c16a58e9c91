"""Who commissions, who provides, and where: organisations, budget holders, areas, users."""

import re
import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords


class OrganisationKind(models.TextChoices):
    COUNTY_COUNCIL = "county_council", "County council"
    CITY_COUNCIL = "city_council", "City council"
    UNITARY_COUNCIL = "unitary_council", "Unitary council"
    DISTRICT_COUNCIL = "district_council", "District or borough council"
    LONDON_BOROUGH = "london_borough", "London borough council"
    METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district council"
    OPCC = "opcc", "Police and Crime Commissioner (OPCC)"
    MAYORAL_PCC = "mayoral_pcc", "Mayor's office with PCC functions (MOPAC, a combined authority)"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    FIRE_AUTHORITY = "fire_authority", "Fire and rescue authority"
    HEALTH_BODY = "health_body", "Health body (PCT, CCG)"
    ICB = "icb", "Integrated care board"
    GOVERNMENT_DEPARTMENT = "government_department", "Government department"
    PARTNERSHIP = "partnership", "Statutory partnership or board"
    CHARITY = "charity", "Charity"
    HOUSING_ASSOCIATION = "housing_association", "Housing association (registered social landlord)"
    CONSORTIUM = "consortium", "Consortium"
    COMPANY = "company", "Company or social enterprise"


# Words that do not tell two providers apart: "Victim Support" and "Victim Support Ltd" are one.
NAME_NOISE = frozenset({"the", "ltd", "limited", "cic", "charity", "trust", "plc", "llp", "cio", "inc"})

charity_number_validator = RegexValidator(
    r"^[0-9]{6,8}(-[0-9]+)?$",
    "Enter a charity number of 6 to 8 digits, like 1012345 or 1012345-1",
)
company_number_validator = RegexValidator(
    r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$",
    "Enter a company number of 8 characters, like 01234567 or SC123456",
)


def normalised_name(name: str) -> str:
    """A name as it is compared for likely duplicates: lower case, no accents or punctuation,
    "&" read as "and", without the words that do not tell providers apart (Ltd, CIC, The)."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    text = text.replace("'", "").replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(word for word in text.split() if word not in NAME_NOISE)


class OrganisationQuerySet(models.QuerySet):
    def likely_duplicates(self, name: str, *, exclude_pk=None) -> list:
        """Organisations whose names, normalised, are the same as ``name``'s."""
        wanted = normalised_name(name)
        if not wanted:
            return []
        rows = self.exclude(pk=exclude_pk) if exclude_pk else self
        return [org for org in rows.only("pk", "name", "kind") if normalised_name(org.name) == wanted]


class Organisation(models.Model):
    """A commissioner (a body that pays) or a provider (a body that delivers)."""

    Kind = OrganisationKind

    COMMISSIONER_KINDS = (
        Kind.COUNTY_COUNCIL,
        Kind.CITY_COUNCIL,
        Kind.UNITARY_COUNCIL,
        Kind.DISTRICT_COUNCIL,
        Kind.LONDON_BOROUGH,
        Kind.METROPOLITAN_DISTRICT,
        Kind.OPCC,
        Kind.MAYORAL_PCC,
        Kind.COMBINED_AUTHORITY,
        Kind.FIRE_AUTHORITY,
        Kind.HEALTH_BODY,
        Kind.ICB,
        Kind.GOVERNMENT_DEPARTMENT,
        Kind.PARTNERSHIP,
    )

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=50, blank=True, help_text="As papers abbreviate it: NCC, SCO, UAVA"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="consortia",
        help_text="For a consortium: the organisations in it.",
    )
    website = models.URLField(blank=True)
    charity_number = models.CharField(
        max_length=12, blank=True, validators=[charity_number_validator], help_text="e.g. 1012345"
    )
    company_number = models.CharField(
        max_length=8, blank=True, validators=[company_number_validator], help_text="e.g. 01234567 or SC123456"
    )
    # How this authority publishes decisions (set per authority: the rules are local).
    key_decision_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Spending or savings at or above this make a key decision, e.g. £500,000",
    )
    call_in_working_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Working days after a decision is published in which it can be called in, e.g. 5",
    )
    # Recommissioning (needs assessment, consultation, decision, tender, mobilisation) takes this
    # long before an agreement's end: the key dates put its start that far back.
    procurement_lead_months = models.PositiveSmallIntegerField(
        default=9,
        help_text="Months before an agreement ends that recommissioning must start, e.g. 9",
    )
    # The council areas a commissioner serves (a county council its county; a police and crime
    # commissioner its county and the unitary inside it): area lists offer these and their districts.
    serves = models.ManyToManyField(
        "Area",
        blank=True,
        related_name="served_by",
        help_text="The council areas this organisation serves, e.g. Nottinghamshire and Nottingham",
    )

    history = HistoricalRecords(m2m_fields=[members, serves])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_commissioner(self):
        return self.kind in self.COMMISSIONER_KINDS

    @property
    def label(self):
        return self.short_name or self.name

    @property
    def is_provider(self):
        return not self.is_commissioner


class BudgetHolder(models.Model):
    """A department or directorate inside a commissioner that holds a budget."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="budget_holders")
    name = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="budget_holder_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation.label})"


class AreaKind(models.TextChoices):
    DISTRICT = "district", "District or borough"
    CITY = "city", "City"
    COUNTY = "county", "County"
    SUB_REGION = "sub_region", "Sub-region (several authorities)"
    LOCALITY = "locality", "Locality (group of districts)"
    LOT = "lot", "Lot (districts let together)"


class AreaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The areas a user may see and choose: the reference areas every organisation shares,
        plus their own organisation's (never another's); a superuser sees every area."""
        if user.is_superuser:
            return self
        profile = getattr(user, "profile", None) if user.is_authenticated else None
        if profile is None:
            return self.filter(owner=None)
        return self.filter(models.Q(owner=None) | models.Q(owner_id=profile.organisation_id))

    def reference(self):
        return self.filter(is_reference=True)

    def offered_to(self, user, keep=()):
        """The areas an area list offers the user: where their organisation has said which council
        areas it serves, those areas, their districts, the larger areas made of those districts and
        the organisation's own; otherwise every area they may see. ``keep`` (pks) stays offered:
        a record's current areas never drop out of its own form."""
        visible = self.visible_to(user)
        profile = getattr(user, "profile", None) if user.is_authenticated else None
        if user.is_superuser or profile is None:
            return visible
        served = Area.objects.filter(served_by=profile.organisation_id)
        if not served.exists():
            return visible
        districts = Area.objects.filter(groups__in=served).values("pk")
        near = (
            models.Q(pk__in=served.values("pk"))
            | models.Q(pk__in=districts)
            | models.Q(owner_id=profile.organisation_id)
            | models.Q(pk__in=keep)
            | models.Q(pk__in=Area.objects.filter(districts__in=districts).values("pk"))
        )
        return visible.filter(near)


class Area(models.Model):
    """A place a service covers: a district, or a larger area made of districts.

    Reference areas are loaded from the ONS lookup in commissioning/reference_data (every English
    district and upper-tier council, with its ONS code) and shared by every organisation. An
    organisation's officers define their own areas (lots, sub-regions, localities) as groups of
    districts; only that organisation sees and uses them.
    """

    Kind = AreaKind

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The ONS code of a district or council, like E07000170; blank for other areas.",
    )
    is_reference = models.BooleanField(
        "Reference data",
        default=False,
        help_text="Loaded from the ONS lookup: only a superuser changes it.",
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_areas",
        help_text="The organisation that defined this area; blank for areas every organisation shares.",
    )
    districts = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        help_text="For a larger area: the districts (or other areas) it is made of.",
    )

    history = HistoricalRecords(m2m_fields=[districts])

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AreaKind.values), name="area_kind_valid"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(owner=None), name="area_shared_name_unique"
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=models.Q(owner__isnull=False),
                name="area_name_unique_per_owner",
            ),
            models.UniqueConstraint(
                fields=["ons_code"], condition=~models.Q(ons_code=""), name="area_ons_code_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(is_reference=True, owner__isnull=False),
                name="area_reference_has_no_owner",
            ),
        ]

    def __str__(self):
        return self.name

    def uses(self) -> list[tuple[int, str]]:
        """What names this area, as (count, what) pairs, like (2, "services"): one query for each
        kind of record that can name an area, history aside."""
        found = []
        for rel in self._meta.get_fields(include_hidden=True):
            if not (rel.is_relation and rel.auto_created and not rel.concrete):
                continue
            model = rel.related_model
            if model._meta.auto_created or getattr(rel, "on_delete", None) is models.DO_NOTHING:
                continue  # a many-to-many table, or a history row
            count = model._default_manager.filter(**{rel.field.name: self}).count()
            if count:
                meta = model._meta
                what = str(meta.verbose_name if count == 1 else meta.verbose_name_plural)
                found.append((count, f"larger {what}" if model is Area else what))
        return found


class ProfileRole(models.TextChoices):
    OFFICER = "officer", "Commissioning officer"
    APPROVER = "approver", "Approver (manager, director or cabinet member)"
    FINANCE = "finance", "Finance officer"
    LEGAL = "legal", "Legal officer"
    PARTNER_VIEWER = "partner_viewer", "Partner viewer"
    ADMINISTRATOR = "administrator", "Administrator"


class Profile(models.Model):
    """What the product knows of a user: their organisation and role."""

    Role = ProfileRole

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    job_title = models.CharField(max_length=200, blank=True)
    initials = models.CharField(
        max_length=6, blank=True, help_text="As they sign comments on papers: DD, SHB"
    )
    phone = models.CharField(max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=ProfileRole.values), name="profile_role_valid")
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.organisation.label})"


# Users are deactivated, never deleted, and who changed their name or deactivated them is kept:
# their history lives here (never the password hash or the last sign-in time).
def _record_user_history():
    from django.contrib.auth import get_user_model
    from simple_history import register

    user_model = get_user_model()
    if not hasattr(user_model, "history"):
        register(user_model, app="commissioning", excluded_fields=["password", "last_login"])
        models.signals.pre_save.connect(_no_history_for_sign_ins, sender=user_model, weak=False)


def _no_history_for_sign_ins(sender, instance, update_fields=None, **kwargs):
    """Signing in saves last_login alone: that is not a change to record (sign-ins have their own
    log). django-simple-history skips a save whose instance says so."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        instance.skip_history_when_saving = True
    elif hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving


_record_user_history()
