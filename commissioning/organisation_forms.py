"""Forms an organisation's administrator uses: its details, budget holders and staff, and the
superuser's form that sets up a new organisation with its first administrator."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm

from .fields import GovukMessagesMixin, MoneyField, RecordChoicesField, WholeNumberField, govuk_formfield
from .models import Area, BudgetHolder, Organisation, Profile
from .models.organisations import charity_number_validator, company_number_validator

NAME_TAKEN = "An organisation with this name is already in the service"
EMAIL_TAKEN = "Someone with this email address already has an account"


class OrganisationForm(GovukMessagesMixin, forms.ModelForm):
    key_decision_threshold = MoneyField(
        label="Key decision threshold (optional)",
        required=False,
        help_text="Spending or savings at or above this make a key decision, for example £500,000",
    )
    call_in_working_days = WholeNumberField(
        label="Working days to call a decision in (optional)",
        required=False,
        min_value=0,
        max_value=60,
        help_text="As the constitution says, for example 5",
    )
    serves = forms.CharField(
        label="Council areas it serves (optional)",
        required=False,
        help_text="As the ONS names them, separated by commas, for example Nottinghamshire, Nottingham. "
        "Lists of areas then offer these, their districts and your own areas, not all of England",
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "website",
            "key_decision_threshold",
            "call_in_working_days",
            "serves",
        ]
        labels = {
            "name": "Name",
            "short_name": "Short name (optional)",
            "kind": "What kind of organisation",
            "website": "Website (optional)",
        }
        help_texts = {"short_name": "As papers abbreviate it, for example NCC"}
        error_messages = {
            "name": {"unique": NAME_TAKEN},
            "website": {
                "invalid": "Enter the website address in the correct format, like https://www.example.gov.uk"
            },
        }

    def __init__(self, *args, commissioners_only=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["serves"] = ", ".join(a.name for a in self.instance.serves.order_by("name"))
        if commissioners_only:
            kinds = {str(kind) for kind in Organisation.COMMISSIONER_KINDS}
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] in kinds or not c[0]
            ]

    def clean_serves(self):
        """Names separated by commas (or one a line), each an English council area or district in
        the ONS reference data; a name not found is named in the message."""
        names = [n.strip() for line in self.cleaned_data["serves"].splitlines() for n in line.split(",")]
        names = [n for n in names if n]
        by_name = {}
        for area in Area.objects.reference().filter(name__in=names):
            by_name[area.name.casefold()] = area
        if len(by_name) < len({n.casefold() for n in names}):
            lowered = {n.casefold(): n for n in names if n.casefold() not in by_name}
            for area in Area.objects.reference():
                if area.name.casefold() in lowered:
                    by_name[area.name.casefold()] = area
            missing = [n for n in names if n.casefold() not in by_name]
            if missing:
                raise forms.ValidationError(
                    f"‘{missing[0]}’ is not an English council area or district: check the spelling "
                    "against the ONS name, for example Nottinghamshire"
                )
        return list({area.pk: area for area in by_name.values()}.values())


def provider_kind_choices():
    commissioners = {str(kind) for kind in Organisation.COMMISSIONER_KINDS}
    return [(value, label) for value, label in Organisation.Kind.choices if value not in commissioners]


class ProviderForm(GovukMessagesMixin, forms.ModelForm):
    """A provider or consortium, as any officer records it: providers are shared by every
    commissioner. A new one whose name is much like one on record waits for the officer to say
    it is a different organisation."""

    different_organisation = forms.BooleanField(
        label="This is a different organisation",
        required=False,
        help_text="Tick this only if it is not one of the organisations listed above",
    )
    # Typed with spaces or in lower case, as people copy them: tidied before the model checks them.
    charity_number = forms.CharField(
        label="Registered charity number (optional)",
        required=False,
        max_length=20,
        help_text="6 to 8 digits, for example 1012345",
    )
    company_number = forms.CharField(
        label="Company number (optional)",
        required=False,
        max_length=20,
        help_text="8 characters, for example 01234567 or SC123456",
    )

    class Meta:
        model = Organisation
        # The members' check boxes refuse a key no row can have (RecordChoicesField).
        formfield_callback = govuk_formfield
        fields = ["name", "short_name", "kind", "members", "charity_number", "company_number", "website"]
        labels = {
            "name": "Name",
            "short_name": "Short name (optional)",
            "kind": "What kind of provider",
            "members": "Members of the consortium (optional)",
            "website": "Website (optional)",
        }
        help_texts = {
            "short_name": "As papers abbreviate it, for example UAVA",
            "members": "For a consortium only: the organisations in it",
        }
        widgets = {"kind": forms.RadioSelect, "members": forms.CheckboxSelectMultiple}
        error_messages = {
            "name": {"unique": NAME_TAKEN},
            "website": {
                "invalid": "Enter the website address in the correct format, like https://www.example.org.uk"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = provider_kind_choices()
        members = Organisation.objects.order_by("name")
        if self.instance.pk:
            members = members.exclude(pk=self.instance.pk)
        self.fields["members"].queryset = members
        # Likely duplicates are looked for when a new provider is saved; the box to go ahead
        # is offered only once some were found.
        self.duplicates = []
        if not self.instance.pk and self.is_bound:
            self.duplicates = Organisation.objects.likely_duplicates(self.data.get("name", ""))
        if not self.duplicates:
            del self.fields["different_organisation"]

    def clean_charity_number(self):
        number = "".join(self.cleaned_data["charity_number"].split())
        if number:
            charity_number_validator(number)
        return number

    def clean_company_number(self):
        number = "".join(self.cleaned_data["company_number"].split()).upper()
        if number:
            company_number_validator(number)
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("members") and cleaned.get("kind") != Organisation.Kind.CONSORTIUM:
            self.add_error(
                "members", "Only a consortium has members: choose Consortium, or untick its members"
            )
        if self.duplicates and not cleaned.get("different_organisation"):
            names = ", ".join(org.name for org in self.duplicates)
            self.add_error(
                "different_organisation",
                f"An organisation with a similar name is already in the service: {names}. "
                "Use that one, or tick “This is a different organisation”",
            )
        return cleaned


class BudgetHolderForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = BudgetHolder
        fields = ["name"]
        labels = {"name": "Name"}
        help_texts = {
            "name": "The department or directorate that holds the budget, for example Public Health"
        }

    def validate_unique(self):
        # The organisation is set by the view, not the form: say so in words if the name is taken.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("name", "Your organisation already has a budget holder with this name")


class OwnAreaForm(GovukMessagesMixin, forms.ModelForm):
    """An area an organisation defines for itself (a lot, sub-region or locality) as a group of
    the shared districts and councils, never of another organisation's areas (nor its own: one
    level of grouping is enough). The owner is set by the view."""

    OWN_KINDS = [Area.Kind.LOT, Area.Kind.SUB_REGION, Area.Kind.LOCALITY]

    districts = RecordChoicesField(
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Districts and councils it is made of",
        help_text="Select every district, unitary or county council the area covers",
    )

    class Meta:
        model = Area
        fields = ["name", "kind", "districts"]
        labels = {"name": "Name", "kind": "Kind of area"}
        help_texts = {"name": "For example, Lot 2 – North or South Nottinghamshire locality"}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in self.OWN_KINDS]
        # The shared areas: the ONS districts and councils, and any a case file brought in.
        self.fields["districts"].queryset = Area.objects.filter(owner=None).order_by("name")
        self.fields["districts"].widget.small = True

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Area.objects.filter(owner=None, name=name).exists():
            raise forms.ValidationError("There is already a shared area with this name: enter another name")
        return name

    def validate_unique(self):
        # The owner is set by the view, not the form: say so in words if the name is taken.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("name", "Your organisation already has an area with this name")


class StaffForm(GovukMessagesMixin, forms.ModelForm):
    """A member of staff as their organisation's administrator sees them: name, role, how they
    sign comments. The e-mail address is their sign-in name and is set when they are invited."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)

    class Meta:
        model = Profile
        fields = ["role", "initials", "job_title", "phone"]
        labels = {
            "role": "Role",
            "job_title": "Job title (optional)",
            "initials": "Initials (optional)",
            "phone": "Phone (optional)",
        }
        help_texts = {"initials": "As they sign comments on papers, for example DD"}
        widgets = {"role": forms.RadioSelect}

    field_order = ["first_name", "last_name", "role", "initials", "job_title", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.instance, "user", None) if self.instance.pk else None
        if user is not None:
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name

    def clean_role(self):
        role = self.cleaned_data["role"]
        profile = self.instance
        if profile.pk and profile.role == Profile.Role.ADMINISTRATOR and role != Profile.Role.ADMINISTRATOR:
            others = Profile.objects.filter(
                organisation_id=profile.organisation_id, role=Profile.Role.ADMINISTRATOR, user__is_active=True
            ).exclude(pk=profile.pk)
            if not others.exists():
                raise forms.ValidationError(
                    "Your organisation needs an administrator: make someone else an administrator first"
                )
        return role

    def save(self, commit=True):
        profile = super().save(commit=False)
        user = profile.user
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        if commit:
            user.save(update_fields=["first_name", "last_name"])
            profile.save()
        return profile


class InviteForm(StaffForm):
    email = forms.EmailField(
        label="Email address",
        max_length=150,
        help_text="They sign in with it; the invitation is sent to it",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.gov.uk"},
    )

    field_order = ["first_name", "last_name", "email", "role", "initials", "job_title", "phone"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def save(self, commit=True):
        user = get_user_model()(
            username=self.cleaned_data["email"],
            email=self.cleaned_data["email"],
            first_name=self.cleaned_data["first_name"].strip(),
            last_name=self.cleaned_data["last_name"].strip(),
        )
        user.set_unusable_password()
        user.save()
        profile = forms.ModelForm.save(self, commit=False)
        profile.user = user
        profile.save()
        return profile


class FirstAdministratorForm(InviteForm):
    """The superuser's part: who runs the new organisation. Their role is administrator."""

    class Meta(InviteForm.Meta):
        fields = ["job_title"]

    field_order = ["first_name", "last_name", "email", "job_title"]

    def clean_role(self):  # not on this form
        return Profile.Role.ADMINISTRATOR

    def save(self, commit=True):
        self.instance.role = Profile.Role.ADMINISTRATOR
        return super().save(commit)


class AcceptInvitationForm(GovukMessagesMixin, SetPasswordForm):
    """Choose a password; Django's password validators say what is wrong with it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password1"].error_messages["required"] = "Enter a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"
        self.error_messages["password_mismatch"] = "The two passwords do not match"
