import feedparser
import pytest

from tests.opendata.conftest import SECRET, build_scene

UPDATES = "/oppna-data/timra/lagesrapporter.atom"
MEETINGS = "/oppna-data/timra/sammantraden.atom"
QUESTIONS = "/oppna-data/timra/fragor.atom"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def promise_feed_url(promise) -> str:
    return f"/oppna-data/timra/{promise.period.slug}/{promise.slug}/flode.atom"


def test_municipality_progress_feed_lists_the_published_updates(client, scene):
    feed = parse(client.get(UPDATES))

    updates = {
        f"http://testserver/api/v1/progress-updates/{u.pk}/": u for u in scene.published.updates
    }
    assert {entry.id for entry in feed.entries} == set(updates)
    assert feed.feed.title == "Lägesrapporter om medborgarlöftena i Timrå"
    assert feed.feed.language == "sv"
    for entry in feed.entries:
        update = updates[entry.id]
        assert entry.title.startswith(update.activity.title)
        assert f"{update.percent_complete} % klart" in entry.title
        assert update.text in entry.summary
        assert entry.link == f"http://testserver{update.activity.promise.get_absolute_url()}"
        assert entry.author == update.organisation.name


def test_municipality_meetings_feed_lists_published_meetings_with_assessments(client, scene):
    feed = parse(client.get(MEETINGS))

    assert [entry.id for entry in feed.entries] == [
        f"http://testserver/api/v1/meetings/{scene.published.meeting.pk}/"
    ]
    entry = feed.entries[0]
    assert entry.title == "Rådet för trygghet och hälsa, sammanträde 12 juni 2025"
    assert "Åtgärder för ökad trygghet." in entry.summary
    assert "Avvikelse" in entry.summary
    assert entry.link == f"http://testserver{scene.published.meeting.get_absolute_url()}"


def test_promise_feed_combines_its_updates_and_the_councils_follow_ups(client, scene):
    promise = scene.published.promises[0]

    feed = parse(client.get(promise_feed_url(promise)))

    update_ids = {
        f"http://testserver/api/v1/progress-updates/{u.pk}/"
        for u in scene.published.updates
        if u.activity.promise_id == promise.pk
    }
    follow_up_ids = {
        f"http://testserver/api/v1/meetings/{f.meeting_id}/#uppfoljning-{f.pk}"
        for f in scene.published.follow_ups
        if f.promise_id == promise.pk
    }
    assert {entry.id for entry in feed.entries} == update_ids | follow_up_ids
    assert feed.feed.title == f"Medborgarlöftet ”{promise.title}”"
    titles = [entry.title for entry in feed.entries]
    assert "Rådets uppföljning 12 juni 2025: avvikelse" in titles


def test_feed_text_is_escaped_not_run_as_markup(client, scene):
    update = scene.published.updates[0]
    update.text = "<script>alert(1)</script> & mer"
    update.save()

    feed = parse(client.get(UPDATES))

    entry = next(e for e in feed.entries if e.id.endswith(f"/{update.pk}/"))
    assert "<script>" not in entry.summary
    assert "&lt;script&gt;" in entry.summary


def test_nothing_unpublished_is_in_any_feed(client, scene):
    urls = [
        UPDATES,
        MEETINGS,
        QUESTIONS,
        *(promise_feed_url(p) for p in scene.published.promises),
    ]
    for url in urls:
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
        assert not response.cookies
    meeting_ids = {entry.id for entry in parse(client.get(MEETINGS)).entries}
    assert not any(str(scene.unpublished_meeting.pk) in i.split("/")[-2] for i in meeting_ids)
    assert client.get(promise_feed_url(scene.draft.promises[0])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/oppna-data/finns-inte/lagesrapporter.atom",
        "/oppna-data/finns-inte/sammantraden.atom",
        "/oppna-data/timra/2025-2026/finns-inte/flode.atom",
    ],
)
def test_unknown_feeds_are_404(client, scene, path):
    assert client.get(path).status_code == 404


def test_a_municipality_with_only_draft_periods_has_no_feeds(client, db):
    scene = build_scene()
    scene.published.period.is_published = False
    scene.published.period.save()

    assert client.get(UPDATES).status_code == 404
    assert client.get(MEETINGS).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_feeds_cost_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    scene = build_scene(size)

    with django_assert_num_queries(2):  # municipality, updates
        parse(client.get(UPDATES))
    with django_assert_num_queries(3):  # municipality, meetings, follow-ups
        parse(client.get(MEETINGS))
    with django_assert_num_queries(3):  # promise, updates, follow-ups
        parse(client.get(promise_feed_url(scene.published.promises[0])))


def test_feeds_and_calendar_refuse_writes(client, scene):
    promise = scene.published.promises[0]
    for url in [UPDATES, MEETINGS, promise_feed_url(promise), "/oppna-data/timra/sammantraden.ics"]:
        assert client.post(url).status_code == 405, url
        assert client.head(url).status_code == 200, url


def test_feed_readers_polling_an_unchanged_feed_get_a_304(client, scene):
    for url in [UPDATES, MEETINGS, "/oppna-data/timra/sammantraden.ics"]:
        first = client.get(url)
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""


def test_the_questions_feed_carries_published_questions_and_answers_only(client, scene):
    feed = parse(client.get(QUESTIONS))
    # One answered question per promise, and one sent to the unpublished meeting,
    # listed without its answer; the unmoderated one is not there.
    assert len(feed.entries) == len(scene.published.promises) + 1
    answered = [entry for entry in feed.entries if entry.title.startswith("Rådet svarar:")]
    assert len(answered) == len(scene.published.promises)
    assert all("Rådet svarar på frågan." in entry.summary for entry in answered)
    assert all(e.id.startswith("http://testserver/api/v1/questions/") for e in feed.entries)
    assert "@example.invalid" not in client.get(QUESTIONS).content.decode()
