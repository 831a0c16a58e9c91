"""The signed-in officer's dashboard."""

from datetime import date

from django.views.generic import TemplateView

from commissioning import dashboard
from commissioning.periods import add_months
from contracts import keydates


class DashboardView(TemplateView):
    template_name = "commissioning/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = date.today()
        # Which rows each panel shows, kept for the day between changes to the data.
        selected = dashboard.kept_selection(user, today)
        return super().get_context_data(
            today=today,
            stages=dashboard.open_cases_by_stage(user, selected["stages"]),
            contracts=dashboard.contracts_ending(user, today, selected["contracts"]),
            milestones=dashboard.milestones_due(user, today, selected["milestones"]),
            approvals=dashboard.approvals_waiting(user),
            key_dates=keydates.upcoming(
                user, today, limit=dashboard.KEY_DATES_SHOWN, candidates=selected["key_dates"]
            ),
            contract_horizon=dashboard.CONTRACT_HORIZON_MONTHS,
            contract_horizon_end=add_months(today, dashboard.CONTRACT_HORIZON_MONTHS),
            milestone_horizon=dashboard.MILESTONE_HORIZON_DAYS,
            **kwargs,
        )
