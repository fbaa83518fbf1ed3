"""Issue 14: users see Dutch, not the specification's rule ids. Model help texts and names
(the admin shows them, model forms take them over) and the labels and help texts of the
forms carry no R-XXX-n; the ids stay in comments and docstrings for developers."""

from __future__ import annotations

import importlib
import pkgutil
import re

from django import forms
from django.apps import apps

import opstap

RULE_ID = re.compile(r"\bR-[A-Z]{2,5}-\d")
ATTRS = ("help_text", "verbose_name")


def test_model_help_texts_and_names_carry_no_rule_ids() -> None:
    """Help texts, verbose names and choices of every field and model of Opstap: no ids."""
    found: list[str] = []
    checked = 0
    for model in apps.get_models():
        if not model.__module__.startswith("opstap."):
            continue
        meta = model._meta
        texts = [(meta.label, str(meta.verbose_name)), (meta.label, str(meta.verbose_name_plural))]
        for field in meta.get_fields():
            where = f"{meta.label}.{field.name}"
            texts += [(where, str(getattr(field, attr, "") or "")) for attr in ATTRS]
            texts += [(where, str(label)) for _v, label in getattr(field, "flatchoices", [])]
        checked += len(texts)
        found += [f"{where}: {text}" for where, text in texts if RULE_ID.search(text)]
    assert checked > 500
    assert found == [], "\n".join(found)


def test_form_labels_and_help_texts_carry_no_rule_ids() -> None:
    """Labels, help texts and choices of the declared fields of every form in Opstap."""
    found: list[str] = []
    forms_seen = 0
    for info in pkgutil.walk_packages(opstap.__path__, "opstap."):
        if not info.name.endswith(".forms") or ".tests" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, forms.BaseForm)):
                continue
            if value.__module__ != module.__name__:
                continue
            forms_seen += 1
            for name, field in value.base_fields.items():
                texts = [str(field.label or ""), str(field.help_text or "")]
                if not isinstance(field, forms.ModelChoiceField):  # those query the database
                    texts += [str(label) for _v, label in getattr(field, "choices", None) or []]
                where = f"{module.__name__}.{value.__name__}.{name}"
                found += [f"{where}: {text}" for text in texts if RULE_ID.search(text)]
    assert forms_seen > 20
    assert found == [], "\n".join(found)
