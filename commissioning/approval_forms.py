"""Forms for scoring options and acting on approval steps (rendered by the GOV.UK form renderer)."""

from django import forms

from commissioning.fields import GovukMessagesMixin, govuk_formfield, govuk_messages
from commissioning.models import ApprovalStep, Criterion, CriticalSuccessFactor, Score

# The step's version as the page showed it: only a hand-made request sends none or a word.
STALE_PAGE = {"required": "Reload the page and try again", "invalid": "Reload the page and try again"}
MARKS = [("", "Not scored"), *[(str(n), str(n)) for n in range(6)]]


class ScoreSheetForm(forms.Form):
    """One scorer's marks for every short-listed option against every criterion."""

    def __init__(self, *args, appraisal, scorer, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.appraisal, self.scorer = appraisal, scorer
        self.criteria = list(appraisal.criteria.all())
        self.options = options
        existing = {
            (s.option_id, s.criterion_id): s
            for s in Score.objects.filter(scorer=scorer, criterion__appraisal=appraisal)
        }
        self.cells = []
        for option in options:
            for criterion in self.criteria:
                key = f"{option.pk}_{criterion.pk}"
                mine = existing.get((option.pk, criterion.pk))
                self.fields[f"score_{key}"] = forms.TypedChoiceField(
                    label=f"{option} – {criterion.name} ({criterion.weight}%)",
                    choices=MARKS,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=str(mine.score) if mine else "",
                    help_text="0 (does not meet it) to 5 (meets it fully)",
                )
                self.fields[f"rationale_{key}"] = forms.CharField(
                    label="Why this mark",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=mine.rationale if mine else "",
                )
                self.fields[f"dissent_{key}"] = forms.CharField(
                    label="Dissent (if you disagree with the moderated view)",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=mine.dissent if mine else "",
                )
                self.cells.append((option, criterion, key, mine))
        for name, field in self.fields.items():
            govuk_messages(field, name)

    def save(self) -> int:
        """Create, update or clear this scorer's marks; returns how many marks they now hold."""
        kept = 0
        for option, criterion, key, mine in self.cells:
            mark = self.cleaned_data[f"score_{key}"]
            if mark is None:
                if mine is not None:
                    mine.delete()
                continue
            score = mine or Score(option=option, criterion=criterion, scorer=self.scorer)
            score.score = mark
            score.rationale = self.cleaned_data[f"rationale_{key}"].strip()
            score.dissent = self.cleaned_data[f"dissent_{key}"].strip()
            score._history_user = self.scorer
            score.save()
            kept += 1
        return kept


class CriterionForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        formfield_callback = govuk_formfield
        fields = ["name", "weight", "description"]
        labels = {"weight": "Weight (the criteria's weights add up to 100)"}


class CriticalSuccessFactorForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = CriticalSuccessFactor
        fields = ["name", "description"]


class CommentForm(GovukMessagesMixin, forms.Form):
    comment = forms.CharField(
        label="Your comments",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your comments"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_PAGE)


class DecisionForm(GovukMessagesMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            (ApprovalStep.Decision.APPROVED, "Approve"),
            (ApprovalStep.Decision.REJECTED, "Reject"),
            (ApprovalStep.Decision.SENT_BACK, "Send back for changes"),
        ],
        error_messages={"required": "Choose approve, reject or send back"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed to reject or send back",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_PAGE)

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (ApprovalStep.Decision.REJECTED, ApprovalStep.Decision.SENT_BACK)
            and not (data.get("reason") or "").strip()
        ):
            verb = "rejecting" if data["decision"] == ApprovalStep.Decision.REJECTED else "sending it back"
            self.add_error("reason", f"Give the reason for {verb}")
        return data


class ReopenForm(GovukMessagesMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you reopening the approved appraisal?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for reopening the appraisal."},
    )
