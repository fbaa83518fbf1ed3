"""Input forms of the finance models (Dutch labels). Each kind converts between its saved JSON
inputs (`initial_from`) and the posted form (`inputs_from`); no rules here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory

from opstap.clients.models import LADDER_STEP_LABELS_NL, LadderStep
from opstap.core.forms import AmountField, DateInput

from .models_pure.forecast import FlowMode, Granularity


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _join(values: Any) -> str:
    if isinstance(values, list):
        return "; ".join(str(v) for v in values)
    return _s(values)


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\n", ";").split(";") if p.strip()]


def _dec_str(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


class ScenarioNameForm(forms.Form):
    scenario_name = forms.CharField(label="Naam van het scenario", max_length=150, required=False)
    scenario_description = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- cost split --------------------------------------------------------------------------------


class CostSplitForm(forms.Form):
    reference_date = forms.DateField(label="Peildatum", widget=DateInput())
    inhabitant_weight = AmountField(
        label="Gewicht inwonertal (%)", min_value=0, max_value=100, decimal_places=2
    )
    amount = AmountField(
        label="Te verdelen bedrag (euro)", required=False, decimal_places=2, max_digits=14
    )


class MunicipalityRowForm(forms.Form):
    name = forms.CharField(label="Gemeente", max_length=100)
    inhabitants = forms.IntegerField(label="Inwoners", min_value=0)
    client_files = forms.IntegerField(label="Klantdossiers", min_value=0)


MunicipalityFormSet = formset_factory(MunicipalityRowForm, extra=1)


# --- business case -----------------------------------------------------------------------------


class BusinessCaseForm(forms.Form):
    mkba_percentage = AmountField(
        label="MKBA: maatschappelijk rendement (% van de investering)",
        min_value=0,
        decimal_places=2,
        initial=Decimal(10),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in LadderStep:
            label = LADDER_STEP_LABELS_NL[step]
            self.fields[f"sv_before_{step.value}"] = forms.IntegerField(
                label=f"Aantal personen vóór — trede {label}", required=False, min_value=0
            )
            self.fields[f"sv_after_{step.value}"] = forms.IntegerField(
                label=f"Aantal personen na — trede {label}", required=False, min_value=0
            )

    def social_fields(self) -> list[tuple[str, Any, Any]]:
        return [
            (LADDER_STEP_LABELS_NL[s], self[f"sv_before_{s.value}"], self[f"sv_after_{s.value}"])
            for s in LadderStep
        ]


class InvestmentYearForm(forms.Form):
    year = forms.IntegerField(label="Investeringsjaar", min_value=2000, max_value=2100)
    investment = AmountField(label="Extra investering (euro)", decimal_places=2, min_value=0)
    norm_outflow = forms.IntegerField(label="Normuitstroom", min_value=0)
    expected_outflow = forms.IntegerField(label="Verwachte uitstroom", min_value=0)
    savings = forms.CharField(
        label="Besparing per jaar (jaar 1; jaar 2; …)",
        help_text="Bedragen gescheiden door puntkomma's; jaar 1 is het investeringsjaar.",
    )
    savings_outflow = forms.IntegerField(
        label="Besparing geraamd bij uitstroom",
        required=False,
        min_value=0,
        help_text="Leeg = de verwachte uitstroom. Wijkt de verwachte uitstroom af, dan schaalt "
        "de besparing mee met de extra uitstroom boven de norm.",
    )
    realised_outflow = forms.IntegerField(
        label="Gerealiseerde uitstroom", required=False, min_value=0
    )
    realised_savings = forms.CharField(label="Gerealiseerde besparing per jaar", required=False)


InvestmentYearFormSet = formset_factory(InvestmentYearForm, extra=0)


class KeyRowForm(forms.Form):
    name = forms.CharField(label="Gemeente", max_length=100)
    percentage = AmountField(label="Aandeel (%)", decimal_places=2, min_value=0, max_value=100)


KeyFormSet = formset_factory(KeyRowForm, extra=0)


# --- safety net --------------------------------------------------------------------------------


class BuigRowForm(forms.Form):
    municipality = forms.CharField(label="Gemeente", max_length=100)
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
    budget = AmountField(label="BUIG-budget (euro)", decimal_places=2, min_value=0)
    lks_part = AmountField(
        label="Waarvan LKS (euro)", decimal_places=2, min_value=0, required=False
    )
    expenditure = AmountField(label="Uitgaven (euro)", decimal_places=2, min_value=0)
    final = forms.BooleanField(label="Definitief budget", required=False)


BuigFormSet = formset_factory(BuigRowForm, extra=1)


class BandYearForm(forms.Form):
    year = forms.IntegerField(label="Jaar met afwijkende schijven", min_value=2000, max_value=2100)
    own_risk = AmountField(label="Eigen risico tot (%)", decimal_places=2, min_value=0)
    upper = AmountField(label="Tweede schijf tot (%)", decimal_places=2, min_value=0)
    middle = AmountField(
        label="Compensatie tweede schijf (%)", decimal_places=2, min_value=0, max_value=100
    )
    top = AmountField(
        label="Compensatie daarboven (%)", decimal_places=2, min_value=0, max_value=100
    )


BandYearFormSet = formset_factory(BandYearForm, extra=1)


# --- forecast ----------------------------------------------------------------------------------


class ForecastForm(forms.Form):
    mode = forms.ChoiceField(
        label="Stromen opgegeven als",
        choices=[
            (FlowMode.ABSOLUTE.value, "Aantallen personen per periode"),
            (FlowMode.RATES.value, "Percentage van de stand aan het begin van de periode"),
        ],
    )
    granularity = forms.ChoiceField(
        label="Periode",
        choices=[(Granularity.YEAR.value, "Jaar"), (Granularity.MONTH.value, "Maand")],
    )
    start_year = forms.IntegerField(label="Eerste jaar", min_value=2000, max_value=2100)
    start_month = forms.IntegerField(
        label="Eerste maand (bij maanden)", min_value=1, max_value=12, required=False
    )
    show_realised = forms.BooleanField(
        label="Toon het gerealiseerde bestand uit het klantregister", required=False
    )


class ForecastScenarioForm(forms.Form):
    name = forms.CharField(label="Scenario", max_length=100)
    start_stock = forms.IntegerField(label="Beginstand", min_value=0)
    inflows = forms.CharField(label="Instroom per periode (gescheiden door ;)")
    outflows = forms.CharField(label="Uitstroom per periode (gescheiden door ;)")


ForecastScenarioFormSet = formset_factory(ForecastScenarioForm, extra=1)


# --- conversion --------------------------------------------------------------------------------


def _style(form: forms.Form) -> None:
    """NL Design System classes on every widget. Django links the help text and the errors
    (`aria-describedby="<id>_helptext <id>_error"`), which `finance/_field.html` writes."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "utrecht-checkbox")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "utrecht-select")
        else:
            widget.attrs.setdefault("class", "utrecht-textbox")


def _stored_amounts_as_numbers(form: forms.Form) -> None:
    """A scenario's inputs are kept as text ("28.39", "1000000"); given to an amount box as
    numbers, the box shows them the way they are typed ("28,39", "1.000.000,00")."""
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(field, AmountField) and isinstance(value, str):
            try:
                number = Decimal(value)
            except ArithmeticError:  # not a stored number: left as it is
                continue
            if number.is_finite():
                form.initial[name] = number


def _filled(formset: Any) -> list[dict[str, Any]]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class KindForms:
    """The forms of one model kind, bound to POST data or initialised from inputs."""

    def __init__(
        self, kind: str, *, data: Any = None, inputs: dict[str, Any] | None = None
    ) -> None:
        self.kind = kind
        self.main: Any
        self.sets: dict[str, Any]
        inputs = inputs or {}
        self.name_form = ScenarioNameForm(data, prefix="s")
        initial = self._initial(inputs) if data is None else ({}, {})
        main_initial, sets_initial = initial
        if kind == "cost_split":
            self.main = CostSplitForm(data, initial=main_initial, prefix="m")
            self.sets = {
                "municipalities": MunicipalityFormSet(
                    data, initial=sets_initial.get("municipalities"), prefix="gem"
                )
            }
        elif kind == "business_case":
            self.main = BusinessCaseForm(data, initial=main_initial, prefix="m")
            self.sets = {
                "years": InvestmentYearFormSet(
                    data, initial=sets_initial.get("years"), prefix="jaar"
                ),
                "key": KeyFormSet(data, initial=sets_initial.get("key"), prefix="sleutel"),
            }
        elif kind == "safety_net":
            self.main = forms.Form(data, prefix="m")
            self.sets = {
                "rows": BuigFormSet(data, initial=sets_initial.get("rows"), prefix="buig"),
                "bands": BandYearFormSet(data, initial=sets_initial.get("bands"), prefix="schijf"),
            }
        else:
            self.main = ForecastForm(data, initial=main_initial, prefix="m")
            self.sets = {
                "scenarios": ForecastScenarioFormSet(
                    data, initial=sets_initial.get("scenarios"), prefix="sc"
                )
            }
        self.realised = inputs.get("realised") or []
        _style(self.name_form)
        _style(self.main)
        _stored_amounts_as_numbers(self.main)
        for fs in self.sets.values():
            for row_form in fs.forms:
                _style(row_form)
                _stored_amounts_as_numbers(row_form)

    @property
    def set_list(self) -> list[tuple[str, Any]]:
        titles = {
            "municipalities": "Gemeenten",
            "years": "Investeringsjaren",
            "key": "Verdeelsleutel",
            "rows": "BUIG per gemeente en jaar",
            "bands": "Afwijkende schijven per jaar (leeg = standaard 7,5% / 12,5%, 50% / 100%)",
            "scenarios": "Scenario's",
        }
        return [(titles[k], fs) for k, fs in self.sets.items()]

    def is_valid(self) -> bool:
        ok = self.main.is_valid()
        for fs in self.sets.values():
            ok = fs.is_valid() and ok
        return ok

    def _initial(
        self, inputs: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
        k = self.kind
        if k == "cost_split":
            return (
                {
                    "reference_date": inputs.get("reference_date"),
                    "inhabitant_weight": inputs.get("inhabitant_weight"),
                    "amount": inputs.get("amount"),
                },
                {"municipalities": list(inputs.get("municipalities") or [])},
            )
        if k == "business_case":
            main: dict[str, Any] = {"mkba_percentage": inputs.get("mkba_percentage", "10")}
            social = inputs.get("social_value") or {}
            for step, n in (social.get("before") or {}).items():
                main[f"sv_before_{step}"] = n
            for step, n in (social.get("after") or {}).items():
                main[f"sv_after_{step}"] = n
            years = [
                {
                    **y,
                    "savings": _join(y.get("savings")),
                    "realised_savings": _join(y.get("realised_savings")),
                }
                for y in inputs.get("years") or []
            ]
            return main, {"years": years, "key": list(inputs.get("key") or [])}
        if k == "safety_net":
            bands = []
            for year, rows in (inputs.get("bands") or {}).items():
                if len(rows) == 3:
                    bands.append(
                        {
                            "year": year,
                            "own_risk": rows[1]["lower"],
                            "upper": rows[1]["upper"],
                            "middle": rows[1]["compensated"],
                            "top": rows[2]["compensated"],
                        }
                    )
            return {}, {"rows": list(inputs.get("rows") or []), "bands": bands}
        main = {
            key: inputs.get(key) for key in ("mode", "granularity", "start_year", "start_month")
        }
        main["show_realised"] = bool(inputs.get("realised"))
        scenarios = [
            {**s, "inflows": _join(s.get("inflows")), "outflows": _join(s.get("outflows"))}
            for s in inputs.get("scenarios") or []
        ]
        return main, {"scenarios": scenarios}

    def inputs(self) -> dict[str, Any]:
        """The JSON inputs from the valid forms (amounts as strings: no float rounding)."""
        m = self.main.cleaned_data
        k = self.kind
        if k == "cost_split":
            return {
                "reference_date": m["reference_date"].isoformat(),
                "inhabitant_weight": _dec_str(m["inhabitant_weight"]),
                "amount": _dec_str(m.get("amount")),
                "municipalities": [
                    {
                        "name": r["name"],
                        "inhabitants": r["inhabitants"],
                        "client_files": r["client_files"],
                    }
                    for r in _filled(self.sets["municipalities"])
                ],
            }
        if k == "business_case":
            before = {s.value: m.get(f"sv_before_{s.value}") for s in LadderStep}
            after = {s.value: m.get(f"sv_after_{s.value}") for s in LadderStep}
            before = {s: n for s, n in before.items() if n is not None}
            after = {s: n for s, n in after.items() if n is not None}
            return {
                "mkba_percentage": _dec_str(m["mkba_percentage"]),
                "years": [
                    {
                        "year": y["year"],
                        "investment": _dec_str(y["investment"]),
                        "norm_outflow": y["norm_outflow"],
                        "expected_outflow": y["expected_outflow"],
                        "savings_outflow": y.get("savings_outflow"),
                        "savings": _split(y["savings"]),
                        "realised_outflow": y.get("realised_outflow"),
                        "realised_savings": _split(y.get("realised_savings") or "") or None,
                    }
                    for y in _filled(self.sets["years"])
                ],
                "key": [
                    {"name": r["name"], "percentage": _dec_str(r["percentage"])}
                    for r in _filled(self.sets["key"])
                ],
                "social_value": {"before": before, "after": after} if (before or after) else None,
            }
        if k == "safety_net":
            bands = {
                str(b["year"]): [
                    {"lower": "0", "upper": _dec_str(b["own_risk"]), "compensated": "0"},
                    {
                        "lower": _dec_str(b["own_risk"]),
                        "upper": _dec_str(b["upper"]),
                        "compensated": _dec_str(b["middle"]),
                    },
                    {
                        "lower": _dec_str(b["upper"]),
                        "upper": None,
                        "compensated": _dec_str(b["top"]),
                    },
                ]
                for b in _filled(self.sets["bands"])
            }
            return {
                "rows": [
                    {
                        "municipality": r["municipality"],
                        "year": r["year"],
                        "budget": _dec_str(r["budget"]),
                        "lks_part": _dec_str(r.get("lks_part")),
                        "expenditure": _dec_str(r["expenditure"]),
                        "final": bool(r.get("final")),
                    }
                    for r in _filled(self.sets["rows"])
                ],
                "bands": bands,
            }
        return {
            "mode": m["mode"],
            "granularity": m["granularity"],
            "start_year": m["start_year"],
            "start_month": m.get("start_month") or 1,
            "scenarios": [
                {
                    "name": s["name"],
                    "start_stock": s["start_stock"],
                    "inflows": _split(s["inflows"]),
                    "outflows": _split(s["outflows"]),
                }
                for s in _filled(self.sets["scenarios"])
            ],
            "realised": [],
        }
