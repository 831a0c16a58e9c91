"""Forms an organisation's administrator uses: its details, budget holders and staff, and the
superuser's form that sets up a new organisation with its first administrator."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm

from .fields import GovukMessagesMixin, MoneyField, WholeNumberField
from .models import BudgetHolder, Organisation, Profile

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

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "website", "key_decision_threshold", "call_in_working_days"]
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
        if commissioners_only:
            kinds = {str(kind) for kind in Organisation.COMMISSIONER_KINDS}
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] in kinds or not c[0]
            ]


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
