"""Full-text search gives the same results on SQLite (FTS5, ``actions.fts``) and on
PostgreSQL: run these under both (DATABASE_URL, make test-postgres). The last tests look
at SQLite's index itself and are skipped on PostgreSQL."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from actions import fts
from actions.models import Action, ActionUpdate, Rag
from actions.search import search
from actions.services import action_add_update
from tests import factories as f

UNDERPASS = "Improve lighting and CCTV in the station underpass"
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 index")


def _texts(client, q):
    response = client.get(reverse("actions:search"), {"q": q})
    assert response.status_code == 200
    return sorted(result["text"] for result in response.context["results"])


def _found(user, text):
    """The (kind, pk) of everything ``search`` finds, in order."""
    return [(kind, pk) for kind, pk, *_ in search(user, Action.objects.visible_to(user), text=text).rows]


@pytest.fixture
def texts(action, issue, other_team):
    f.ActionFactory(issue=issue, text=UNDERPASS, owner_teams=[other_team])
    f.ActionFactory(issue=issue, text="Underpass murals painted with the youth club", owner_teams=[other_team])
    action_add_update(action=action, text="Twenty three referrals to the youth panel", rag=Rag.GREEN)
    action_add_update(action=action, text="CCTV camera at the car park repaired", rag=Rag.AMBER)


@pytest.mark.parametrize("q", ["CCTV underpass", "underpass cctv", "cctv UNDERPASS"])
def test_every_word_is_found_in_any_order_and_case(texts, chair, client_for, q):
    assert _texts(client_for(chair), q) == [UNDERPASS]


@pytest.mark.parametrize(("q", "found"), [("referral", "Twenty three referrals"), ("underpasses lights", UNDERPASS)])
def test_words_are_found_in_any_form(texts, chair, client_for, q, found):
    assert [text[: len(found)] for text in _texts(client_for(chair), q)] == [found]


def test_stop_words_are_not_required(texts, chair, client_for):
    assert _texts(client_for(chair), "cctv in an underpass") == [UNDERPASS]


def test_a_word_that_is_nowhere_finds_nothing(texts, chair, client_for):
    assert _texts(client_for(chair), "CCTV Bramblefield") == []


def test_a_quoted_phrase_must_be_found_as_written(texts, chair, client_for):
    client = client_for(chair)
    assert _texts(client, '"station underpass"') == [UNDERPASS]
    assert _texts(client, '"underpass station"') == []


def test_a_word_after_a_minus_is_excluded(texts, chair, client_for):
    assert _texts(client_for(chair), "underpass -cctv") == ["Underpass murals painted with the youth club"]


def test_or_finds_either(texts, chair, client_for):
    assert _texts(client_for(chair), "murals or referrals") == [
        "Twenty three referrals to the youth panel",
        "Underpass murals painted with the youth club",
    ]


def test_better_matches_come_first(chair, issue, team):
    f.ActionFactory(
        issue=issue,
        text="Knife crime workshops in schools with talks on road safety, first aid and online safety",
        owner_teams=[team],
    )
    best = f.ActionFactory(issue=issue, text="Knife arches and knife amnesty bins: knife crime", owner_teams=[team])
    assert _found(chair, "knife")[0] == ("action", best.pk)


# What people type that means something to FTS5 or to PostgreSQL's parser: never an error.
ODD_INPUT = ['"', "*", "OR", "NEAR(", "-", ":", "^", "(", ")", "+", "'", "\\", "%", "_", "AND NOT", '-"', '""', "{}"]


@pytest.mark.parametrize("q", ODD_INPUT)
def test_odd_input_is_never_an_error(texts, chair, client_for, q):
    assert _texts(client_for(chair), q) == []


@pytest.mark.parametrize(
    "q", ["cctv* underpass", '"station underpass', "(underpass cctv", "underpass: cctv", "cctv AND underpass"]
)
def test_syntax_characters_around_words_are_ignored(texts, chair, client_for, q):
    assert _texts(client_for(chair), q) == [UNDERPASS]


def test_snippets_mark_the_words_as_written(texts, chair, client_for):
    html = client_for(chair).get(reverse("actions:search"), {"q": "referral"}).content.decode()
    assert "<mark>referrals</mark>" in html


def test_snippets_escape_markup_in_the_text(chair, client_for, action):
    action_add_update(action=action, text='Lighting <img src=x onerror="alert(1)"> fixed <script>x()</script>')
    html = client_for(chair).get(reverse("actions:search"), {"q": "lighting fixed"}).content.decode()
    assert "<img src=x" not in html and "<script>x()" not in html
    assert "<mark>Lighting</mark>" in html
    if connection.vendor == "sqlite":  # ts_headline leaves tags out; snippet() keeps them, escaped
        assert "&lt;script&gt;x()&lt;/script&gt;" in html


# Every writer keeps the index in step: on SQLite by triggers, on PostgreSQL by the
# generated column.


def test_bulk_created_rows_are_found(action, chair):
    (update,) = ActionUpdate.objects.bulk_create(
        [ActionUpdate(action=action, text="Bramblefield leaflets", date=datetime.date(2026, 11, 2), rag=Rag.GREEN)]
    )
    assert _found(chair, "bramblefield") == [("update", update.pk)]


def test_rows_changed_by_update_are_found_by_their_new_words_only(action, chair):
    Action.objects.filter(pk=action.pk).update(text="Ravenscourt patrols")
    assert _found(chair, "ravenscourt") == [("action", action.pk)]
    assert _found(chair, action.text.split()[0]) == []


def test_rows_changed_by_hand_in_sql_are_found(action, chair):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE actions_action SET text = %s WHERE id = %s", ["Hand-written Fernhill note", action.pk])
    assert _found(chair, "fernhill") == [("action", action.pk)]


def test_deleted_rows_are_not_found(action, chair):
    update = action_add_update(action=action, text="Ashdown referrals", rag=Rag.GREEN)
    ActionUpdate.objects.filter(pk=update.pk).delete()
    assert _found(chair, "ashdown") == []


# SQLite's index itself.


@sqlite_only
def test_user_input_never_makes_an_fts5_syntax_error(action):
    nasty = [*ODD_INPUT, 'NEAR("a" "b", 2)', "text:cctv", "a OR OR b", "-(x)", "x NOT", "\x00", "é ß 漢字", "a" * 300]
    with connection.cursor() as cursor:
        for text in nasty:
            expression = fts.match_expression(text)
            if expression is not None:
                cursor.execute(
                    "SELECT count(*) FROM actions_action_fts WHERE actions_action_fts MATCH %s", [expression]
                )


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("CCTV underpass", '(("cctv" AND "underpass"))'),
        ("the underpass", '(("underpass"))'),
        ('"in the station" -knife', '(("in the station") NOT "knife")'),
        ("knife-crime or drugs", '(("knife crime")) OR (("drugs"))'),
        ("-school", None),
        ("the and of", None),
    ],
)
def test_what_people_type_is_read_as_websearch_reads_it(text, expression):
    assert fts.match_expression(text) == expression


@sqlite_only
def test_the_index_tables_exist_on_sqlite(db):
    assert set(fts.TABLES.values()) <= set(connection.introspection.table_names())
    assert fts.missing_parts(connection) == {}


def _drop_update_trigger():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER actions_actionupdate_fts_au")


@sqlite_only
def test_the_command_reports_a_stale_index_then_rebuilds_it(action, chair):
    update = action_add_update(action=action, text="Leaflets delivered", rag=Rag.GREEN)
    call_command("refresh_update_summaries", "--check", stdout=(out := io.StringIO()))
    assert "search index matches" in out.getvalue()
    _drop_update_trigger()
    ActionUpdate.objects.filter(pk=update.pk).update(text="Kingsmead residents consulted")
    with pytest.raises(CommandError, match="search index does not match the text of actions_actionupdate_fts"):
        call_command("refresh_update_summaries", "--check", stdout=io.StringIO())
    call_command("refresh_update_summaries", stdout=(out := io.StringIO()))
    assert "Rebuilt the search index of actions_actionupdate_fts" in out.getvalue()
    assert _found(chair, "kingsmead") == [("update", update.pk)]
    call_command("refresh_update_summaries", "--check", stdout=io.StringIO())


@sqlite_only
def test_triggers_lost_to_a_rebuilt_table_come_back_after_migrate(action, chair):
    _drop_update_trigger()
    update = action_add_update(action=action, text="Leaflets delivered", rag=Rag.GREEN)
    ActionUpdate.objects.filter(pk=update.pk).update(text="Oakwood residents consulted")
    assert fts.ensure_triggers(connection) == ["actions_actionupdate_fts"]
    assert fts.missing_parts(connection) == {}
    assert _found(chair, "oakwood") == [("update", update.pk)]
    assert fts.ensure_triggers(connection) == []


def test_a_page_past_the_end_shows_the_last_page_best_first(chair, client_for, action):
    for n in range(25):
        f.UpdateFactory(action=action, text=f"Patrol number {n}" + " patrol" * (n == 3))
    response = client_for(chair).get(reverse("actions:search"), {"q": "patrol", "page": 9})
    assert response.context["page"].number == 2 and len(response.context["results"]) == 5
    first = client_for(chair).get(reverse("actions:search"), {"q": "patrol"}).context["results"][0]
    assert first["text"] == "Patrol number 3 patrol"
