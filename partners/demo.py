"""The fictional demo: Exampleshire and Sampleton Community Safety Partnerships.

Everything here is invented: the places, organisations, people, figures and
telephone numbers (01632 960xxx is Ofcom's range reserved for drama). Dates are
counted back from ``timezone.localdate()`` so the demo looks current whenever it
is loaded: the current plan is the UK plan year (April to March) that contains
today, its notes spread over the last twelve months.

``load_demo`` is idempotent: a partnership that already exists is left exactly as
it is, and so is an account that already exists. ``delete_demo`` removes only the
fictional partnerships built here (and the organisations nothing else uses).
"""

import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.models import Action, Marking, MeasureValue, PerformanceMeasure, Rag, Status
from actions.services import action_add_update
from plans.models import (
    ActionPlan,
    Issue,
    Meeting,
    MeetingPack,
    Priority,
    Risk,
    StrategicAim,
    StrategicAssessment,
    Strategy,
)

from .models import GovernanceGroup, Membership, Organisation, Partnership, Role, Team, User

DEFAULT_PASSWORD = "exampleshire-demo-2026"  # noqa: S105 - published demo password, DEBUG only
DEMO_SLUGS = ("exampleshire", "sampleton")
STATUTORY, CO_OPTED, NON_STATUTORY = Membership.Type.STATUTORY, Membership.Type.CO_OPTED, Membership.Type.NON_STATUTORY
R, A, G, B, N = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED
SENSITIVE = "sensitive"

DA_FORUM = "Exampleshire and Sampleton Domestic Abuse Forum"
FICTION_NOTE = (
    "This is a fictional partnership made up for demonstration. Every organisation, person, "
    "place and figure in it is invented."
)


def demo_password():
    """The password of the demo accounts: ``DEMO_PASSWORD`` or the published default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def plan_years(today):
    """The UK plan year (April to March) containing ``today``: (2026, 2027) for 22 November 2026."""
    first = today.year if today.month >= 4 else today.year - 1
    return first, first + 1


# --- Organisations: name, sector, website, phone -----------------------------------------------

ORGANISATIONS = {
    "council": ("Exampleshire Borough Council", "local_authority", "01632 960100"),
    "county": ("Exampleshire County Council", "local_authority", "01632 960110"),
    "police": ("Exampleshire Constabulary", "police", "01632 960120"),
    "fire": ("Exampleshire Fire and Rescue Service", "fire", "01632 960130"),
    "probation": ("Exampleshire Probation Service", "probation", "01632 960140"),
    "crc": ("Exampleshire Community Rehabilitation Company", "probation", ""),
    "icb": ("Exampleshire and Sampleton Integrated Care Board", "health", "01632 960150"),
    "ccg": ("Exampleshire Clinical Commissioning Group", "health", ""),
    "pcc": ("Office of the Exampleshire Police and Crime Commissioner", "pcc", "01632 960160"),
    "homes": ("Exampleby Homes Housing Association", "housing", "01632 960170"),
    "harbour": ("Safe Harbour Exampleshire", "voluntary", "01632 960180"),
    "youth": ("Exampleshire Youth Trust", "voluntary", "01632 960190"),
    "watch": ("Exampleshire Neighbourhood Watch Association", "voluntary", "01632 960200"),
    "college": ("Exampleshire College", "education", "01632 960210"),
    "sdc": ("Sampleton District Council", "local_authority", "01632 960300"),
    "sht": ("Sampleton Housing Trust", "housing", "01632 960310"),
}

# Teams: key -> (organisation key, partnership slug, name)
TEAMS = {
    "ecst": ("council", "exampleshire", "Exampleshire Community Safety Team"),
    "licensing": ("council", "exampleshire", "Exampleshire Licensing and Enforcement Team"),
    "snt": ("police", "exampleshire", "Exampleshire SNT"),
    "proactive": ("police", "exampleshire", "Exampleshire Proactive Team"),
    "fireprev": ("fire", "exampleshire", "Exampleshire Fire Prevention Team"),
    "pdu": ("probation", "exampleshire", "Exampleshire Probation Delivery Unit"),
    "tenancy": ("homes", "exampleshire", "Exampleby Homes Tenancy Services"),
    "idva": ("harbour", "exampleshire", "Safe Harbour IDVA Service"),
    "detached": ("youth", "exampleshire", "Exampleshire Youth Trust Detached Team"),
    "trading": ("county", "exampleshire", "Exampleshire Trading Standards"),
    "scst": ("sdc", "sampleton", "Sampleton Community Safety Team"),
    "ssnt": ("police", "sampleton", "Sampleton SNT"),
}

ROLE_WORDS = {Role.Kind.OFFICER: "officer", Role.Kind.CHAIR: "chair", Role.Kind.ADMIN: "partnership admin"}

# --- Accounts ----------------------------------------------------------------------------------

# username, first name, last name, job title, team keys, {partnership slug: role}
ACCOUNTS = [
    (
        "officer",
        "Olivia",
        "Okafor",
        "Community Safety Officer, Exampleshire Borough Council",
        ["ecst"],
        {"exampleshire": Role.Kind.OFFICER},
    ),
    (
        "chair",
        "Charles",
        "Harper",
        "Chair, Exampleshire Responsible Authorities Group",
        [],
        {"exampleshire": Role.Kind.CHAIR},
    ),
    (
        "admin",
        "Aisha",
        "Morgan",
        "Community Safety Manager, Exampleshire Borough Council",
        ["ecst"],
        {"exampleshire": Role.Kind.ADMIN},
    ),
    (
        "county",
        "Kim",
        "Lawson",
        "County Community Safety Lead, Exampleshire County Council",
        [],
        {"exampleshire": Role.Kind.CHAIR, "sampleton": Role.Kind.CHAIR},
    ),
]

# --- The current Exampleshire plan --------------------------------------------------------------
#
# An action: text, owner team keys, owner organisation keys, owner group keys, owner role,
# target (days from today, or "end" for the end of the plan year, or None), story.
# A story is a list of notes (days ago, RAG, text[, SENSITIVE]) oldest first; a final
# (days ago, status, text) with a Status closes the action. ``created`` (days ago) defaults
# to 345.


@dataclass
class DemoAction:
    text: str
    teams: list = field(default_factory=list)
    orgs: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    role: str = ""
    target: object = "end"
    story: list = field(default_factory=list)
    created: int = 345
    author: str = ""


# The officer's notes are written by the `officer` account; others by a named person.
OFFICER = "officer"

EXAMPLESHIRE_PLAN = [
    (
        "Reduce serious violence and knife crime affecting young people",
        "Knife possession offences by under-18s",
        [
            (
                "Raise awareness of knife crime and exploitation in schools and colleges",
                [
                    DemoAction(
                        "Deliver knife crime awareness sessions to Years 8 and 9 in all eight secondary schools",
                        teams=["ecst", "snt"],
                        author=OFFICER,
                        story=[
                            (320, A, "Programme agreed with six of the eight secondary schools; two still to confirm."),
                            (250, A, "Sessions booked at seven schools. Exampleby Academy asked to wait until spring."),
                            (160, G, "Sessions delivered to 1,240 pupils in Years 8 and 9 across seven schools."),
                            (40, G, "All eight schools now reached. Pupil survey out; early returns 82% positive."),
                        ],
                    ),
                    DemoAction(
                        "Train school staff to spot the signs of child criminal exploitation",
                        teams=["ecst", "detached"],
                        author=OFFICER,
                        story=[
                            (300, A, "Training package adapted from the county safeguarding partnership course."),
                            (200, A, "Two twilight sessions delivered to 58 staff from four schools."),
                            (95, A, "Waiting for dates from the academy trust for the remaining schools."),
                        ],
                    ),
                    DemoAction(
                        "Run weapons surrender bins during the national knife crime weeks of action",
                        teams=["snt"],
                        role="Sgt Tom Reeve",
                        target=-60,
                        author="Sgt Tom Reeve, Exampleshire SNT",
                        story=[
                            (280, G, "Surrender bins placed at three sites; 47 knives surrendered in the first week."),
                            (100, G, "Second week of action: 31 items surrendered, two test purchases refused."),
                            (60, Status.COMPLETED, "Both weeks of action delivered; bins returned. Complete."),
                        ],
                    ),
                ],
            ),
            (
                "Divert young people at risk away from violence",
                [
                    DemoAction(
                        "Run a detached youth work programme in the three ASB hotspots on Friday and Saturday evenings",
                        teams=["detached"],
                        author="Jordan Blake, Exampleshire Youth Trust",
                        story=[
                            (330, A, "Recruitment of two sessional youth workers under way."),
                            (270, G, "Programme running in the town centre and on the Riverside estate."),
                            (180, G, "Summer programme: 412 contacts with young people, 36 referred to activities."),
                            (90, G, "Third hotspot (Millbrook Park) added after JAG tasking."),
                            (20, G, "Autumn term: 298 contacts; ASB calls near the sites down on last year."),
                        ],
                    ),
                    DemoAction(
                        "Refer young people at risk to the joint Exampleshire and Sampleton Youth Panel",
                        teams=["ecst"],  # and Sampleton's team: see _joint_action
                        author=OFFICER,
                        story=[
                            (300, A, "Panel terms of reference agreed with Sampleton; first meeting set."),
                            (210, A, "Referral pathway live. Only 4 referrals so far; schools briefed again."),
                            (120, G, "Since April 23 young people referred; 17 engaged with a mentor."),
                            (30, G, "Panel reviewed at the Serious Violence Duty meeting: to continue next year."),
                        ],
                    ),
                    DemoAction(
                        "Refresh the Serious Violence Duty needs assessment with the county analysts",
                        teams=["ecst"],
                        target=-20,
                        author=OFFICER,
                        story=[
                            (280, G, "Scope agreed with the county analysts; data requests sent."),
                            (150, A, "Data sharing agreement with the ICB is delayed; A&E data not yet received."),
                            (35, A, "Draft with the analysts. The target date will be missed by about a month."),
                        ],
                    ),
                    DemoAction(
                        "Place youth workers in the A&E department at reachable moments",
                        orgs=["icb"],
                        author="Dr Mina Patel, Integrated Care Board",
                        story=[
                            (260, R, "Bid to the national fund was unsuccessful."),
                            (170, R, "No funding identified. Raised at the RAG meeting."),
                            (60, A, "Alternative funding from the PCC's violence reduction fund agreed in principle."),
                        ],
                    ),
                ],
            ),
            (
                "Enforcement in public spaces",
                [
                    DemoAction(
                        "Carry out weapons sweeps in parks and open spaces identified by the JAG",
                        teams=["snt"],
                        role="Sgt Tom Reeve",
                        author="Sgt Tom Reeve, Exampleshire SNT",
                        story=[
                            (310, G, "Monthly sweeps started with volunteers from the Neighbourhood Watch."),
                            (220, G, "Six sweeps completed; two knives and one imitation firearm recovered."),
                            (130, G, "Sweeps now fortnightly in Millbrook Park after tasking."),
                            (45, G, "Eleven sweeps this year in total; no finds in the last three."),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Tackle anti-social behaviour and improve feelings of safety in the town centre",
        "Anti-social behaviour in the town centre and on the Riverside estate",
        [
            (
                "Reduce anti-social behaviour in the town centre and on the Riverside estate",
                [
                    DemoAction(
                        "Hold a monthly ASB risk assessment conference for high-risk cases",
                        teams=["ecst"],
                        groups=["marrg"],
                        author=OFFICER,
                        story=[
                            (330, G, "Conference meeting monthly; 14 cases open."),
                            (240, G, "Nine cases closed as resolved; four new referrals from housing."),
                            (150, G, "Attendance from all partners good; mental health now attends."),
                            (70, G, "Case numbers stable at 11."),
                        ],
                    ),
                    DemoAction(
                        "Use Community Protection Warnings and Notices where engagement fails",
                        teams=["ecst", "snt"],
                        author=OFFICER,
                        story=[
                            (300, A, "Joint protocol with police being updated."),
                            (200, G, "Protocol signed. 41 warnings and 6 notices issued since April."),
                            (25, G, "67 warnings and 9 notices to date; one prosecution for breach."),
                        ],
                    ),
                    DemoAction(
                        "Consult on a town centre Public Spaces Protection Order (alcohol and dispersal)",
                        teams=["ecst"],
                        author=OFFICER,
                        story=[
                            (290, A, "Evidence pack being gathered with police and licensing."),
                            (180, A, "Draft order and consultation questions with legal services."),
                            (
                                110,
                                R,
                                "Legal review raised concerns about the dispersal condition: consultation paused.",
                            ),
                            (50, R, "Still paused. Options paper for the RAG meeting being written."),
                        ],
                    ),
                    DemoAction(
                        "Run the ASB case review (community trigger) process and publish the yearly figures",
                        teams=["ecst"],
                        author=OFFICER,
                        story=[
                            (320, G, "Process and web page reviewed; no changes needed."),
                            (140, G, "Three applications received this year; two met the threshold."),
                            (15, Status.COMPLETED, "Yearly figures published on the council website. Complete."),
                        ],
                    ),
                ],
            ),
            (
                "Improve how safe residents feel",
                [
                    DemoAction(
                        "Walk the town centre with residents and councillors after dark (Safer Streets walkabouts)",
                        teams=["snt"],
                        orgs=["watch"],
                        author="PC Dan Hughes, Exampleshire SNT",
                        story=[
                            (280, G, "First walkabout held with 18 residents; lighting issues logged."),
                            (190, G, "Second walkabout; women's safety group joined."),
                            (100, G, "Third walkabout in the station area; actions passed to the council."),
                        ],
                    ),
                    DemoAction(
                        "Improve lighting and CCTV in the station underpass",
                        orgs=["council"],
                        role="Head of Environment",
                        author="Head of Environment, Exampleshire Borough Council",
                        story=[
                            (300, A, "Survey of the underpass done; quotes requested."),
                            (210, A, "Capital funding approved; works delayed by the rail operator's permit."),
                            (120, G, "Lighting upgraded to LED; two new cameras installed."),
                            (40, G, "Cameras now monitored by the CCTV control room."),
                        ],
                    ),
                    DemoAction(
                        "Publish a quarterly 'You said, we did' bulletin for residents",
                        teams=["ecst"],
                        author=OFFICER,
                        story=[],
                    ),
                ],
            ),
            (
                "Keep the night-time economy safe",
                [
                    DemoAction(
                        "Run the Safe Night Out scheme with licensed premises (Ask for Angela, welfare point)",
                        teams=["licensing", "snt"],
                        author="Priya Shah, Exampleshire Licensing and Enforcement Team",
                        story=[
                            (320, A, "Welfare point volunteers being recruited."),
                            (230, G, "Welfare point open on Saturdays; 27 people helped in the first month."),
                            (140, G, "34 premises signed up to Ask for Angela."),
                            (55, G, "Test visits: 30 of 34 premises responded correctly."),
                        ],
                    ),
                    DemoAction(
                        "Train door and bar staff in spotting and helping vulnerable people",
                        teams=["licensing"],
                        author="Priya Shah, Exampleshire Licensing and Enforcement Team",
                        target=-70,
                        story=[
                            (250, G, "Training booked for 120 staff."),
                            (160, G, "96 staff trained so far."),
                            (70, Status.COMPLETED, "128 staff trained across 31 premises. Complete."),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Reduce domestic abuse and violence against women and girls",
        "Repeat domestic abuse and high-risk cases",
        [
            (
                "Support victims of domestic abuse",
                [
                    DemoAction(
                        "Keep enough independent domestic violence advisers (IDVAs) to meet MARAC demand",
                        orgs=["harbour"],
                        author="Ruth Ellison, Safe Harbour Exampleshire",
                        story=[
                            (330, A, "Caseloads rising: 1 IDVA to 120 cases."),
                            (240, R, "Caseloads at 1 to 140 against 1 to 100 recommended. Waiting list started."),
                            (150, R, "Bid to the PCC submitted for one more post."),
                            (60, A, "Additional IDVA funded by the PCC from October; waiting list falling."),
                        ],
                    ),
                    DemoAction(
                        "Review MARAC referrals and the repeat rate every month",
                        teams=["snt"],
                        groups=["daforum"],
                        author="DS Lee Carter, Exampleshire Constabulary",
                        story=[
                            (300, G, "Repeat rate 27%, within the expected range."),
                            (200, G, "Referrals from health up after GP training."),
                            (
                                90,
                                A,
                                "OFFICIAL-SENSITIVE: three high-risk cases linked to one perpetrator now "
                                "managed through the multi-agency tasking process. Details held by the MARAC chair.",
                                SENSITIVE,
                            ),
                            (20, A, "Repeat rate 31%; audit of repeat cases agreed for the DA forum."),
                        ],
                    ),
                    DemoAction(
                        "Act on the recommendations of the domestic abuse related death review 'Adult B'",
                        teams=["ecst", "idva"],
                        author=OFFICER,
                        story=[
                            (310, A, "Action plan agreed by the review panel: 9 recommendations."),
                            (200, A, "5 of 9 recommendations complete."),
                            (110, G, "8 of 9 complete; the last (GP training) is booked."),
                            (30, G, "All 9 complete; the Home Office quality assurance letter received."),
                        ],
                    ),
                ],
            ),
            (
                "Prevent abuse and change behaviour",
                [
                    DemoAction(
                        "Commission a perpetrator behaviour change programme with probation",
                        teams=["ecst", "pdu"],
                        author=OFFICER,
                        story=[
                            (280, A, "Options appraisal of three providers done."),
                            (170, A, "Joint funding with probation agreed in principle."),
                            (80, A, "Procurement under way; award expected in the new year."),
                        ],
                    ),
                    DemoAction(
                        "Run the White Ribbon campaign during the 16 days of action",
                        teams=["ecst"],
                        author=OFFICER,
                        created=65,
                        story=[
                            (60, G, "Campaign plan agreed with partners."),
                            (5, G, "Campaign launched; 14 organisations signed the White Ribbon pledge."),
                        ],
                    ),
                    DemoAction(
                        "Deliver healthy relationships lessons in schools and at the college",
                        teams=["detached"],
                        orgs=["college"],
                        author="Jordan Blake, Exampleshire Youth Trust",
                        story=[
                            (290, G, "Lessons written with Safe Harbour."),
                            (100, G, "Delivered to 610 students."),
                        ],
                    ),
                    DemoAction(
                        "Pilot domestic abuse training and referral in GP surgeries",
                        orgs=["icb"],
                        author="Dr Mina Patel, Integrated Care Board",
                        story=[
                            (300, A, "Four surgeries interested."),
                            (200, R, "Pilot funding withdrawn by the ICB."),
                            (
                                150,
                                Status.DISCHARGED,
                                "Discharged from the plan at the RAG meeting: now led by the ICB safeguarding board.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Disrupt county lines and reduce drug-related harm",
        "County lines drug dealing and exploitation of vulnerable adults (cuckooing)",
        [
            (
                "Disrupt county lines",
                [
                    DemoAction(
                        "Visit tenants at risk of cuckooing with housing officers",
                        teams=["snt", "tenancy"],
                        author="Sam Whitfield, Exampleby Homes",
                        story=[
                            (320, G, "Joint visiting protocol agreed."),
                            (230, G, "38 visits; 4 tenants moved to safety."),
                            (130, A, "Two new addresses identified; visits slowed by staff sickness."),
                            (40, A, "Visits back on schedule; 51 this year."),
                        ],
                    ),
                    DemoAction(
                        "Run joint operations against county lines dealing",
                        teams=["proactive"],
                        role="DI Sara Kemp",
                        author="DI Sara Kemp, Exampleshire Constabulary",
                        story=[
                            (300, G, "Operation planning complete."),
                            (
                                200,
                                G,
                                "OFFICIAL-SENSITIVE - OPERATIONAL: two deal lines closed after warrants at "
                                "addresses in the Riverside area; safeguarding referrals made for three young people.",
                                SENSITIVE,
                            ),
                            (100, G, "Week of action: 9 arrests, 2 lines closed."),
                            (25, G, "Intelligence picture refreshed for the JAG."),
                        ],
                    ),
                    DemoAction(
                        "Train taxi drivers and hotel staff to spot and report exploitation",
                        teams=["licensing"],
                        author="Priya Shah, Exampleshire Licensing and Enforcement Team",
                        story=[
                            (270, A, "Training made part of taxi licence renewal."),
                            (180, R, "Low attendance: 22 of 300 drivers so far."),
                            (75, R, "Online module being built to replace classroom sessions."),
                        ],
                    ),
                ],
            ),
            (
                "Get people into treatment and recovery",
                [
                    DemoAction(
                        "Increase referrals from custody and probation into drug treatment",
                        teams=["pdu"],
                        orgs=["icb"],
                        author="Mark Osei, Exampleshire Probation Delivery Unit",
                        story=[
                            (310, A, "Continuity of care rate 34%."),
                            (220, A, "Treatment worker now based in the custody suite twice a week."),
                            (130, G, "Continuity of care rate 46%."),
                            (45, G, "Continuity of care rate 52%, above the regional average."),
                        ],
                    ),
                    DemoAction(
                        "Hand out naloxone kits through hostels and pharmacies",
                        orgs=["icb"],
                        author="Dr Mina Patel, Integrated Care Board",
                        story=[
                            (260, G, "Six pharmacies and two hostels signed up."),
                            (160, G, "214 kits handed out; 5 reported uses."),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Protect older and vulnerable residents from fraud, scams and burglary",
        "Fraud and doorstep crime against older residents",
        [
            (
                "Fraud and scams",
                [
                    DemoAction(
                        "Give scams awareness talks to older people's groups",
                        orgs=["watch"],
                        teams=["trading"],
                        author="Helen Brooks, Exampleshire Trading Standards",
                        story=[
                            (300, G, "Talks booked with 12 groups."),
                            (180, G, "Nine talks delivered to 260 people."),
                            (70, G, "All 12 delivered; four more groups asked."),
                        ],
                    ),
                    DemoAction(
                        "Install call blockers for repeat victims of phone scams",
                        teams=["trading"],
                        author="Helen Brooks, Exampleshire Trading Standards",
                        story=[
                            (240, A, "Supplier chosen; 40 units bought."),
                            (130, A, "Only 11 installed: referrals slow."),
                            (30, G, "31 installed after adult social care referrals started."),
                        ],
                    ),
                    DemoAction(
                        "Set up a support group for fraud victims through social prescribers",
                        orgs=["icb"],
                        author="Dr Mina Patel, Integrated Care Board",
                        story=[
                            (200, R, "No lead identified."),
                            (80, R, "Still no lead; to be raised at the RAG meeting."),
                        ],
                    ),
                ],
            ),
            (
                "Residential burglary",
                [
                    DemoAction(
                        "Offer home security visits to repeat victims of burglary",
                        teams=["fireprev", "snt"],
                        author="Watch Manager Gill Evans, Exampleshire Fire and Rescue Service",
                        story=[
                            (310, G, "Joint referral form agreed with the SNT."),
                            (200, G, "63 visits; door and window locks fitted at 28 homes."),
                            (100, G, "No repeat burglaries at visited homes so far."),
                            (10, G, "112 visits this year."),
                        ],
                    ),
                    DemoAction(
                        "Run a 'Lock it or lose it' campaign during the darker evenings",
                        teams=["ecst", "snt"],
                        author=OFFICER,
                        created=16,
                        story=[
                            (14, G, "Campaign materials printed; starts when the clocks go back."),
                        ],
                    ),
                    DemoAction(
                        "Carry out Safe and Well visits with fire and crime prevention advice",
                        teams=["fireprev"],
                        author="Watch Manager Gill Evans, Exampleshire Fire and Rescue Service",
                        story=[
                            (290, G, "Crime prevention questions added to the visit form."),
                            (190, G, "420 visits."),
                            (90, G, "Visits on track: 805."),
                            (30, G, "1,130 visits; 140 referrals to the SNT."),
                        ],
                    ),
                ],
            ),
        ],
    ),
]

# The previous (archived) plan: (priority, [(issue, [(action, owner team keys, [(days after plan start,
# rag, note)], final status)])]).
EXAMPLESHIRE_PREVIOUS_PLAN = [
    (
        "Reduce anti-social behaviour",
        [
            (
                "Anti-social behaviour in the town centre",
                [
                    (
                        "Set up a monthly ASB risk assessment conference",
                        ["ecst"],
                        [(40, A, "Terms of reference drafted."), (150, G, "First conference held.")],
                        Status.COMPLETED,
                    ),
                    (
                        "Review the use of Community Protection Warnings",
                        ["ecst", "snt"],
                        [(60, A, "Review started."), (250, A, "Protocol rewrite needed: carried into next year.")],
                        Status.CARRIED_FORWARD,
                    ),
                ],
            ),
        ],
    ),
    (
        "Reduce knife crime",
        [
            (
                "Young people carrying knives",
                [
                    (
                        "Pilot knife crime sessions in two secondary schools",
                        ["ecst", "snt"],
                        [(90, G, "Delivered at Exampleby Academy."), (200, G, "Delivered at Millbrook School.")],
                        Status.CARRIED_FORWARD,
                    ),
                    (
                        "Introduce stop and search scrutiny by young people",
                        ["snt"],
                        [(70, A, "Panel recruited."), (180, R, "Panel stood down by the force: discharged.")],
                        Status.DISCHARGED,
                    ),
                ],
            ),
        ],
    ),
]

SAMPLETON_PLAN = [
    (
        "Reduce anti-social behaviour in Sampleton villages",
        [
            (
                "Off-road bikes and rural ASB",
                [
                    ("Run off-road bike patrols with the rural team", ["ssnt"], [(200, A), (90, G), (20, G)]),
                    ("Fit barriers at the three most-used access points", ["scst"], [(150, R), (60, A)]),
                ],
            ),
        ],
    ),
    (
        "Reduce domestic abuse",
        [
            (
                "Victims in rural areas",
                [
                    ("Open a weekly domestic abuse drop-in at Sampleton library", ["scst"], [(250, G), (120, G)]),
                    ("Train parish councils in recognising domestic abuse", ["scst"], [(180, A), (30, A)]),
                ],
            ),
        ],
    ),
]

SAMPLETON_NOTES = {
    R: "Behind schedule: raised with the Sampleton RAG.",
    A: "Progress slower than planned; partners reviewing.",
    G: "On track; figures reported to the Sampleton RAG.",
}


@dataclass
class DemoResult:
    created: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    accounts: list = field(default_factory=list)  # (username, roles text, created?)


class _Builder:
    def __init__(self, today):
        self.today = today
        self.orgs = {}
        self.teams = {}
        self.groups = {}
        self.partnerships = {}

    def days_ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def at(self, day, hour=10):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    # Organisations are shared by both partnerships (and perhaps by real ones): find them by name.
    def organisation(self, key):
        if key not in self.orgs:
            name, sector, phone = ORGANISATIONS[key]
            org = Organisation.objects.filter(name__iexact=name).first()
            if org is None:
                org = Organisation.objects.create(
                    name=name,
                    sector=sector,
                    phone=phone,
                    description="Fictional organisation of the demo.",
                    website=f"https://{key}.exampleshire.example",
                )
            self.orgs[key] = org
        return self.orgs[key]

    def team(self, key):
        if key not in self.teams:
            org_key, slug, name = TEAMS[key]
            partnership = Partnership.objects.get(slug=slug)
            self.teams[key], _ = Team.objects.get_or_create(
                organisation=self.organisation(org_key),
                name=name,
                defaults={"partnership": partnership, "email": f"{key}@exampleshire.example"},
            )
        return self.teams[key]

    def partnership(self, slug, name, short_name, area):
        partnership = Partnership.objects.create(
            name=name,
            short_name=short_name,
            slug=slug,
            area=area,
            is_fictional=True,
            email=f"community.safety@{slug}.example",
            phone="01632 960000" if slug == "exampleshire" else "01632 960001",
            website=f"https://www.{slug}.example/community-safety",
        )
        self.partnerships[slug] = partnership
        return partnership

    def memberships(self, partnership, rows):
        for order, (key, type_, started, ended, _replaced_by) in enumerate(rows):
            Membership.objects.create(
                partnership=partnership,
                organisation=self.organisation(key),
                type=type_,
                started_on=started,
                ended_on=ended,
                order=order,
            )
        # A membership that ended points to the one that replaced it (CCG -> ICB).
        for key, _type, _started, ended, replaced_by_key in rows:
            if ended and replaced_by_key:
                Membership.objects.filter(partnership=partnership, organisation=self.organisation(key)).update(
                    replaced_by=Membership.objects.get(
                        partnership=partnership, organisation=self.organisation(replaced_by_key), ended_on=None
                    )
                )

    def group(self, key, partnership, name, abbreviation, kind, tier, members=(), shared_with=()):
        group = GovernanceGroup.objects.create(
            partnership=partnership,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            tier=tier,
            order=tier,
            description="Fictional governance group of the demo.",
        )
        group.members.set([self.organisation(m) for m in members])
        if shared_with:
            group.partnerships.set(shared_with)
        self.groups[key] = group
        return group

    def add_action(self, issue, order, spec, authors, plan_end):
        created = self.days_ago(spec.created)
        if spec.target == "end":
            target = plan_end
        elif spec.target is None:
            target = None
        else:
            target = self.today + datetime.timedelta(days=spec.target)
        action = Action.objects.create(
            issue=issue,
            text=spec.text,
            order=order,
            owner_role=spec.role,
            target_date=target,
            created_at=self.at(created, 9),
        )
        if spec.teams:
            action.owner_teams.set([self.team(k) for k in spec.teams])
        if spec.orgs:
            action.owner_organisations.set([self.organisation(k) for k in spec.orgs])
        if spec.groups:
            action.owner_groups.set([self.groups[k] for k in spec.groups])
        author = authors.get(spec.author)
        author_name = "" if author else spec.author
        for note in spec.story:
            days, rag_or_status, text = note[:3]
            day = self.days_ago(days)
            kwargs = {"rag": rag_or_status}
            if rag_or_status in (Status.COMPLETED, Status.DISCHARGED):
                status = rag_or_status
                kwargs = {
                    "status": status,
                    "status_reason": text,
                    "rag": B if status == Status.COMPLETED else None,
                }
            action_add_update(
                action=action,
                author=author,
                author_name=author_name,
                text=text,
                date=day,
                written_on=day,
                created_at=self.at(day, 11),
                marking=Marking.OFFICIAL_SENSITIVE if SENSITIVE in note[3:] else Marking.OFFICIAL,
                **kwargs,
            )
        return action


def _exampleshire(builder, authors):
    today = builder.today
    first, last = plan_years(today)
    plan_start = datetime.date(first, 4, 1)
    plan_end = datetime.date(last, 3, 31)
    p = builder.partnership(
        "exampleshire",
        "Exampleshire Community Safety Partnership",
        "Exampleshire",
        "Borough of Exampleshire (fictional)",
    )
    builder.memberships(
        p,
        [
            ("council", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("county", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("police", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("fire", STATUTORY, datetime.date(2010, 4, 1), None, None),
            ("probation", STATUTORY, datetime.date(2021, 6, 26), None, None),
            ("crc", STATUTORY, datetime.date(2015, 2, 1), datetime.date(2021, 6, 25), "probation"),
            ("icb", STATUTORY, datetime.date(2022, 7, 1), None, None),
            ("ccg", STATUTORY, datetime.date(2013, 4, 1), datetime.date(2022, 6, 30), "icb"),
            ("pcc", CO_OPTED, datetime.date(2012, 11, 22), None, None),
            ("homes", NON_STATUTORY, None, None, None),
            ("harbour", NON_STATUTORY, None, None, None),
            ("youth", NON_STATUTORY, None, None, None),
            ("watch", NON_STATUTORY, None, None, None),
            ("college", NON_STATUTORY, None, None, None),
        ],
    )
    for key, (_org, slug, _name) in TEAMS.items():
        if slug == "exampleshire":
            builder.team(key)
    kinds = GovernanceGroup.Kind
    rag = builder.group(
        "rag",
        p,
        "Exampleshire Responsible Authorities Group",
        "RAG",
        kinds.RAG,
        1,
        members=["council", "county", "police", "fire", "probation", "icb", "pcc"],
    )
    builder.group("jag", p, "Exampleshire Joint Action Group", "JAG", kinds.JAG, 2, ["council", "police", "homes"])
    builder.group(
        "marrg", p, "Exampleshire Multi-Agency Risk Reduction Group", "MARRG", kinds.MARRG, 3, ["council", "police"]
    )
    builder.group("daforum", p, DA_FORUM, "DA Forum", kinds.DA_FORUM, 3, ["council", "sdc", "police", "harbour"])

    strategy = Strategy.objects.create(
        partnership=p,
        title="Exampleshire Community Safety Partnership Plan",
        start_year=first - 1,
        end_year=first + 2,
        summary=FICTION_NOTE,
    )
    aims = [
        StrategicAim.objects.create(strategy=strategy, order=i, text=text, description=desc)
        for i, (text, desc) in enumerate(
            [
                (
                    "Keep people safe from violence and exploitation",
                    "Prevent serious violence, knife crime and the exploitation of children and vulnerable adults.",
                ),
                (
                    "Make neighbourhoods and the town centre feel safe",
                    "Reduce anti-social behaviour and neighbourhood crime; improve how safe residents feel.",
                ),
                (
                    "Support victims and reduce re-offending",
                    "Support victims of domestic abuse and fraud; get offenders into treatment and work.",
                ),
            ]
        )
    ]
    previous_assessment = StrategicAssessment.objects.create(
        partnership=p, start_year=first - 2, end_year=first - 1, published_on=datetime.date(first - 1, 1, 31)
    )
    for order, text in enumerate(["Anti-social behaviour", "Knife crime", "Residential burglary"]):
        Risk.objects.create(assessment=previous_assessment, kind=Risk.Kind.TOP, text=text, order=order)
    assessment = StrategicAssessment.objects.create(
        partnership=p,
        start_year=first - 1,
        end_year=first,
        published_on=datetime.date(first, 1, 31),
        summary=FICTION_NOTE,
    )
    for order, text in enumerate(
        [
            "Assaults without injury",
            "Anti-social behaviour",
            "Domestic abuse",
            "Residential burglary",
            "Shoplifting",
            "Drug possession and supply",
        ]
    ):
        Risk.objects.create(assessment=assessment, kind=Risk.Kind.TOP, text=text, order=order)
    emerging = [
        Risk.objects.create(assessment=assessment, kind=Risk.Kind.EMERGING, text=risk_text, order=order)
        for order, (_title, risk_text, _issues) in enumerate(EXAMPLESHIRE_PLAN)
    ]

    # Last year's plan, archived, with two actions carried forward into this year's.
    previous = ActionPlan.objects.create(
        partnership=p,
        strategy=strategy,
        assessment=previous_assessment,
        slug=f"exampleshire-{first - 1}-{first}",
        start_year=first - 1,
        end_year=first,
        status=ActionPlan.Status.ARCHIVED,
        archived_at=builder.at(plan_start),
        introduction=FICTION_NOTE,
    )
    previous_start = datetime.date(first - 1, 4, 1)
    carried = {}
    for number, (title, issues) in enumerate(EXAMPLESHIRE_PREVIOUS_PLAN, start=1):
        priority = Priority.objects.create(plan=previous, number=number, title=title)
        for issue_order, (issue_title, actions) in enumerate(issues):
            issue = Issue.objects.create(priority=priority, title=issue_title, order=issue_order)
            for order, (text, team_keys, notes, final_status) in enumerate(actions):
                action = Action.objects.create(
                    issue=issue,
                    text=text,
                    order=order,
                    target_date=datetime.date(first, 3, 31),
                    created_at=builder.at(previous_start),
                )
                action.owner_teams.set([builder.team(k) for k in team_keys])
                for days, rag_value, note in notes:
                    day = previous_start + datetime.timedelta(days=days)
                    action_add_update(
                        action=action,
                        author=authors["officer"] if "ecst" in team_keys else None,
                        author_name="" if "ecst" in team_keys else "Exampleshire SNT",
                        text=note,
                        rag=rag_value,
                        date=day,
                        written_on=day,
                        created_at=builder.at(day),
                    )
                day = datetime.date(first, 3, 20)
                action_add_update(
                    action=action,
                    author=authors["admin"],
                    text={
                        Status.COMPLETED: "Complete.",
                        Status.CARRIED_FORWARD: "Carried forward into next year's plan.",
                        Status.DISCHARGED: "Discharged from the plan at the RAG meeting.",
                    }[final_status],
                    rag=B if final_status == Status.COMPLETED else None,
                    status=final_status,
                    date=day,
                    written_on=day,
                    created_at=builder.at(day),
                )
                carried[text] = action

    plan = ActionPlan.objects.create(
        partnership=p,
        strategy=strategy,
        assessment=assessment,
        slug=f"exampleshire-{first}-{last}",
        start_year=first,
        end_year=last,
        status=ActionPlan.Status.ACTIVE,
        introduction=FICTION_NOTE
        + " Its priorities come from the emerging risks of the strategic assessment; the actions are "
        "reviewed at each meeting of the Responsible Authorities Group.",
    )
    ActionPlan.objects.filter(pk=previous.pk).update(rolled_over_to=plan)

    priorities = []
    for number, (title, _risk, issues) in enumerate(EXAMPLESHIRE_PLAN, start=1):
        priority = Priority.objects.create(plan=plan, number=number, title=title, source_risk=emerging[number - 1])
        priorities.append(priority)
        for issue_order, (issue_title, actions) in enumerate(issues):
            issue = Issue.objects.create(priority=priority, title=issue_title, order=issue_order)
            for order, spec in enumerate(actions):
                builder.add_action(issue, order, spec, authors, plan_end)

    # Link the carried-forward actions to their successors.
    for old_text, new_text in [
        ("Review the use of Community Protection Warnings", "Use Community Protection Warnings"),
        ("Pilot knife crime sessions in two secondary schools", "Deliver knife crime awareness sessions"),
    ]:
        Action.objects.filter(issue__priority__plan=plan, text__startswith=new_text).update(
            carried_from=carried[old_text]
        )

    _measures(builder, priorities, aims[0])
    for months_ago in (6, 3):
        Meeting.objects.create(
            partnership=p,
            group=rag,
            title="Exampleshire Responsible Authorities Group",
            date=builder.days_ago(months_ago * 30 + 2),
        )
    return p


def _monthly_starts(today, count=12):
    """The first days of the ``count`` whole months before this one, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        starts.append(datetime.date(year, month, 1))
    return list(reversed(starts))


def _measures(builder, priorities, aim):
    starts = _monthly_starts(builder.today)
    # name, unit, better, target, baseline, twelve made-up monthly values (oldest first), attached to
    measures = [
        (
            "Knife crime offences",
            "offences",
            PerformanceMeasure.Better.LOWER,
            10,
            14,
            [15, 13, 16, 12, 14, 11, 13, 10, 12, 9, 11, 9],
            {"priority": priorities[0]},
        ),
        (
            "Anti-social behaviour incidents reported to the police",
            "incidents",
            PerformanceMeasure.Better.LOWER,
            300,
            340,
            [352, 338, 361, 344, 372, 390, 365, 333, 318, 307, 296, 288],
            {"priority": priorities[1]},
        ),
        (
            "Rate of all crime",
            "crimes per 1,000 residents",
            PerformanceMeasure.Better.LOWER,
            5.5,
            6.1,
            [6.3, 6.0, 6.4, 6.2, 5.9, 6.1, 6.0, 5.8, 5.7, 5.9, 5.6, 5.5],
            {"aim": aim},
        ),
    ]
    for order, (name, unit, better, target, baseline, values, attached_to) in enumerate(measures):
        measure = PerformanceMeasure.objects.create(
            name=name,
            unit=unit,
            better=better,
            target=Decimal(str(target)),
            baseline=Decimal(str(baseline)),
            order=order,
            description="Fictional monthly figures for the demo.",
            **attached_to,
        )
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period_start=start, value=Decimal(str(value)), source="Demo data (fictional)")
            for start, value in zip(starts, values, strict=True)
        )


def _sampleton(builder, authors):
    first, last = plan_years(builder.today)
    p = builder.partnership(
        "sampleton", "Sampleton Community Safety Partnership", "Sampleton", "Sampleton District (fictional)"
    )
    builder.memberships(
        p,
        [
            ("sdc", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("county", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("police", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("fire", STATUTORY, datetime.date(2010, 4, 1), None, None),
            ("probation", STATUTORY, datetime.date(2021, 6, 26), None, None),
            ("icb", STATUTORY, datetime.date(2022, 7, 1), None, None),
            ("pcc", CO_OPTED, None, None, None),
            ("sht", NON_STATUTORY, None, None, None),
        ],
    )
    for key, (_org, slug, _name) in TEAMS.items():
        if slug == "sampleton":
            builder.team(key)
    kinds = GovernanceGroup.Kind
    builder.group("srag", p, "Sampleton Responsible Authorities Group", "RAG", kinds.RAG, 1, ["sdc", "police"])
    # The domestic-abuse forum led by Exampleshire spans both partnerships.
    forum = GovernanceGroup.objects.filter(name=DA_FORUM, partnership__slug="exampleshire").first()
    if forum is not None:
        forum.partnerships.add(p)
    plan = ActionPlan.objects.create(
        partnership=p, slug=f"sampleton-{first}-{last}", start_year=first, end_year=last, introduction=FICTION_NOTE
    )
    for number, (title, issues) in enumerate(SAMPLETON_PLAN, start=1):
        priority = Priority.objects.create(plan=plan, number=number, title=title)
        for issue_order, (issue_title, actions) in enumerate(issues):
            issue = Issue.objects.create(priority=priority, title=issue_title, order=issue_order)
            for order, (text, team_keys, story) in enumerate(actions):
                spec = DemoAction(
                    text,
                    teams=team_keys,
                    author="Sampleton Community Safety Team",
                    story=[(days, rag_value, SAMPLETON_NOTES[rag_value]) for days, rag_value in story],
                )
                builder.add_action(issue, order, spec, authors, datetime.date(last, 3, 31))
    return p


def _accounts(password, *, reset_passwords):
    """The demo accounts, created if missing; an existing account keeps its password unless reset."""
    users = {}
    for username, first_name, last_name, job_title, _teams, _roles in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                job_title=job_title,
                email=f"{username}@exampleshire.example",
            )
        if created or reset_passwords:
            user.set_password(password)
            user.save()
        users[username] = (user, created)
    return users


def _grant(users, builder, result):
    for username, _first, _last, _title, team_keys, roles in ACCOUNTS:
        user, created = users[username]
        for key in team_keys:
            if not user.teams.filter(pk=builder.team(key).pk).exists():
                user.teams.add(builder.team(key))
        for slug, role in roles.items():
            Role.objects.get_or_create(
                user=user, partnership=Partnership.objects.get(slug=slug), defaults={"role": role}
            )
        described = ", ".join(f"{ROLE_WORDS[role]} in {slug.title()}" for slug, role in roles.items())
        result.accounts.append((username, described, created))


@transaction.atomic
def load_demo(*, password=None, reset=False, today=None):
    """Create the fictional demo partnerships and accounts; keep whatever already exists.

    With ``reset=True`` the fictional partnerships are deleted and built again and the demo
    accounts' passwords set again. Returns a ``DemoResult`` saying what was created or kept.
    """
    password = password or demo_password()
    builder = _Builder(today or timezone.localdate())
    result = DemoResult()
    if reset:
        delete_demo()
    users = _accounts(password, reset_passwords=reset)
    authors = {username: user for username, (user, _created) in users.items()}
    for slug, build in (("exampleshire", _exampleshire), ("sampleton", _sampleton)):
        if Partnership.objects.filter(slug=slug).exists():
            result.kept.append(slug)
        else:
            build(builder, authors)
            result.created.append(slug)
    _joint_action(builder)
    _grant(users, builder, result)
    return result


def _joint_action(builder):
    """The youth panel action of Exampleshire is also owned by Sampleton's team."""
    action = Action.objects.filter(
        issue__priority__plan__partnership__slug="exampleshire", text__startswith="Refer young people at risk"
    ).first()
    if action is not None and Partnership.objects.filter(slug="sampleton").exists():
        team = builder.team("scst")
        if not action.owner_teams.filter(pk=team.pk).exists():
            action.owner_teams.add(team)


@transaction.atomic
def delete_demo():
    """Delete the fictional demo partnerships and everything in them; real data is not touched.

    The demo accounts stay (their roles and team memberships go with the partnerships);
    organisations go too unless something outside the demo still uses them.
    """
    partnerships = list(Partnership.objects.filter(slug__in=DEMO_SLUGS, is_fictional=True))
    if not partnerships:
        return
    plans = ActionPlan.objects.filter(partnership__in=partnerships)
    MeetingPack.objects.filter(plan__in=plans).delete()
    MeetingPack.objects.filter(meeting__partnership__in=partnerships).delete()
    Meeting.objects.filter(partnership__in=partnerships).delete()
    plans.update(rolled_over_to=None)
    # Deleting plans cascades to priorities, issues, actions, updates and measures.
    for plan in plans:
        plan.delete()
    Strategy.objects.filter(partnership__in=partnerships).delete()
    StrategicAssessment.objects.filter(partnership__in=partnerships).delete()
    GovernanceGroup.objects.filter(partnership__in=partnerships).delete()
    Team.objects.filter(partnership__in=partnerships).delete()
    Membership.objects.filter(partnership__in=partnerships).update(replaced_by=None)
    Membership.objects.filter(partnership__in=partnerships).delete()
    for partnership in partnerships:
        partnership.delete()
    names = [name for name, _sector, _phone in ORGANISATIONS.values()]
    for org in Organisation.objects.filter(name__in=names):
        if not org.memberships.exists() and not org.teams.exists() and not org.actions.exists():
            org.delete()
