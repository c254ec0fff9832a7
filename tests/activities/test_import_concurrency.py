"""The public site answers while an activity plan is previewed (SQLite and PostgreSQL).

The preview of 12,826 rows once held a transaction with every row written and
rolled back for minutes, and the public site did not answer meanwhile. Now the
preview only reads, outside any transaction. This test stops a preview of the
largest file allowed in the middle of its reading, asks for a public page from
another thread (its own database connection) and lets the preview go on only
once that page has answered. On SQLite a transaction that had written would
lock the page's tables; on both, every query of the preview is checked to run
outside a transaction.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from activities.imports import MAX_ROWS
from activities.models import Activity
from tests.activities.plan_files import csv_bytes, many_rows
from tests.activities.test_import import upload
from tests.promises.factories import PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_public_page_answers_in_the_middle_of_a_preview_of_the_largest_file(
    administrator, police_organisation
):
    period = PeriodFactory(is_published=True)
    promise = PromiseFactory(period=period, slug="trafikkontroller")
    staff = Client()
    staff.force_login(administrator)
    reached, answered = threading.Event(), threading.Event()
    in_transaction: list[bool] = []
    previews = []

    def pause_in_the_middle(execute, sql, params, many, context):
        in_transaction.append(connection.in_atomic_block)
        result = execute(sql, params, many, context)
        if "activities_activity" in sql and not reached.is_set():
            # The preview has read the period's activities; it checks rows next.
            reached.set()
            answered.wait(timeout=30)
        return result

    def run_preview():
        try:
            with connection.execute_wrapper(pause_in_the_middle):
                previews.append(
                    staff.post(
                        reverse("admin:activities_activity_import"),
                        {
                            "period": period.pk,
                            "import_file": upload(csv_bytes(many_rows(MAX_ROWS), delimiter=";")),
                        },
                    )
                )
        finally:
            reached.set()
            connections.close_all()

    previewing = threading.Thread(target=run_preview)
    previewing.start()
    try:
        assert reached.wait(timeout=60)
        assert previewing.is_alive()  # paused inside the preview
        page = Client().get(promise.get_absolute_url())
    finally:
        answered.set()
        previewing.join(timeout=120)

    assert page.status_code == 200
    assert promise.title in page.text
    (preview,) = previews
    assert preview.status_code == 200
    assert len(preview.context["preview"].new) == MAX_ROWS
    assert in_transaction and not any(in_transaction)
    assert not Activity.objects.exists()
