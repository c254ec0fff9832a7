"""Reads for the staff pages about activities' reports."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from activities.models import Activity, Measurement


@dataclass(frozen=True)
class MeasurementCorrection:
    """One correction of a measurement: who, when, and what it was before."""

    corrected_at: datetime
    corrected_by: str
    earlier_value: Decimal
    earlier_measured_on: date
    earlier_source: str


def measurement_corrections(
    measurements: list[Measurement],
) -> dict[int, list[MeasurementCorrection]]:
    """Each measurement's corrections, oldest first, from its history (one query)."""
    history = (
        Measurement.history.filter(id__in=[measurement.pk for measurement in measurements])
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    corrections: dict[int, list[MeasurementCorrection]] = defaultdict(list)
    previous = {}
    for record in history:
        earlier = previous.get(record.id)
        changed = earlier is not None and (
            (earlier.value, earlier.measured_on, earlier.source)
            != (record.value, record.measured_on, record.source)
        )
        if changed:
            user = record.history_user
            corrections[record.id].append(
                MeasurementCorrection(
                    corrected_at=record.history_date,
                    corrected_by=(user.get_full_name() or user.get_username()) if user else "",
                    earlier_value=earlier.value,
                    earlier_measured_on=earlier.measured_on,
                    earlier_source=earlier.source,
                )
            )
        previous[record.id] = record
    return dict(corrections)


def recent_measurements(activity: Activity, limit: int) -> list[Measurement]:
    """The activity's newest measurements, newest recorded first, with their corrections.

    Each measurement gets ``corrections`` (see ``measurement_corrections``); two queries.
    """
    measurements = list(
        Measurement.objects.filter(indicator__activity=activity)
        .select_related("indicator", "recorded_by")
        .order_by("-created_at", "-pk")[:limit]
    )
    corrections = measurement_corrections(measurements)
    for measurement in measurements:
        measurement.corrections = corrections.get(measurement.pk, [])
    return measurements
