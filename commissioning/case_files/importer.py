"""Write a case file into the database: one pass over the file, every row through ``upsert``.

Names in the file are looked up as an officer would: an organisation, area, meeting body or
budget holder the file lists is found by its name or created; one the file only mentions (a
provider, a decision maker) must be listed in the file or already be in the service. Every
mistake found is recorded with its key path and line, and the run goes on where it can, so one
import reports all of a file's mistakes; ``import_case_text`` then rolls everything back.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from . import schema
from .document import Item, Problem
from .rows import Tally, set_links, upsert

# Model fields filled from a file key of another name, for the messages of ``full_clean``.
ATTR_KEYS = {
    "lead_commissioner": "lead",
    "paper_type": "type",
    "due_on": "due",
    "precision": "due",
    "recommended_option": "recommended",
    "recommendation_reasons": "reasons",
    "tier_from": "tiers",
    "tier_to": "tiers",
    "uses_delegation": "uses_delegation",
    "channels": "channels",
    "term_option": "option",
}


def _decision_key(reference: str, title: str) -> str:
    """How the file names a decision elsewhere: its reference, or its title where it has none."""
    return reference or title


class Importer:
    """One import of one file. The names it has met (organisations, services, decisions ...) are
    kept by the name the file uses, for the entries further down that refer to them."""

    def __init__(self, data, *, tally: Tally, problems: list[Problem]):
        self.top = Item(data, "", 1, problems)
        self.problems = problems
        self.t = tally
        self.case = None
        self.orgs = {}
        self.areas = {}
        self.services = {}
        self.appraisals = {}
        self.decisions = {}
        self.delegations = {}
        self.contracts = {}
        self.seen = set()  # (model, natural key) of every row written, to catch entries twice over

    # Reading and writing one entry.
    def read(self, item: Item, entry: schema.Entry, *, only_present=False) -> dict:
        """The plain fields of ``item`` as model values; a missing key is the field's default."""
        item.check_keys(entry.names, entry.what, entry.required)
        model = entry.model_class()
        values = {}
        for key in entry.keys:
            if key.group is not None:
                sub = item.mapping(key.key, key.group.what)
                if sub is not None:
                    values.update(self.read(sub, key.group, only_present=only_present))
                    item.ok = item.ok and sub.ok
                elif not only_present:
                    values.update(
                        {k.attr: model._meta.get_field(k.attr).get_default() for k in key.group.plain_keys()}
                    )
                continue
            if not key.plain or (only_present and not item.has(key.key)):
                continue
            values[key.attr] = self.read_field(item, key, model._meta.get_field(key.attr))
        return values

    def read_field(self, item: Item, key: schema.Key, field):
        default = field.get_default()
        name = key.key
        if isinstance(field, models.DateField):
            return item.date(name, default)
        if isinstance(field, models.DecimalField):
            if key.figure:
                return item.figure(name, default)
            return item.percent(name, default) if key.percent else item.money(name, default)
        if isinstance(field, models.BooleanField):
            return item.boolean(name, default)
        if isinstance(field, models.IntegerField):
            return item.integer(name, default)
        if field.choices:
            what = f"{field.verbose_name} of {field.model._meta.verbose_name}"
            return item.choice(name, [value for value, _ in field.choices], default, what=what)
        return item.text(name, default)

    def save(self, item: Item, entry: schema.Entry, lookup: dict, values: dict, *, again=False, **kwargs):
        """Upsert one row; a rule the model refuses becomes a problem at the key it is about.

        Two entries of the file with the same natural key would be one row, the second
        silently overwriting the first: refused, unless ``again`` (a row written in two steps).
        """
        if not item.ok:
            return None
        signature = (entry.model, tuple(sorted((k, getattr(v, "pk", v)) for k, v in lookup.items())))
        if signature in self.seen and not again:
            keys = [self.key_of(entry, attr) for attr in lookup]
            keys = " and ".join(k for k in keys if k) or "keys"
            item.error("", f"another entry in this file is {entry.what} with the same {keys}")
            return None
        self.seen.add(signature)
        values = {k: v for k, v in values.items() if k not in lookup}
        try:
            return upsert(self.t, entry.model_class(), lookup, values, **kwargs)
        except ValidationError as error:
            messages = (
                error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            )
            for attr, texts in messages.items():
                key = self.key_of(entry, attr) if attr != NON_FIELD_ERRORS else ""
                for text in texts:
                    item.error(key, text.rstrip("."))
            return None

    @staticmethod
    def key_of(entry: schema.Entry, attr: str) -> str:
        """The file's key for a model field, "" for a field the file does not hold (the case)."""
        return entry.key_for_attr(attr) or ATTR_KEYS.get(attr) or (attr if attr in entry.names else "")

    # Names of other rows. Organisations and areas are shared by every case: one the file does not
    # list may already be in the service.
    def named(self, item: Item, key: str, name: str, kind: str, index=None, blocks=True):
        from commissioning.models import Area, Organisation

        cache, model, section = {
            "organisation": (self.orgs, Organisation, "organisations"),
            "area": (self.areas, Area, "areas"),
        }[kind]
        if name in cache:  # listed in this file (None when its entry has mistakes of its own)
            if cache[name] is None and blocks:
                item.ok = False  # the row cannot be written; its mistake is already reported
            return cache[name]
        found = model.objects.filter(name=name)
        if model is Area:  # a name in a case file is a shared area's, never an organisation's own
            found = found.filter(owner=None)
        obj = found.first()
        if obj is None:
            item.error(key, f"no {kind} '{name}': list it under {section}", index=index, blocks=blocks)
        return obj

    def named_at(self, item: Item, key: str, kind: str):
        name = item.text(key)
        return self.named(item, key, name, kind) if name else None

    def all_named_at(self, item: Item, key: str, kind: str) -> list:
        found = [
            self.named(item, key, n, kind, index=i, blocks=False) for i, n in enumerate(item.strings(key))
        ]
        return [o for o in found if o is not None]

    def organisation_at(self, item: Item, key: str):
        return self.named_at(item, key, "organisation")

    def organisations_at(self, item: Item, key: str) -> list:
        return self.all_named_at(item, key, "organisation")

    def area_at(self, item: Item, key: str):
        return self.named_at(item, key, "area")

    def areas_at(self, item: Item, key: str) -> list:
        return self.all_named_at(item, key, "area")

    # An entry the file lists but that has mistakes of its own is held as None: rows naming it are
    # not told it is missing, which would only repeat its mistakes.
    def service(self, item: Item, key: str, name: str, index=None, blocks=True):
        obj = self.services.get(name)
        if obj is None and name in self.services and blocks:
            item.ok = False
        if name not in self.services:
            message = f"no service '{name}' in this file: list it under services"
            item.error(key, message, index=index, blocks=blocks)
        return obj

    def decision(self, item: Item, key: str):
        name = item.text(key)
        if not name:
            return None
        obj = self.decisions.get(name)
        if name not in self.decisions:
            item.error(
                key,
                f"no decision '{name}' in this file: name a decision by its reference, or by "
                "its title where it has none",
            )
        return obj

    def contract(self, item: Item, key: str, reference: str, index=None, blocks=True):
        """A contract of this file, or one already in the service, by its reference."""
        from contracts.models import Contract

        if reference in self.contracts:
            if self.contracts[reference] is None and blocks:
                item.ok = False
            return self.contracts[reference]
        contract = Contract.objects.filter(reference=reference).first()
        if contract is None:
            item.error(key, f"no contract '{reference}'", index=index, blocks=blocks)
        return contract

    def unpublished(self, item: Item, entry: schema.Entry, values: dict) -> list[str]:
        """``not_published:`` the facts the sources leave out, by their keys, as the model holds
        them (its field names). A fact so marked is left empty, as the forms require."""
        facts = schema.unpublished_facts(entry)
        marked = []
        for index, key in enumerate(item.strings("not_published")):
            if key not in facts:
                item.error(
                    "not_published",
                    f"'{key}' is not a fact {entry.what} can leave unpublished; choose from: "
                    f"{', '.join(facts)}",
                    index=index,
                    blocks=False,
                )
                continue
            if values.get(facts[key]) not in (None, ""):
                item.error(key, "leave this out: not_published says the sources do not publish it")
            if facts[key] not in marked:
                marked.append(facts[key])
        return marked

    def appraisal(self, item: Item, key: str):
        title = item.text(key)
        if not title:
            return None
        obj = self.appraisals.get(title)
        if title not in self.appraisals:
            item.error(key, f"no option appraisal '{title}' in this file")
        return obj

    # The file, section by section, in the order rows depend on each other.
    def run(self):
        from commissioning.paper_types import ensure_default_paper_types

        top = self.top
        top.check_keys(schema.TOP_LEVEL, "a case file", required=("format", "case"))
        version = top.raw("format")
        if version != schema.FORMAT:
            if top.has("format"):
                top.error(
                    "format",
                    f"this service reads case files of format {schema.FORMAT}, not {version}",
                )
            return None
        ensure_default_paper_types()
        self.organisations(top.items("organisations", "organisations"))
        self.read_areas(top.items("areas", "areas"))
        case_item = top.mapping("case", "the case")
        if case_item is None:
            return None
        self.case = self.read_case(case_item)
        if self.case is None:
            return None
        self.case_rows("critical_success_factors", "critical success factors", schema.CRITICAL_SUCCESS_FACTOR)
        services = [self.read_service(item) for item in top.items("services", "services")]
        set_links(self.t, self.case, "services", [s for s in services if s is not None])
        self.case_rows("evidence", "evidence figures", schema.EVIDENCE, ("label", "unit", "period", "area"))
        self.case_rows("capacity", "capacity figures", schema.CAPACITY, ("label",), ordered=False)
        for item in top.items("appraisals", "option appraisals"):
            self.read_appraisal(item)
        decision_items = [(item, self.read_decision(item)) for item in top.items("decisions", "decisions")]
        for item, decision in decision_items:
            self.read_uses_delegation(item, decision)
        for item in top.items("milestones", "milestones"):
            self.read_milestone(item)
        self.case_rows("contacts", "contacts", schema.CONTACT)
        positions = {}
        for item in top.items("documents", "documents"):
            values = self.read(item, schema.DOCUMENT)
            positions[values.get("kind")] = positions.get(values.get("kind"), 0) + 1
            self.save(
                item,
                schema.DOCUMENT,
                {"case": self.case, "kind": values.get("kind"), "title": values.get("title")},
                {**values, "order": positions[values.get("kind")]},
            )
        # A contract may follow one further down the file: predecessors are linked once all are in.
        contract_items = [(item, self.read_contract(item)) for item in top.items("contracts", "contracts")]
        for item, contract in contract_items:
            self.read_predecessor(item, contract)
        for item in top.items("consultations", "consultations"):
            self.read_consultation(item)
        for item in top.items("foi_requests", "FOI requests"):
            self.read_foi_request(item)
        for item in top.items("papers", "papers"):
            self.read_paper(item)
        return self.case

    def case_rows(self, key: str, what: str, entry: schema.Entry, natural=("name",), *, ordered=True):
        """Rows of the case alone (its contacts, evidence ...), found again by the model fields
        ``natural``; ``ordered``: their position in the file is their order."""
        for number, item in enumerate(self.top.items(key, what), 1):
            values = self.read(item, entry)
            lookup = {"case": self.case, **{attr: values.get(attr) for attr in natural}}
            self.save(item, entry, lookup, {**values, "order": number} if ordered else values)

    def organisations(self, items):
        """Create or update every listed organisation first, so members can name one another."""
        from commissioning.models import BudgetHolder, Organisation

        entry = schema.ORGANISATION
        saved = []
        for item in items:
            # Organisations are shared between cases: only the keys the file gives are changed.
            values = self.read(item, entry, only_present=True)
            name = values.pop("name", "")
            if not name:
                continue
            if not Organisation.objects.filter(name=name).exists() and "kind" not in values:
                item.error("", f"enter the kind of '{name}' ('kind:' is missing): it is new to this service")
            org = self.save(item, entry, {"name": name}, values)
            self.orgs[name] = org
            if org is None:
                continue
            saved.append((item, org))
            for index, holder in enumerate(item.strings("budget_holders")):
                if len(holder) > 200:
                    item.error("budget_holders", "must be 200 characters or fewer", index=index)
                    continue
                upsert(self.t, BudgetHolder, {"organisation": org, "name": holder})
            for body in item.items("meeting_bodies", "meeting bodies"):
                body_values = self.read(body, schema.MEETING_BODY)
                self.save(
                    body,
                    schema.MEETING_BODY,
                    {"organisation": org, "name": body_values.get("name")},
                    body_values,
                )
        for item, org in saved:
            if item.has("members"):
                set_links(self.t, org, "members", self.organisations_at(item, "members"))

    def read_areas(self, items):
        from commissioning.models import Area

        saved = []
        for item in items:
            values = self.read(item, schema.AREA, only_present=True)
            name = values.pop("name", "")
            if not name:
                continue
            shared = Area.objects.filter(name=name, owner=None).first()
            if shared is not None and shared.is_reference:
                # Reference data (an ONS district or council) is matched by name, never changed.
                self.areas[name] = shared
                continue
            if shared is None and "kind" not in values:
                item.error("", f"enter the kind of '{name}' ('kind:' is missing): it is new to this service")
            area = self.save(item, schema.AREA, {"name": name, "owner": None}, values)
            self.areas[name] = area
            if area is not None:
                saved.append((item, area))
        for item, area in saved:
            if item.has("districts"):
                set_links(self.t, area, "districts", self.areas_at(item, "districts"))

    def read_case(self, item):
        values = self.read(item, schema.CASE)
        values["lead_commissioner"] = self.organisation_at(item, "lead")
        partners = self.organisations_at(item, "partners")
        case = self.save(item, schema.CASE, {"reference": values.get("reference")}, values)
        if case is not None:
            set_links(self.t, case, "partners", partners)
        return case

    def read_service(self, item):
        values = self.read(item, schema.SERVICE)
        commissioner = self.organisation_at(item, "commissioner")
        people = item.strings("people") if item.has("people") else ["victims"]
        levels = item.strings("risk_levels")
        for words, flags, what in (
            (people, schema.PEOPLE, "people a service is for"),
            (levels, schema.RISK_LEVELS, "risk level"),
        ):
            for index, word in enumerate(words):
                if word not in flags:
                    key = "people" if flags is schema.PEOPLE else "risk_levels"
                    item.error(key, f"'{word}' is not one of the {what}: {', '.join(flags)}", index=index)
        values |= {attr: word in people for word, attr in schema.PEOPLE.items()}
        values |= {attr: word in levels for word, attr in schema.RISK_LEVELS.items()}
        values["tier_from"], values["tier_to"] = self.read_tiers(item)
        areas = self.areas_at(item, "areas")
        providers = self.organisations_at(item, "providers")
        name = values.get("name", "")
        if name in self.services:
            item.error("name", "another service in this file has this name; give each its own name")
            return None
        service = self.save(item, schema.SERVICE, {"commissioner": commissioner, "name": name}, values)
        self.services[name] = service
        if service is None:
            return None
        set_links(self.t, service, "areas", areas)
        set_links(self.t, service, "providers", providers)
        for funding in item.items("funding", "funding contributions"):
            self.read_funding(funding, service)
        for referral in item.items("referrals", "referral counts"):
            self.read_referral(referral, service=service, contract=None)
        return service

    def read_tiers(self, item):
        """``tiers: 1-4`` (Tier 1 to Tier 4), ``tiers: 2`` (Tier 2 alone)."""
        value = item.raw("tiers")
        if value is None:
            return None, None
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        parts = str(value).replace(" to ", "-").split("-")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            return int(parts[0]), int(parts[1])
        item.error("tiers", f"enter tiers like 1-4, or one tier like 2; not '{value}'")
        return None, None

    def read_funding(self, item, service):
        values = self.read(item, schema.FUNDING)
        commissioner = self.organisation_at(item, "commissioner")
        holder_name = item.text("budget_holder")
        values["budget_holder"] = None
        if holder_name and commissioner is not None:
            values["budget_holder"] = commissioner.budget_holders.filter(name=holder_name).first()
            if values["budget_holder"] is None:
                item.error(
                    "budget_holder",
                    f"no budget holder '{holder_name}' of {commissioner.name}: list it under the "
                    "organisation's budget_holders",
                )
        values["ring_fenced_area"] = self.area_at(item, "ring_fenced_area")
        # A council may fund one service from two of its budgets in a year: one row each.
        lookup = {
            "service": service,
            "commissioner": commissioner,
            "financial_year": values.get("financial_year"),
            "budget_holder": values["budget_holder"],
        }
        self.save(item, schema.FUNDING, lookup, values)

    def read_referral(self, item, *, service, contract):
        values = self.read(item, schema.REFERRAL)
        if contract is not None:
            if not item.has("service"):
                item.error("", "enter the service the referrals were to ('service:' is missing)")
                return
            service = self.service(item, "service", item.text("service"))
        elif item.has("service"):
            item.error("service", "a service's own referral counts need no service; leave it out")
        area = self.area_at(item, "area")
        lookup = {"service": service, "period_label": values.get("period_label"), "area": area}
        self.save(item, schema.REFERRAL, lookup, {**values, "contract": contract})

    def read_appraisal(self, item):
        from commissioning.models import CriticalSuccessFactor

        entry = schema.APPRAISAL
        values = self.read(item, entry)
        reasons = item.strings("reasons")
        title = values.get("title", "")
        lookup = {"case": self.case, "title": title}
        appraisal = self.save(item, entry, lookup, {"recommendation_reasons": "\n\n".join(reasons)})
        self.appraisals[title] = appraisal
        if appraisal is None:
            return
        for number, criterion in enumerate(item.items("criteria", "criteria"), 1):
            c_values = self.read(criterion, schema.CRITERION)
            self.save(
                criterion,
                schema.CRITERION,
                {"appraisal": appraisal, "name": c_values.get("name")},
                {**c_values, "order": number},
            )
        factors = {f.name: f for f in CriticalSuccessFactor.objects.filter(case=self.case)}
        options = {}
        for number, option in enumerate(item.items("options", "options"), 1):
            self.read_option(option, appraisal, None, number, factors, options)
        recommended = None
        if item.has("recommended"):
            path = item.text("recommended")
            recommended = options.get(path)
            if recommended is None:
                item.error(
                    "recommended",
                    f"no option '{path}' in this appraisal; a sub-option is "
                    "written with its parent's label, like '(a) / i'",
                )
        self.save(item, entry, lookup, {"recommended_option": recommended}, again=True)
        # The status is the approvals' to change; set last, as a transition, once the rows under
        # the appraisal are in (an approved appraisal refuses edits to them).
        self.save(
            item,
            entry,
            lookup,
            {"status": values.get("status")},
            prepare=lambda obj: setattr(obj, "_transition", True),
            again=True,
        )

    def read_option(self, item, appraisal, parent, number, factors, options):
        from commissioning.models import Criterion

        values = self.read(item, schema.OPTION)
        factor_name = item.text("failed_factor")
        values["failed_factor"] = factors.get(factor_name) if factor_name else None
        if factor_name and values["failed_factor"] is None:
            item.error("failed_factor", f"no critical success factor '{factor_name}' in this file")
        label = values.get("label", "")
        path = f"{parent.label} / {label}" if parent is not None else label
        if path in options:
            item.error("label", f"another option of this appraisal is labelled '{path}'")
            return
        lookup = {"appraisal": appraisal, "parent": parent, "label": label}
        option = self.save(item, schema.OPTION, lookup, {**values, "order": number})
        if option is None:
            return
        options[path] = option
        for lot_number, lot in enumerate(item.items("lots", "lots"), 1):
            lot_values = self.read(lot, schema.OPTION_LOT)
            areas = self.areas_at(lot, "areas")
            saved = self.save(
                lot,
                schema.OPTION_LOT,
                {"option": option, "name": lot_values.get("name")},
                {"order": lot_number},
            )
            if saved is not None:
                set_links(self.t, saved, "areas", areas)
        for score in item.items("scores", "scores"):
            s_values = self.read(score, schema.SCORE)
            criterion = Criterion.objects.filter(appraisal=appraisal, name=score.text("criterion")).first()
            if criterion is None:
                score.error("criterion", f"no criterion '{score.text('criterion')}' in this appraisal")
            username = score.text("scorer")
            scorer = get_user_model().objects.filter(username=username).first()
            if scorer is None:
                score.error("scorer", f"no user '{username}': a score needs its scorer's account (username)")
            self.save(
                score, schema.SCORE, {"option": option, "criterion": criterion, "scorer": scorer}, s_values
            )
        if parent is None:
            for sub_number, sub in enumerate(item.items("sub_options", "sub-options"), 1):
                self.read_option(sub, appraisal, option, sub_number, factors, options)
        elif item.has("sub_options"):
            item.error("sub_options", "a sub-option cannot have sub-options of its own")

    def read_decision(self, item):
        from commissioning.models import MeetingBody

        entry = schema.DECISION
        values = self.read(item, entry)
        values["not_published"] = self.unpublished(item, entry, values)
        authority = self.organisation_at(item, "authority")
        values["authority"] = authority
        values["appraisal"] = self.appraisal(item, "appraisal")
        maker_name = item.text("maker")
        values["maker"] = None
        deciding = authority or self.case.lead_commissioner
        if maker_name:
            values["maker"] = MeetingBody.objects.filter(organisation=deciding, name=maker_name).first()
            if values["maker"] is None:
                item.error(
                    "maker",
                    f"no meeting body '{maker_name}' of {deciding.name}: list it under the "
                    "organisation's meeting_bodies",
                )
        reference, title = values.get("reference", ""), values.get("title", "")
        key = _decision_key(reference, title)
        if key in self.decisions:
            item.error("reference" if reference else "title", f"another decision in this file is '{key}'")
            return None
        lookup = {"case": self.case, "reference": reference, "title": title}
        decision = self.save(item, entry, lookup, values)
        self.decisions[key] = decision
        if decision is None:
            return None
        for number, point in enumerate(self.points(item), 1):
            self.save(
                point,
                schema.RESOLUTION_POINT,
                {"decision": decision, "order": number},
                self.read(point, schema.RESOLUTION_POINT),
            )
        delegations = item.mapping("delegations", "the delegations (proposed: and resolved:)")
        if delegations is not None:
            delegations.check_keys(["proposed", "resolved"], "the delegations")
            for stage in ("proposed", "resolved"):
                for number, delegation in enumerate(delegations.items(stage, "delegations"), 1):
                    saved = self.save(
                        delegation,
                        schema.DELEGATION,
                        {"decision": decision, "stage": stage, "order": number},
                        self.read(delegation, schema.DELEGATION),
                    )
                    self.delegations[(key, stage, number)] = saved
        for number, question in enumerate(item.items("questions", "members' questions"), 1):
            self.save(
                question,
                schema.MEMBER_QUESTION,
                {"decision": decision, "order": number},
                self.read(question, schema.MEMBER_QUESTION),
            )
        return decision

    def points(self, item) -> list[Item]:
        """Resolution points: each a line of text, or ``label:`` and ``text:`` where numbered."""
        value = item.raw("resolution")
        if value is None:
            return []
        if not isinstance(value, list):
            item.error("resolution", "enter the resolution as a list of points, each starting with '- '")
            return []
        points = []
        for index, entry in enumerate(value):
            if isinstance(entry, str):
                entry = {"text": entry}
            points.append(
                Item(
                    entry,
                    f"{item.key_path('resolution')}[{index + 1}]",
                    item.line_of("resolution", index),
                    self.problems,
                )
            )
        return points

    def read_uses_delegation(self, item, decision):
        """The delegation a decision is taken under: ``decision:`` (an earlier decision's reference)
        and ``resolved: 1`` (the first delegation it resolved) or ``proposed: 1``."""
        if decision is None:
            return
        uses = item.mapping("uses_delegation", "the delegation used")
        delegation = None
        if uses is not None:
            uses.check_keys(["decision", "resolved", "proposed"], "the delegation used", ("decision",))
            stages = [s for s in ("resolved", "proposed") if uses.has(s)]
            earlier = self.decision(uses, "decision")
            if len(stages) != 1:
                uses.error(
                    "",
                    "say which delegation: 'resolved: 1' for the first as resolved, or "
                    "'proposed: 1' for the first as proposed",
                )
            elif earlier is not None:
                number = uses.integer(stages[0], minimum=1)
                delegation = self.delegations.get((uses.text("decision"), stages[0], number))
                if delegation is None and number is not None:
                    uses.error(
                        stages[0], f"'{uses.text('decision')}' has no delegation {stages[0]} number {number}"
                    )
        lookup = {"case": self.case, "reference": decision.reference, "title": decision.title}
        if uses is None or uses.ok:
            self.save(item, schema.DECISION, lookup, {"uses_delegation": delegation}, again=True)

    def read_milestone(self, item):
        values = self.read(item, schema.MILESTONE)
        values["due_on"], values["precision"] = self.read_due(item)
        values["decision"] = self.decision(item, "decision")
        self.save(item, schema.MILESTONE, {"case": self.case, "title": values.get("title")}, values)

    def read_due(self, item):
        """A milestone's date as the source writes it: 2019-11-14, 2019-11, 2019 Q4, autumn 2019, 2019."""
        value = item.raw("due")
        if value is None:
            return None, "day"
        if isinstance(value, date):
            return value, "day"
        if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 2200:
            return date(value, 1, 1), "year"
        words = str(value).strip().lower().split()
        try:
            if len(words) == 1 and len(words[0]) == 7 and words[0][4] == "-":
                return date(int(words[0][:4]), int(words[0][5:]), 1), "month"
            if len(words) == 1 and len(words[0]) == 10:
                return date.fromisoformat(words[0]), "day"
            if len(words) == 2 and words[0] in schema.SEASON_MONTHS:
                return date(int(words[1]), schema.SEASON_MONTHS[words[0]], 1), "season"
            if len(words) == 2 and words[1] in ("q1", "q2", "q3", "q4"):
                return date(int(words[0]), schema.QUARTER_MONTHS[int(words[1][1])], 1), "quarter"
        except ValueError:
            pass
        item.error(
            "due",
            f"enter the date as written: 2019-11-14, 2019-11, 2019 Q4, autumn 2019 or 2019; not '{value}'",
        )
        return None, "day"

    def read_contract(self, item):
        entry = schema.CONTRACT
        values = self.read(item, entry)
        values["not_published"] = self.unpublished(item, entry, values)
        values["case"] = self.case
        values["decision"] = self.decision(item, "decision")
        values["lead_commissioner"] = self.organisation_at(item, "lead")
        commissioners = self.organisations_at(item, "commissioners")
        providers = self.organisations_at(item, "providers")
        services = [
            s
            for s in (
                self.service(item, "services", n, index=i, blocks=False)
                for i, n in enumerate(item.strings("services"))
            )
            if s is not None
        ]
        reference = values.get("reference", "")
        if reference in self.contracts:
            item.error("reference", f"another contract in this file is '{reference}'")
            return None
        contract = self.save(item, entry, {"reference": reference}, values)
        self.contracts[reference] = contract
        if contract is None:
            return None
        set_links(self.t, contract, "commissioners", commissioners)
        set_links(self.t, contract, "providers", providers)
        set_links(self.t, contract, "services", services)
        options = []
        for number, option in enumerate(item.items("term_options", "extensions and break clauses"), 1):
            o_values = self.read(option, schema.TERM_OPTION)
            o_values["decision"] = self.decision(option, "decision")
            options.append(
                self.save(option, schema.TERM_OPTION, {"contract": contract, "order": number}, o_values)
            )
        for line in item.items("value_lines", "value lines"):
            self.read_value_line(line, contract, options)
        for lot in item.items("lots", "lots"):
            lot_values = self.read(lot, schema.CONTRACT_LOT)
            areas, lot_providers = self.areas_at(lot, "areas"), self.organisations_at(lot, "providers")
            saved = self.save(
                lot, schema.CONTRACT_LOT, {"contract": contract, "name": lot_values.get("name")}, lot_values
            )
            if saved is not None:
                set_links(self.t, saved, "areas", areas)
                set_links(self.t, saved, "providers", lot_providers)
        for referral in item.items("referrals", "referral counts"):
            self.read_referral(referral, service=None, contract=contract)
        for report in item.items("outcome_reports", "outcome reports"):
            r_values = self.read(report, schema.OUTCOME_REPORT)
            self.save(
                report,
                schema.OUTCOME_REPORT,
                {"contract": contract, "period_label": r_values.get("period_label")},
                r_values,
            )
        for notice in item.items("tender_notices", "tender notices"):
            n_values = self.read(notice, schema.TENDER_NOTICE)
            n_values["cpv_codes"] = ", ".join(notice.strings("cpv_codes"))
            lookup = {"contract": contract, **{k: n_values.get(k) for k in ("platform", "reference")}}
            self.save(notice, schema.TENDER_NOTICE, lookup, n_values)
        return contract

    def read_value_line(self, item, contract, options):
        """An amount for a stated period; ``option: 2`` ties it to the contract's second extension
        or break clause (its position under ``term_options:``, counting from 1)."""
        values = self.read(item, schema.VALUE_LINE)
        values["decision"] = self.decision(item, "decision")
        values["term_option"] = None
        number = item.integer("option", minimum=1)
        if number is not None and number > len(options):
            item.error(
                "option", f"the contract has {len(options)} extension(s) or break clause(s), not {number}"
            )
        elif number is not None:
            values["term_option"] = options[number - 1]
            item.ok = item.ok and values["term_option"] is not None  # its own mistake is reported
        natural = ("kind", "term_option", "label", "starts_on", "ends_on")
        lookup = {"contract": contract, **{k: values.get(k) for k in natural}}
        self.save(item, schema.VALUE_LINE, lookup, values)

    def read_predecessor(self, item, contract):
        """The agreement a contract bridges, succeeds or extends: one of this file's contracts, or
        one already in the service, by its reference."""
        if contract is None:
            return
        reference = item.text("predecessor")
        predecessor = self.contract(item, "predecessor", reference) if reference else None
        if item.ok:
            lookup = {"reference": contract.reference}
            self.save(item, schema.CONTRACT, lookup, {"predecessor": predecessor}, again=True)

    def read_consultation(self, item):
        entry = schema.CONSULTATION
        values = self.read(item, entry)
        values["channels"] = "\n".join(item.strings("channels"))
        consultation = self.save(item, entry, {"case": self.case, "title": values.get("title")}, values)
        if consultation is None:
            return
        for event in item.items("events", "events"):
            e_values = self.read(event, schema.EVENT)
            self.save(
                event, schema.EVENT, {"consultation": consultation, "title": e_values.get("title")}, e_values
            )
        for preference in item.items("preferences", "option preferences"):
            p_values = self.read(preference, schema.PREFERENCE)
            option = self.option_named(preference)
            self.save(
                preference, schema.PREFERENCE, {"consultation": consultation, "option": option}, p_values
            )

    def option_named(self, item):
        """``option: B`` (or ``"(a) / i"``) of the file's one appraisal, or of ``appraisal:``."""
        if item.has("appraisal"):
            appraisal = self.appraisal(item, "appraisal")
        elif len(self.appraisals) == 1:
            appraisal = next(iter(self.appraisals.values()))
        else:
            item.error("appraisal", "say which option appraisal the option is of ('appraisal:' its title)")
            return None
        if appraisal is None:
            return None
        path = item.text("option")
        label = path.split(" / ")
        option = appraisal.options.filter(parent=None, label=label[0]).first()
        if option is not None and len(label) == 2:
            option = option.sub_options.filter(label=label[1]).first()
        if option is None or len(label) > 2:
            item.error("option", f"no option '{path}' in '{appraisal.title}'")
            return None
        return option

    def read_foi_request(self, item):
        entry = schema.FOI_REQUEST
        values = self.read(item, entry)
        authority = self.organisation_at(item, "authority")
        contracts = [
            c
            for c in (
                self.contract(item, "contracts", reference, index=index, blocks=False)
                for index, reference in enumerate(item.strings("contracts"))
            )
            if c is not None
        ]
        lookup = {"authority": authority, "reference": values.get("reference")}
        request = self.save(item, entry, lookup, {**values, "case": self.case})
        if request is None:
            return
        set_links(self.t, request, "contracts", contracts)
        for number, question in enumerate(item.items("questions", "questions"), 1):
            self.save(
                question,
                schema.FOI_QUESTION,
                {"request": request, "order": number},
                self.read(question, schema.FOI_QUESTION),
            )

    def read_paper(self, item):
        from commissioning.models import ApprovalRequest, PaperType

        entry = schema.PAPER
        values = self.read(item, entry)
        slug = item.text("type")
        paper_type = PaperType.objects.filter(slug=slug).first()
        if paper_type is None and slug:
            slugs = ", ".join(PaperType.objects.values_list("slug", flat=True))
            item.error("type", f"no paper type '{slug}'; choose one of: {slugs}")
        values["authority"] = self.organisation_at(item, "authority")
        values["decision"] = self.decision(item, "decision")
        sections = item.mapping("sections", "the paper's sections (key: text)")
        texts = {}
        if sections is not None and paper_type is not None:
            known = list(paper_type.sections.values_list("key", flat=True))
            sections.check_keys(known, f"a {paper_type.slug} paper's sections")
            texts = {key: sections.text(key) for key in sections.data if key in known}
        lookup = {"case": self.case, "paper_type": paper_type, "title": values.get("title")}
        paper = self.save(item, entry, lookup, values)
        if paper is None:
            return
        if sections is not None and sections.ok:
            for key, body in texts.items():
                section_item = Item(
                    {"body": body}, sections.key_path(key), sections.key_line(key), self.problems
                )
                self.save(
                    section_item,
                    schema.Entry("a section", "commissioning.PaperSection", ()),
                    {"paper": paper, "key": key},
                    {"body": body},
                )
        comments = item.items("comments", "comments")
        if comments:
            # Comments recorded from a past paper (no one submitted it here): the workflow's own
            # requests are left alone.
            request = upsert(
                self.t, ApprovalRequest, {"case": self.case, "paper": paper, "submitted_by": None}
            )
            for comment in comments:
                c_values = self.read(comment, schema.COMMENT)
                self.save(
                    comment, schema.COMMENT, {"request": request, "kind": c_values.get("kind")}, c_values
                )
