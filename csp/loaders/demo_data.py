"""The fictional content of the demo: organisations, teams, accounts and the plans' text.

Every name, person, figure and telephone number here is invented (01632 960xxx is
Ofcom's range reserved for drama). ``csp.loaders.demo`` turns this into rows.
"""

from dataclasses import dataclass, field

from actions.models import Rag, Status
from partners.models import Membership, Role

STATUTORY, CO_OPTED, NON_STATUTORY = Membership.Type.STATUTORY, Membership.Type.CO_OPTED, Membership.Type.NON_STATUTORY
R, A, G, B = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE
SENSITIVE = "sensitive"

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
