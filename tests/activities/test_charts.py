"""The server-drawn SVG indicator chart."""

import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

from activities.charts import HEIGHT, _nice_step, format_number, indicator_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def chart(**overrides):
    arguments = {
        "chart_id": "indicator-1-chart",
        "title": "Trafikkontroller (antal)",
        "unit": "antal",
        "points": [(date(2021, 6, 30), 12), (date(2021, 12, 31), 20), (date(2022, 6, 30), 30)],
        "baseline": 0,
        "target": 40,
    }
    arguments.update(overrides)
    return indicator_chart_svg(**arguments)


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output, not untrusted


def line_y(root, css_class: str) -> float:
    line = root.find(f"{SVG}line[@class='{css_class}']")
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1"))


def test_no_measurements_draw_nothing():
    assert chart(points=[]) == ""


def test_the_chart_is_an_image_named_by_its_title_and_described_in_text():
    root = parse(chart())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "indicator-1-chart-title indicator-1-chart-desc"
    assert root.find(f"{SVG}title").text == "Trafikkontroller (antal)"
    description = root.find(f"{SVG}desc").text
    assert "3 mätvärden från 2021-06-30 till 2022-06-30" in description
    assert "Senaste värdet är 30 antal." in description
    assert "Utgångsvärde: 0." in description
    assert "Målvärde: 40." in description


def test_one_point_per_measurement_joined_by_a_line_in_date_order():
    points = [(date(2022, 6, 30), 30), (date(2021, 6, 30), 12), (date(2021, 12, 31), 20)]
    root = parse(chart(points=points))
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 3
    xs = [float(c.get("cx")) for c in circles]
    ys = [float(c.get("cy")) for c in circles]
    assert xs == sorted(xs)
    # Higher values are drawn higher up (smaller y).
    assert ys == sorted(ys, reverse=True)
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3


def test_baseline_and_target_are_lines_with_text_labels_at_their_values():
    root = parse(chart(points=[(date(2022, 1, 1), 40)]))
    labels = [t.text for t in root.findall(f"{SVG}text[@class='chart-label']")]
    assert labels == ["Utgångsvärde 0", "Mål 40"]
    target_y = line_y(root, "chart-target")
    point_y = float(root.find(f"{SVG}circle").get("cy"))
    assert target_y == point_y
    assert line_y(root, "chart-baseline") > target_y


def test_a_single_measurement_needs_no_line_and_sits_in_the_middle():
    root = parse(chart(points=[(date(2022, 1, 1), 5)], baseline=None, target=None))
    assert root.find(f"{SVG}polyline") is None
    assert root.find(f"{SVG}line[@class='chart-target']") is None
    assert len(root.findall(f"{SVG}circle")) == 1


def test_all_values_stay_inside_the_drawing():
    root = parse(chart(points=[(date(2022, 1, 1), -5), (date(2022, 2, 1), 1000)], target=2000))
    for circle in root.findall(f"{SVG}circle"):
        assert 0 <= float(circle.get("cy")) <= HEIGHT


def test_the_value_axis_uses_round_steps():
    root = parse(
        chart(points=[(date(2022, 1, 1), 104), (date(2023, 1, 1), 112)], baseline=95, target=120)
    )
    ticks = [t.text for t in root.findall(f"{SVG}text[@class='chart-axis']")][:-2]
    assert ticks == ["0", "50", "100", "150"]
    assert _nice_step(1) == 0.25
    assert _nice_step(40) == 10


def test_text_from_staff_is_escaped():
    svg = chart(title='<script>alert("x")</script>', unit="<b>st</b>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<b>" not in svg
    parse(svg)  # still well-formed XML


def test_decimal_values_use_a_swedish_decimal_comma_without_needless_zeros():
    assert format_number(Decimal("5.00")) == "5"
    assert format_number(Decimal("2.50")) == "2,5"
    svg = chart(points=[(date(2022, 1, 1), Decimal("2.50"))], baseline=Decimal("1.25"))
    assert "Utgångsvärde 1,25" in svg
    assert re.search(r"Senaste värdet är 2,5 antal", svg)
