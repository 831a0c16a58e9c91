"""The contracts register's export.

Ends and values are the model's own computations (``Contract.current_end``, ``value_to_date``,
``maximum_value``: the same money helpers as the pages), so rows are model rows read in chunks,
each chunk's options, value lines, lots, notices and providers fetched together.
"""

from commissioning.exports import CHUNK_SIZE, Column, Export, labels_by_owner

from .models import Contract


def choice_label(name: str):
    return lambda contract: getattr(contract, f"get_{name}_display")()


class ContractExport(Export):
    columns = [
        Column("Reference", lambda c: c.reference),
        Column("Title", lambda c: c.title),
        Column("Lead commissioner", lambda c: c.lead_commissioner.name),
        Column("Providers", lambda c: c.providers_label),
        Column("Agreement", choice_label("kind")),
        Column("Status", choice_label("status")),
        Column("Route", choice_label("procurement_route")),
        Column("Outcome", choice_label("outcome")),
        Column("Starts", lambda c: c.starts_on),
        Column("Initial term ends", lambda c: c.initial_end),
        Column("Term", lambda c: c.term_summary),
        Column("Current end", lambda c: c.current_end),
        Column("Latest end", lambda c: c.latest_end),
        Column("Annual value", lambda c: c.annual_value, money=True),
        Column("Value to date", lambda c: c.value_to_date, money=True),
        Column("Maximum value", lambda c: c.maximum_value, money=True),
    ]

    def prepare(self):
        self.providers = labels_by_owner(Contract.providers, self.queryset)

    def records(self):
        # iterator() with prefetches fetches the related rows once per chunk of contracts.
        contracts = self.queryset.prefetch_related(None).select_related("lead_commissioner").with_values()
        for contract in contracts.iterator(chunk_size=CHUNK_SIZE):
            contract.providers_label = self.providers.get(contract.pk, "")
            yield contract
