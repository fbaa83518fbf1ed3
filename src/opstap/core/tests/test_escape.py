"""`core.escape.escape_text` writes what Django's `conditional_escape` (and so `{{ value }}`
under autoescaping) writes for the text and integers of the rows a view writes itself
(issue 18)."""

from __future__ import annotations

from django.template import Context, Engine
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from opstap.core.escape import escape_text


@given(st.text())
def test_text_is_escaped_as_conditional_escape_does(text: str) -> None:
    assert escape_text(text) == str(conditional_escape(text))


@given(st.integers())
def test_integers_are_written_as_the_template_writes_them(number: int) -> None:
    rendered = Engine.get_default().from_string("{{ v }}").render(Context({"v": number}))
    assert escape_text(number) == rendered == str(conditional_escape(str(number)))


def test_html_is_kept_and_lazy_text_is_escaped() -> None:
    badge = format_html('<span class="opstap-badge">{}</span>', "A & B")
    assert escape_text(badge) == str(badge) == '<span class="opstap-badge">A &amp; B</span>'
    assert escape_text(mark_safe("<b>x</b>")) == "<b>x</b>"
    lazy = gettext_lazy("Tom & 'Jerry' <\"x\">")
    assert escape_text(lazy) == str(conditional_escape(lazy))
    assert escape_text("") == "" and escape_text(None) == "None"
