import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from actions.measures import direction_of_travel
from actions.models import MeasureValue, PerformanceMeasure
from tests import factories as f


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 11, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def measure(priority):
    return f.MeasureFactory(
        priority=priority, name="Rate of all crime", unit="crimes per 1,000 people", target=Decimal("60"), baseline=70
    )


@pytest.fixture
def quarterly(priority):
    return f.MeasureFactory(priority=priority, name="ASB incidents", unit="%", period="quarter", better="lower")


def _value(measure, day, value):
    return f.MeasureValueFactory(measure=measure, period_start=day, value=Decimal(value))


def _post(client, measure, **data):
    form = {"month": "4", "year": "2025", "value": "12.5", "source": "Police.uk", "note": ""}
    form.update(data)
    return client.post(reverse("actions:measure_add_value", args=[measure.pk]), form)


def test_officer_enters_a_value(measure, officer, client_for):
    response = _post(client_for(officer), measure)
    assert response.status_code == 302
    value = MeasureValue.objects.get(measure=measure)
    assert (value.period_start, value.value, value.entered_by) == (datetime.date(2025, 4, 1), Decimal("12.5"), officer)


def test_admin_enters_a_value(measure, admin, client_for):
    assert _post(client_for(admin), measure).status_code == 302


def test_chair_may_read_but_not_enter_values(measure, chair, client_for):
    client = client_for(chair)
    assert client.get(reverse("actions:measure_detail", args=[measure.pk])).status_code == 200
    assert _post(client, measure).status_code == 403
    assert not MeasureValue.objects.exists()


def test_outsider_gets_404_on_every_measure_page(measure, plan, outsider, client_for):
    client = client_for(outsider)
    for url in (
        reverse("actions:measure_detail", args=[measure.pk]),
        reverse("actions:measure_add_value", args=[measure.pk]),
        reverse("actions:measure_values_csv", args=[measure.pk]),
        reverse("actions:measure_list", args=[plan.slug]),
    ):
        assert client.get(url).status_code == 404, url


def test_unknown_measure_gives_404(officer, client_for):
    assert client_for(officer).get(reverse("actions:measure_detail", args=[99999])).status_code == 404


def test_a_value_that_is_not_a_number_is_refused(measure, officer, client_for):
    response = _post(client_for(officer), measure, value="twelve")
    assert response.status_code == 400
    assert "Enter the value as a number, like 12.5" in response.content.decode()


def test_a_second_value_for_the_same_period_is_refused(measure, officer, client_for):
    _value(measure, datetime.date(2025, 4, 1), "10")
    response = _post(client_for(officer), measure)
    assert "There is already a value for April 2025" in response.content.decode()
    assert MeasureValue.objects.count() == 1


def test_a_future_period_is_refused(measure, officer, client_for):
    response = _post(client_for(officer), measure, month="12", year="2025")
    assert "December 2025 has not started yet" in response.content.decode()


def test_quarterly_measures_take_quarters(quarterly, officer, client_for):
    assert _post(client_for(officer), quarterly, month="7").status_code == 302
    response = _post(client_for(officer), quarterly, month="8")
    assert response.status_code == 400


def test_detail_shows_chart_target_and_direction(measure, chair, client_for):
    _value(measure, datetime.date(2025, 8, 1), "64.3")
    _value(measure, datetime.date(2025, 9, 1), "63.1")
    html = client_for(chair).get(reverse("actions:measure_detail", args=[measure.pk])).content.decode()
    assert 'role="img"' in html and "Target 60" in html
    assert "down 1.2 crimes per 1,000 people since last month, better" in html


def test_direction_of_travel_for_a_quarterly_percentage(quarterly):
    values = [_value(quarterly, datetime.date(2025, 4, 1), "10"), _value(quarterly, datetime.date(2025, 7, 1), "11.2")]
    assert direction_of_travel(quarterly, values)["text"] == "up 1.2 points since last quarter, worse"


def test_direction_names_the_period_when_one_is_missing(measure):
    values = [_value(measure, datetime.date(2025, 4, 1), "10"), _value(measure, datetime.date(2025, 7, 1), "10")]
    assert direction_of_travel(measure, values)["text"] == "no change since April 2025"


def test_csv_lists_the_values_and_defuses_formulas(measure, chair, client_for):
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, 5, 1), value=3, source="=HYPERLINK()")
    response = client_for(chair).get(reverse("actions:measure_values_csv", args=[measure.pk]))
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[1].startswith("Rate of all crime,") and "'=HYPERLINK()" in lines[1]


def test_measure_list_shows_measures_on_priorities_and_aims(plan, measure, chair, client_for):
    strategy = f.StrategyFactory(partnership=plan.partnership)
    plan.strategy = strategy
    plan.save()
    aim_measure = f.MeasureFactory(priority=None, aim=f.StrategicAimFactory(strategy=strategy), name="Perception")
    html = client_for(chair).get(reverse("actions:measure_list", args=[plan.slug])).content.decode()
    assert measure.name in html and aim_measure.name in html


def test_measure_list_query_count_does_not_grow(plan, priority, chair, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(chair)
    counts = []
    for n in (1, 6):
        for _ in range(n):
            m = f.MeasureFactory(priority=priority)
            _value(m, datetime.date(2025, 4, 1), "1")
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("actions:measure_list", args=[plan.slug]))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_measure_must_sit_on_an_aim_or_a_priority(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        PerformanceMeasure.objects.create(name="Orphan")
