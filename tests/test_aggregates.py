"""Aggregates (issue 16 part 4) on tests/contracts/telemetry and small inline contracts.

``GET /readings/count`` answering an integer, ``/readings/stats`` answering ``{count,
averageValue, ...}``, ``/readings/metrics?interval=`` answering buckets, and reads said
to be aggregates with x-pact ``aggregate`` are counted, summed and averaged in one SQL
statement. The fast tests read what pactcoder understood and what it wrote; the
generated tests of the built telemetry service (tests/test_aggregates.py there) check
the numbers against rows they insert, on SQLite and on PostgreSQL, in the e2e lane
(tests/test_e2e.py builds and runs every contract under tests/contracts).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Endpoint, Kind, Service
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service

ROOT = Path(__file__).resolve().parents[1]
TELEMETRY = ROOT / "tests" / "contracts" / "telemetry"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(TELEMETRY).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def _measures(endpoint: Endpoint) -> list[tuple[str, str, str | None]]:
    assert endpoint.aggregate is not None
    return [(m.key, m.function, m.field) for m in endpoint.aggregate.measures]


def test_a_count_answering_an_integer_is_inferred(service: Service) -> None:
    count = _endpoint(service, "countReadings")
    assert count.kind is Kind.AGGREGATE and count.implemented
    assert _measures(count) == [("", "count", None)]
    assert count.aggregate is not None and count.aggregate.shape == "value"
    # it filters as the list does
    assert [(p.alias, p.column) for p in count.params if p.role == "filter"] == [
        ("sensor", "sensor")
    ]
    assert [r.noun.singular for r in service.resources] == ["reading", "silence"], "no 'count'"


def test_measures_are_read_from_property_names(service: Service) -> None:
    stats = _endpoint(service, "readingStats")
    assert stats.kind is Kind.AGGREGATE and stats.implemented
    assert _measures(stats) == [
        ("count", "count", None),
        ("averageValue", "avg", "value"),
        ("minValue", "min", "value"),
        ("maxValue", "max", "value"),
        ("totalValue", "sum", "value"),
    ]
    filters = {p.alias: (p.column, p.operator) for p in stats.params if p.role == "filter"}
    assert filters["recordedAfter"] == ("recorded_at", "gt")
    assert any("aggregate: count: count, averageValue: avg value" in n for n in stats.notes)


def test_a_bucket_parameter_chooses_the_time_bucket(service: Service) -> None:
    metrics = _endpoint(service, "readingMetrics").aggregate
    assert metrics is not None
    assert (metrics.shape, metrics.items_key, metrics.bucket_key) == ("groups", "buckets", "start")
    assert (metrics.bucket, metrics.bucket_param, metrics.sizes) == (
        "hour",
        "interval",
        ["hour", "day", "week"],
    )
    # the one date-time field a client sends, not the time the row was stored
    assert metrics.time == "recorded_at"


def test_x_pact_aggregate_says_groups_and_buckets(service: Service) -> None:
    by_sensor = _endpoint(service, "readingsBySensor")
    assert _measures(by_sensor) == [
        ("readings", "count", None),
        ("mean", "avg", "value"),
        ("uptime", "avg", "ok"),
    ]
    assert by_sensor.aggregate is not None and by_sensor.aggregate.group_by == "sensor"
    assert by_sensor.aggregate.measures[2].boolean, "the average of a boolean is a share"
    daily = _endpoint(service, "dailyPeaks").aggregate
    assert daily is not None
    assert (daily.bucket, daily.bucket_key, daily.time) == ("day", "day", "recorded_at")


def test_the_service_computes_each_aggregate_in_one_statement(service: Service) -> None:
    files = render_service(service)
    repository = files["app/repositories/readings.py"]
    assert "async def reading_stats(self, **filters: Any)" in repository
    assert "func.avg(self.summable(Reading.value))" in repository
    assert "self.bucket(Reading.recorded_at, bucket)" in repository
    base = files["app/repositories/base.py"]
    assert "func.date_trunc(" in base and "func.strftime(" in base
    assert "'weekday 0', '-6 days'" not in base  # modifiers are spelled one by one
    routes = files["app/api/routes/readings.py"]
    # /readings/count is routed before /readings/{readingId}, which would take it
    assert routes.index("'/count'") < routes.index("'/{readingId}'")
    tests = files["tests/test_aggregates.py"]
    assert "def test_reading_metrics_measures_the_rows" in tests
    assert "'averageValue': 3.0" in tests  # the mean of the first two rows, 2 and 4


_COUNTS = """
openapi: 3.0.3
info: {title: Counts, version: "1"}
paths:
  /services:
    get:
      operationId: listServices
      responses:
        "200":
          description: the services
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Service"}}
  /services/count:
    get:
      operationId: countServices
      responses:
        "200":
          description: how many
          content:
            application/json: {schema: {$ref: "#/components/schemas/Counter"}}
  /services/summary:
    get:
      operationId: summarise
      responses:
        "200":
          description: counts by kind
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: {type: number}
                  movie: {type: number}
components:
  schemas:
    Counter:
      type: object
      properties:
        counter: {type: integer, format: int32}
    Service:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
"""


def test_a_count_of_any_name_at_a_count_path_and_what_is_not_read(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    service = understand(write_project({"docs/openapi.yaml": _COUNTS})).service
    counted = _endpoint(service, "countServices")
    assert counted.kind is Kind.AGGREGATE and counted.implemented
    assert _measures(counted) == [("counter", "count", None)]
    # `movie` counts nothing pactcoder can name: a stub, saying why, not a guess
    summary = _endpoint(service, "summarise")
    assert not summary.implemented
    assert any("'movie' is neither a count nor a measure" in r for r in summary.reasons)
    assert [r.noun.singular for r in service.resources] == ["service"]


_BROKEN = """
openapi: 3.0.3
info: {title: Broken, version: "1"}
paths:
  /readings:
    get:
      operationId: listReadings
      responses:
        "200":
          description: the readings
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Reading"}}
  /readings/a:
    get:
      operationId: a
      x-pact: {aggregate: {measures: {mean: avg depth}}}
      responses:
        "200":
          description: x
          content:
            application/json:
              schema: {type: object, properties: {mean: {type: number}}}
  /readings/b:
    get:
      operationId: b
      x-pact: {aggregate: {measures: {mean: avg sensor}}}
      responses:
        "200":
          description: x
          content:
            application/json:
              schema: {type: object, properties: {mean: {type: number}}}
  /readings/c:
    get:
      operationId: c
      x-pact: {aggregate: {of: Gauge, measures: {n: count}}}
      responses:
        "200":
          description: x
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
  /readings/d:
    get:
      operationId: d
      x-pact: {aggregate: {measures: {n: count}, group-by: colour}}
      responses:
        "200":
          description: x
          content:
            application/json:
              schema:
                type: array
                items: {type: object, properties: {n: {type: integer}, colour: {type: string}}}
  /readings/e:
    post:
      operationId: e
      x-pact: {aggregate: {measures: {n: count}}}
      responses:
        "200":
          description: x
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
components:
  schemas:
    Reading:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        sensor: {type: string}
        value: {type: number}
"""


def test_impossible_aggregates_are_errors_with_a_location(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": _BROKEN}))
    errors = caught.value.problems.errors
    text = "\n".join(f"{p.message} | {p.hint}" for p in errors)
    assert "GET /readings/a: 'mean' measures 'depth', which is no stored field" in text
    assert "GET /readings/b: 'mean' is the avg of 'sensor', which is not a number" in text
    assert "GET /readings/c: 'Gauge' is no stored schema | stored schemas: Reading" in text
    assert "GET /readings/d: group-by 'colour' is no stored field" in text
    assert "POST /readings/e: an aggregate is a GET" in text
    assert len(errors) == 5
    assert all(p.location is not None and p.location.line > 0 for p in errors)


def test_a_wrong_measure_is_refused_where_it_is_written(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    text = _BROKEN.replace("avg depth", "median value")
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": text}))
    first = caught.value.problems.errors[0]
    assert "aggregate.measures.mean" in first.message and "median value" in first.message
    assert first.location is not None and first.location.line == 16
