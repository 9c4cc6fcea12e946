"""Our select template (src/supportdesk/jinja2/django/forms/widgets/select.html) writes its options
itself instead of including a template per option: it must write exactly what Django's own does."""

from __future__ import annotations

from pathlib import Path

import django
import jinja2
import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
DJANGOS_OWN = Path(django.__file__).parent / "forms" / "jinja2"


def _choices() -> list[tuple[object, object]]:
    return [
        ("", "Any"),
        ("open", 'Open & <"new">'),
        ("Finance", [("s1", "Invoices"), ("s2", mark_safe("<b>Acts</b>"))]),
        (3, "Three"),
    ]


def test_widgets_render_with_our_select() -> None:
    template = engines["jinja2"].env.get_template(SELECT)
    assert Path(template.filename).as_posix().endswith("supportdesk/jinja2/" + SELECT)


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(attrs={"class": "input", "data-x": 'a"b'}), "open"),
        (forms.Select(), "s2"),
        (forms.Select(), 3),
        (forms.SelectMultiple(attrs={"required": True, "disabled": False}), ["s1", "open"]),
    ],
)
def test_the_select_writes_what_djangos_own_template_writes(widget: forms.Select, value: object) -> None:
    widget.choices = _choices()
    ours = widget.render("status", value, attrs={"id": "id_status"})
    djangos = engines["jinja2"].env.overlay(loader=jinja2.FileSystemLoader(DJANGOS_OWN))
    theirs = djangos.get_template(SELECT).render(widget.get_context("status", value, {"id": "id_status"}))
    assert ours.count("<option") == 5
    assert ours == theirs


def test_an_option_with_a_template_of_its_own_is_still_included(tmp_path: Path) -> None:
    (tmp_path / "bold_option.html").write_text("<option><b>{{ widget.label }}</b></option>")
    env = engines["jinja2"].env
    loader = env.loader
    env.loader = jinja2.ChoiceLoader([loader, jinja2.FileSystemLoader(str(tmp_path))])
    try:
        widget = forms.Select(choices=[("a", "Alpha")])
        widget.option_template_name = "bold_option.html"
        assert "<option><b>Alpha</b></option>" in widget.render("x", "a")
    finally:
        env.loader = loader
        env.cache.clear()
