"""What goes into a PDF of a plan: the options a chair chooses on the form or the command line.

``PdfOptions`` is plain data so it can be stored with a meeting pack (``to_dict``) and
handed to the child process that renders (``from_dict``).
"""

import datetime
from dataclasses import asdict, dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Value

from partners.fields import DATE_HINT, DateField
from partners.voice import Form

OWNER_KINDS = ("team", "org", "group")


@dataclass(frozen=True)
class PdfOptions:
    since: datetime.date | None = None
    meeting_mode: bool = False
    include_sensitive: bool = False
    priority: int | None = None
    owner: str = ""  # "team-<id>", "org-<id>", "group-<id>" or "" for all
    include_closed: bool = True
    before_carry: bool = False
    show_milestones: bool = False
    meeting_title: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self):
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data or {})
        since = data.get("since")
        if isinstance(since, str) and since:
            data["since"] = datetime.date.fromisoformat(since)
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})

    def owner_filter(self):
        """("team", 3) for "team-3"; None for all owners."""
        return parse_owner(self.owner) if self.owner else None

    def describe(self):
        """A line for the title page: what this PDF leaves out."""
        parts = []
        if self.since and self.meeting_mode:
            parts.append(f"changes since {self.since:%d/%m/%Y} marked")
        elif self.since:
            parts.append(f"updates since {self.since:%d/%m/%Y}")
        if self.priority:
            parts.append(f"priority {self.priority} only")
        if self.owner:
            parts.append("one owner only")
        if not self.include_closed:
            parts.append("open actions only")
        return ", ".join(parts)


def parse_owner(value):
    kind, _, pk = (value or "").partition("-")
    if kind not in OWNER_KINDS or not pk.isdigit():
        raise ValueError(f"Not an owner: {value!r}")
    return kind, int(pk)


class PdfOptionsForm(Form):
    """The options of a plan PDF. Built with ``(plan, user)`` so the choices are the plan's
    own priorities and owners, and "include sensitive" is offered only to those allowed."""

    since = DateField(
        required=False,
        label="Only updates since",
        help_text=f"{DATE_HINT}. Leave empty for every update.",
    )
    meeting_mode = forms.BooleanField(
        required=False,
        label="Meeting mode: show what changed since that date",
        help_text="New updates marked “New”, RAG changes such as “Amber → Green”, new and closed actions listed first.",
    )
    priority = forms.TypedChoiceField(required=False, label="Priority", coerce=int, empty_value=None)
    owner = forms.ChoiceField(required=False, label="Owner")
    include_closed = forms.BooleanField(required=False, initial=True, label="Include completed and discharged actions")
    before_carry = forms.BooleanField(
        required=False,
        label="Show the last update before carry-over",
        help_text="For actions carried forward from last year's plan, its last update there.",
    )
    show_milestones = forms.BooleanField(
        required=False,
        label="Show milestones",
        help_text="Each action's milestones under its text: due date, and done or overdue.",
    )
    include_sensitive = forms.BooleanField(
        required=False,
        label="Include OFFICIAL-SENSITIVE updates and action text",
        help_text=(
            "The PDF will be marked OFFICIAL-SENSITIVE. Do not circulate it widely. "
            "Without it, the text of an OFFICIAL-SENSITIVE action reads 'OFFICIAL-SENSITIVE: text withheld'."
        ),
    )

    def __init__(self, plan, user, *args, owners=None, priorities=None, **kwargs):
        """``owners`` (``plan_owners``) and ``priorities`` may be given when the page has
        read them already."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.user = user
        priorities = plan.priorities.all() if priorities is None else priorities
        self.fields["priority"].choices = [("", "All priorities")] + [
            (p.number, f"{p.number}. {p.title[:80]}") for p in priorities
        ]
        self.fields["owner"].choices = [("", "All owners")] + owner_choices(plan, owners)
        if not may_include_sensitive(user, plan):
            del self.fields["include_sensitive"]

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and since > datetime.date.today() + datetime.timedelta(days=1):
            raise ValidationError("The date must be today or in the past.")
        return since

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting_mode") and not cleaned.get("since"):
            self.add_error("since", "Enter the date of the last meeting to show what changed since then.")
        return cleaned

    def to_options(self, **extra):
        data = self.cleaned_data
        return PdfOptions(
            since=data.get("since"),
            meeting_mode=bool(data.get("meeting_mode")),
            include_sensitive=bool(data.get("include_sensitive")),
            priority=data.get("priority"),
            owner=data.get("owner") or "",
            include_closed=bool(data.get("include_closed")),
            before_carry=bool(data.get("before_carry")),
            show_milestones=bool(data.get("show_milestones")),
            **extra,
        )


def may_include_sensitive(user, plan):
    """Chairs and admins of the plan's partnership may put OFFICIAL-SENSITIVE notes in a PDF."""
    from partners.access import PartnershipRights, partnership_role

    return user is not None and PartnershipRights(partnership_role(user, plan.partnership_id)).is_senior


def plan_owners(plan):
    """Every team, organisation and group named on the plan's actions, as ("team", 3,
    "Hertsmere SNT") triples: one query over the three owner links."""
    from actions.models import Action

    kind = CharField()
    links = [
        Action.owner_teams.through.objects.filter(action__issue__priority__plan=plan)
        .annotate(owner_kind=Value("team", output_field=kind))
        .values_list("owner_kind", "team_id", "team__name"),
        Action.owner_organisations.through.objects.filter(action__issue__priority__plan=plan)
        .annotate(owner_kind=Value("org", output_field=kind))
        .values_list("owner_kind", "organisation_id", "organisation__name"),
        Action.owner_groups.through.objects.filter(action__issue__priority__plan=plan)
        .annotate(owner_kind=Value("group", output_field=kind))
        .values_list("owner_kind", "governancegroup_id", "governancegroup__name"),
    ]
    union = links[0].order_by().union(*(link.order_by() for link in links[1:]))
    kinds = {"team": 0, "org": 1, "group": 2}
    return sorted(set(union), key=lambda owner: (owner[2].casefold(), kinds[owner[0]], owner[1]))


def owner_choices(plan, owners=None):
    """The owners named on the plan's actions (``plan_owners``, or ``owners`` when already
    read), as ("team-3", "Hertsmere SNT") pairs: teams, then organisations, then groups."""
    kinds = {"team": 0, "org": 1, "group": 2}
    owners = plan_owners(plan) if owners is None else owners  # by name
    return [(f"{kind}-{pk}", name) for kind, pk, name in sorted(owners, key=lambda owner: kinds[owner[0]])]
