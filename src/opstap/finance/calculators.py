"""Scenario inputs (JSON, as saved and as posted to the API) → pure model → report.

One calculator per model kind. `parse` turns the JSON inputs into the pure dataclasses and
refuses bad input with a Dutch `FinanceInputError`; `compute` runs the pure model; `report`
shapes the result as tables and charts for the page, the xlsx and the PDF. The default
inputs are the reference figures of the sources (RSD de Liemers, Zevenaar, Overbetuwe).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from opstap.clients.models import LADDER_STEP_LABELS_NL, LadderStep
from opstap.core.dutch import format_date, parse_date
from opstap.core.money import parse_amount
from opstap.core.reports import Cell, Chart, Report, Series, Table

from .models_pure import business_case as bc
from .models_pure import cost_split as cs
from .models_pure import forecast as fc
from .models_pure import safety_net as sn
from .models_pure import social_value as sv
from .models_pure.errors import FinanceInputError

Inputs = dict[str, Any]


# --- parsing helpers ---------------------------------------------------------------------------


def _day_text(value: object) -> str:
    """A date from the inputs (a date or its ISO text) in the house style, `01-01-2021`."""
    if value is None or value == "":
        return "—"
    try:
        return format_date(parse_date(value if isinstance(value, dt.date) else str(value)))
    except ValueError:
        return str(value)


def dec(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise FinanceInputError(f"{field}: vul een getal in.", field=field)
    try:
        result = parse_amount(str(value))
    except ValueError as exc:
        raise FinanceInputError(f"{field}: '{value}' is geen getal.", field=field) from exc
    if not result.is_finite():
        raise FinanceInputError(f"{field}: '{value}' is geen getal.", field=field)
    return result


def opt_dec(value: Any, field: str) -> Decimal | None:
    return None if value in (None, "") else dec(value, field)


def num(value: Any, field: str) -> int:
    d = dec(value, field)
    if d != d.to_integral_value():
        raise FinanceInputError(f"{field}: vul een geheel getal in.", field=field)
    return int(d)


def opt_num(value: Any, field: str) -> int | None:
    return None if value in (None, "") else num(value, field)


def items(inputs: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = inputs.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise FinanceInputError(f"{key}: verwacht een lijst.", field=key)
    return value


def numbers(value: Any, field: str) -> list[Decimal]:
    """A list of numbers from a JSON list or from '481750; 510000; 420000'."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [p for p in value.replace("\n", ";").split(";") if p.strip()]
    if not isinstance(value, list):
        raise FinanceInputError(f"{field}: verwacht een lijst getallen.", field=field)
    return [dec(v, field) for v in value]


def jsonable(obj: Any) -> Any:
    """Dataclass results as JSON: Decimals as strings (no float rounding), dates ISO."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    return obj


def _f(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


# --- R-FIN-1 cost-split key ---------------------------------------------------------------------


def cost_split_defaults() -> Inputs:
    return {
        "reference_date": "2021-01-01",
        "inhabitant_weight": "50",
        "amount": "1000000",
        "municipalities": [
            {"name": "Duiven", "inhabitants": 25067, "client_files": 433},
            {"name": "Westervoort", "inhabitants": 15011, "client_files": 347},
            {"name": "Zevenaar", "inhabitants": 44099, "client_files": 824},
        ],
    }


def cost_split_compute(inputs: Mapping[str, Any]) -> cs.CostSplitResult:
    figures = [
        cs.MunicipalityFigures(
            name=str(m.get("name") or f"Gemeente {i + 1}"),
            inhabitants=num(m.get("inhabitants"), "inwoners"),
            client_files=num(m.get("client_files"), "klantdossiers"),
        )
        for i, m in enumerate(items(inputs, "municipalities"))
    ]
    weight = dec(inputs.get("inhabitant_weight", "50"), "gewicht inwoners")
    return cs.compute_cost_split(figures, inhabitant_weight=weight)


def cost_split_report(inputs: Mapping[str, Any], result: cs.CostSplitResult) -> Report:
    amount = opt_dec(inputs.get("amount"), "te verdelen bedrag")
    split = dict(result.split(amount)) if amount is not None else {}
    headers = ["Gemeente", "Inwoners", "Klantdossiers", "Aandeel"]
    if amount is not None:
        headers.append("Bedrag")
    rows = []
    for s in result.shares:
        row = [Cell(s.name), Cell(s.inhabitants, "int"), Cell(s.client_files, "int")]
        row.append(Cell(s.percentage, "pct"))
        if amount is not None:
            row.append(Cell(split[s.name], "money"))
        rows.append(tuple(row))
    total = [
        Cell("Totaal", strong=True),
        Cell(result.total_inhabitants, "int", True),
        Cell(result.total_client_files, "int", True),
        Cell(sum(s.percentage for s in result.shares), "pct", True),
    ]
    if amount is not None:
        total.append(Cell(amount, "money", True))
    rows.append(tuple(total))
    weight = result.inhabitant_weight
    return Report(
        title="Verdeelsleutel",
        summary=(
            ("Peildatum", Cell(_day_text(inputs.get("reference_date")))),
            ("Gewicht inwonertal", Cell(weight, "pct")),
            ("Gewicht klantdossiers", Cell(100 - weight, "pct")),
        ),
        tables=(Table("Aandeel per gemeente", tuple(headers), tuple(rows)),),
        charts=(
            Chart(
                title="Aandeel per gemeente (%)",
                kind="bar",
                labels=tuple(s.name for s in result.shares),
                series=(Series("Aandeel", tuple(_f(s.percentage) for s in result.shares)),),
                unit="pct",
            ),
        ),
        notes=(
            "Aandeel = gewicht x inwoners / totaal inwoners + (1 - gewicht) x klantdossiers / "
            "totaal klantdossiers. Afgerond met de methode van de grootste "
            "restwaarde, zodat de aandelen samen precies 100% zijn.",
        ),
    )


# --- R-FIN-2 business case ---------------------------------------------------------------------


def business_case_defaults() -> Inputs:
    return {
        "mkba_percentage": "10",
        "key": [
            {"name": "Duiven", "percentage": "28.39"},
            {"name": "Westervoort", "percentage": "19.73"},
            {"name": "Zevenaar", "percentage": "51.88"},
        ],
        "years": [
            {
                "year": 2022,
                "investment": "1000000",
                "norm_outflow": 200,
                "expected_outflow": 305,
                "savings_outflow": 305,
                "savings": ["481750", "510000", "420000"],
            },
            {
                "year": 2023,
                "investment": "1000000",
                "norm_outflow": 200,
                "expected_outflow": 305,
                "savings_outflow": 305,
                "savings": ["505750", "510000", "420000"],
            },
        ],
        "social_value": None,
    }


def _distribution(value: Any, field: str) -> dict[str, int]:
    if not value:
        return {}
    if not isinstance(value, Mapping):
        raise FinanceInputError(f"{field}: verwacht aantallen per trede.", field=field)
    out: dict[str, int] = {}
    for step, count in value.items():
        try:
            ladder_step = LadderStep(str(step))
        except ValueError as exc:
            raise FinanceInputError(f"{field}: onbekende trede '{step}'.", field=field) from exc
        if count not in (None, ""):
            out[ladder_step] = num(count, field)
    return out


def business_case_compute(
    inputs: Mapping[str, Any], *, mapping: Mapping[str, int] | None = None
) -> bc.BusinessCaseResult:
    years: list[bc.InvestmentYear] = []
    for y in items(inputs, "years"):
        year = num(y.get("year"), "jaar")
        realised = y.get("realised_savings")
        years.append(
            bc.InvestmentYear(
                year=year,
                investment=dec(y.get("investment"), f"investering {year}"),
                norm_outflow=num(y.get("norm_outflow"), f"normuitstroom {year}"),
                expected_outflow=num(y.get("expected_outflow"), f"verwachte uitstroom {year}"),
                savings=tuple(numbers(y.get("savings"), f"besparing {year}")),
                savings_outflow=opt_num(y.get("savings_outflow"), f"raming bij uitstroom {year}"),
                realised_investment=opt_dec(
                    y.get("realised_investment"), f"gerealiseerde investering {year}"
                ),
                realised_outflow=opt_num(
                    y.get("realised_outflow"), f"gerealiseerde uitstroom {year}"
                ),
                realised_savings=(
                    tuple(numbers(realised, f"gerealiseerde besparing {year}"))
                    if realised not in (None, "", [])
                    else None
                ),
            )
        )
    key = [
        (str(k.get("name") or "?"), dec(k.get("percentage"), "verdeelsleutel"))
        for k in items(inputs, "key")
    ]
    social: sv.SocialValueResult | None = None
    social_inputs = inputs.get("social_value")
    if isinstance(social_inputs, Mapping) and (
        social_inputs.get("before") or social_inputs.get("after")
    ):
        social = sv.social_value(
            _distribution(social_inputs.get("before"), "voor"),
            _distribution(social_inputs.get("after"), "na"),
            mapping=mapping or sv.DEFAULT_MAPPING,
        )
    return bc.compute_business_case(
        years,
        key=key,
        mkba_percentage=dec(inputs.get("mkba_percentage", "10"), "MKBA-percentage"),
        social_value=social,
    )


def business_case_report(inputs: Mapping[str, Any], result: bc.BusinessCaseResult) -> Report:
    width = max(len(y.savings) for y in result.years)
    headers = [
        "Investeringsjaar",
        "Investering",
        "Normuitstroom",
        "Verwachte uitstroom",
        "Extra uitstroom",
    ]
    headers += [f"Besparing jaar {i + 1}" for i in range(width)]
    headers += ["Totale besparing", "Netto besparing", "Terugverdiend in"]
    rows = []
    for y in result.years:
        row = [
            Cell(str(y.year)),
            Cell(y.investment, "money"),
            Cell(y.norm_outflow, "int"),
            Cell(y.expected_outflow, "int"),
            Cell(y.extra_outflow, "int"),
        ]
        row += [Cell(y.savings[i] if i < len(y.savings) else None, "money") for i in range(width)]
        row += [
            Cell(y.total_savings, "money", True),
            Cell(y.net_savings, "money", True),
            Cell(str(y.payback_year) if y.payback_year else "niet binnen de looptijd"),
        ]
        rows.append(tuple(row))
    total_row = [Cell("Totaal", strong=True), Cell(result.total_investment, "money", True)]
    total_row += [Cell(None, "int")] * 3 + [Cell(None, "money")] * width
    total_row += [
        Cell(result.total_savings, "money", True),
        Cell(result.net_savings, "money", True),
        Cell(str(result.payback_year) if result.payback_year else "niet binnen de looptijd"),
    ]
    rows.append(tuple(total_row))
    tables = [Table("Per investeringsjaar", tuple(headers), tuple(rows))]
    tables.append(
        Table(
            "Kasstroom per kalenderjaar",
            ("Jaar", "Investering", "Besparing", "Cumulatief netto"),
            tuple(
                (
                    Cell(str(t.year)),
                    Cell(t.investment, "money"),
                    Cell(t.savings, "money"),
                    Cell(t.cumulative_net, "money"),
                )
                for t in result.timeline
            ),
        )
    )
    if result.municipalities:
        muni_rows = [
            (
                Cell(m.name),
                Cell(m.percentage, "pct"),
                Cell(m.investment, "money"),
                Cell(m.total_savings, "money"),
                Cell(m.net_savings, "money", True),
            )
            for m in result.municipalities
        ]
        muni_rows.append(
            (
                Cell("Totaal", strong=True),
                Cell(sum(m.percentage for m in result.municipalities), "pct", True),
                Cell(result.total_investment, "money", True),
                Cell(result.total_savings, "money", True),
                Cell(result.net_savings, "money", True),
            )
        )
        tables.append(
            Table(
                "Per gemeente (verdeelsleutel)",
                ("Gemeente", "Aandeel", "Investering", "Totale besparing", "Netto besparing"),
                tuple(muni_rows),
            )
        )
    if result.has_realisation:
        tables.append(
            Table(
                "Plan en realisatie",
                (
                    "Jaar",
                    "Verwachte uitstroom",
                    "Gerealiseerde uitstroom",
                    "Geplande besparing",
                    "Gerealiseerde besparing",
                    "Netto plan",
                    "Netto realisatie",
                ),
                tuple(
                    (
                        Cell(str(y.year)),
                        Cell(y.expected_outflow, "int"),
                        Cell(y.realised_outflow, "int"),
                        Cell(y.total_savings, "money"),
                        Cell(y.realised_total_savings, "money"),
                        Cell(y.net_savings, "money"),
                        Cell(y.realised_net_savings, "money"),
                    )
                    for y in result.years
                ),
            )
        )
    societal = [
        (
            Cell(
                "MKBA-schatting ("
                + str(result.mkba_percentage).replace(".", ",")
                + "% van de investering)"
            ),
            Cell(result.mkba_value, "money"),
        )
    ]
    if result.social_value is not None:
        societal += [
            (
                Cell("Maatschappelijke waarde per jaar vóór (Meetstandaard 2026)"),
                Cell(result.social_value.before, "money"),
            ),
            (Cell("Maatschappelijke waarde per jaar na"), Cell(result.social_value.after, "money")),
            (
                Cell("Verandering maatschappelijke waarde per jaar"),
                Cell(result.social_value.change, "money", True),
            ),
        ]
    tables.append(Table("Maatschappelijk rendement", ("Onderdeel", "Bedrag"), tuple(societal)))
    muni_chart: tuple[Chart, ...] = ()
    if result.municipalities:
        muni_chart = (
            Chart(
                title="Netto besparing per gemeente",
                kind="bar",
                labels=tuple(m.name for m in result.municipalities),
                series=(
                    Series(
                        "Netto besparing", tuple(_f(m.net_savings) for m in result.municipalities)
                    ),
                ),
                unit="money",
            ),
        )
    return Report(
        title="Businesscase",
        summary=(
            ("Totale investering", Cell(result.total_investment, "money")),
            ("Totale besparing uitkeringslast", Cell(result.total_savings, "money")),
            ("Netto besparing", Cell(result.net_savings, "money", True)),
            (
                "Terugverdiend in",
                Cell(
                    str(result.payback_year) if result.payback_year else "niet binnen de looptijd",
                    strong=True,
                ),
            ),
        ),
        tables=tuple(tables),
        charts=(
            Chart(
                title="Investering, besparing en cumulatief netto resultaat per jaar",
                kind="bar",
                labels=tuple(str(t.year) for t in result.timeline),
                series=(
                    Series("Investering", tuple(_f(-t.investment) for t in result.timeline)),
                    Series("Besparing", tuple(_f(t.savings) for t in result.timeline)),
                    Series(
                        "Cumulatief netto", tuple(_f(t.cumulative_net) for t in result.timeline)
                    ),
                ),
                unit="money",
            ),
            *muni_chart,
        ),
        notes=(
            "Besparingsjaar 1 is het investeringsjaar zelf. De besparing komt uit de extra "
            "uitstroom boven de norm; bij een andere verwachte uitstroom schaalt zij naar "
            "verhouding mee.",
        ),
    )


# --- R-FIN-3/4 BUIG and safety net -------------------------------------------------------------


def safety_net_defaults() -> Inputs:
    # Illustrative budgets (the source gives the percentages, not the amounts): Zevenaar 2023 a
    # 9% deficit, Duiven and Westervoort about 1-2%.
    return {
        "rows": [
            {
                "municipality": "Duiven",
                "year": 2023,
                "budget": "6500000",
                "lks_part": "450000",
                "expenditure": "6597500",
                "final": True,
            },
            {
                "municipality": "Westervoort",
                "year": 2023,
                "budget": "4800000",
                "lks_part": "300000",
                "expenditure": "4872000",
                "final": True,
            },
            {
                "municipality": "Zevenaar",
                "year": 2023,
                "budget": "13400000",
                "lks_part": "900000",
                "expenditure": "14606000",
                "final": True,
            },
        ],
        "bands": {},
    }


def _bands(value: Any) -> list[sn.Band]:
    if not isinstance(value, list):
        raise FinanceInputError("schijven: verwacht een lijst.", field="bands")
    return [
        sn.Band(
            lower=dec(b.get("lower"), "schijf van"),
            upper=opt_dec(b.get("upper"), "schijf tot"),
            compensated=dec(b.get("compensated"), "compensatie"),
        )
        for b in value
    ]


def safety_net_compute(inputs: Mapping[str, Any]) -> list[sn.SafetyNetResult]:
    rows = [
        sn.BuigYear(
            municipality=str(r.get("municipality") or "?"),
            year=num(r.get("year"), "jaar"),
            budget=dec(r.get("budget"), "budget"),
            lks_part=opt_dec(r.get("lks_part"), "LKS-deel") or Decimal(0),
            expenditure=dec(r.get("expenditure"), "uitgaven"),
            final=bool(r.get("final")),
        )
        for r in items(inputs, "rows")
    ]
    if not rows:
        raise FinanceInputError("Vul ten minste één gemeente en jaar in.", field="rows")
    raw_bands = inputs.get("bands") or {}
    if not isinstance(raw_bands, Mapping):
        raise FinanceInputError("schijven: verwacht schijven per jaar.", field="bands")
    by_year = {num(year, "jaar schijven"): _bands(b) for year, b in raw_bands.items()}
    return sn.compute_safety_nets(rows, bands_by_year=by_year)


def safety_net_report(inputs: Mapping[str, Any], results: list[sn.SafetyNetResult]) -> Report:
    rows = tuple(
        (
            Cell(r.municipality),
            Cell(str(r.year)),
            Cell("definitief" if r.final else "voorlopig"),
            Cell(r.budget, "money"),
            Cell(r.lks_part, "money"),
            Cell(r.expenditure, "money"),
            Cell(r.deficit, "money"),
            Cell(r.deficit_percentage, "pct", True),
            Cell("ja" if r.eligible else "nee", strong=r.eligible),
            Cell(r.compensation, "money", True),
        )
        for r in results
    )
    bands_note = (
        "Schijven: eerste 7,5% eigen risico; 50% van het tekort tussen 7,5% en 12,5%; "
        "100% boven 12,5% (standaard, per jaar aan te passen)."
    )
    return Report(
        title="BUIG-budget en vangnetuitkering",
        summary=tuple(
            (
                f"{r.municipality} {r.year}",
                Cell(
                    "komt in aanmerking" if r.eligible else "komt niet in aanmerking",
                    strong=r.eligible,
                ),
            )
            for r in results
        ),
        tables=(
            Table(
                "Tekort en verwachte compensatie",
                (
                    "Gemeente",
                    "Jaar",
                    "Budget",
                    "BUIG-budget",
                    "waarvan LKS",
                    "Uitgaven",
                    "Tekort",
                    "Tekort %",
                    "Vangnet",
                    "Verwachte compensatie",
                ),
                rows,
            ),
        ),
        charts=(
            Chart(
                title="Tekort als percentage van het budget",
                kind="bar",
                labels=tuple(f"{r.municipality} {r.year}" for r in results),
                series=(Series("Tekort %", tuple(_f(r.deficit_percentage) for r in results)),),
                unit="pct",
                reference_line=float(results[0].threshold)
                if results and results[0].threshold < 1000
                else None,
                reference_label="drempel vangnet",
            ),
        ),
        notes=("Tekort % = (uitgaven - budget) / budget. " + bands_note,),
    )


# --- R-FIN-5 caseload forecast -----------------------------------------------------------------


def forecast_defaults() -> Inputs:
    return {
        "mode": fc.FlowMode.ABSOLUTE.value,
        "granularity": fc.Granularity.YEAR.value,
        "start_year": 2020,
        "start_month": 1,
        "scenarios": [
            {
                "name": name,
                "start_stock": fc.OVERBETUWE_START_STOCK,
                "inflows": [str(i) for i in inflows],
                "outflows": [str(fc.OVERBETUWE_OUTFLOW)] * len(inflows),
            }
            for name, inflows in fc.OVERBETUWE_INFLOWS
        ],
        "realised": [],
    }


def forecast_compute(inputs: Mapping[str, Any]) -> list[fc.Projection]:
    try:
        mode = fc.FlowMode(str(inputs.get("mode") or "absolute"))
        granularity = fc.Granularity(str(inputs.get("granularity") or "year"))
    except ValueError as exc:
        raise FinanceInputError("Onbekende soort stromen of periode.", field="mode") from exc
    start_year = num(inputs.get("start_year"), "beginjaar")
    start_month = opt_num(inputs.get("start_month"), "beginmaand") or 1
    scenarios = []
    for s in items(inputs, "scenarios"):
        name = str(s.get("name") or "Scenario")
        inflows = numbers(s.get("inflows"), f"instroom {name}")
        outflows = numbers(s.get("outflows"), f"uitstroom {name}")
        if len(inflows) != len(outflows):
            raise FinanceInputError(
                f"{name}: geef voor elke periode zowel instroom als uitstroom op.",
                field="scenarios",
            )
        scenarios.append(
            fc.Scenario(
                name=name,
                start_stock=num(s.get("start_stock"), f"beginstand {name}"),
                start_year=start_year,
                start_month=start_month,
                granularity=granularity,
                mode=mode,
                periods=tuple(fc.PeriodFlows(i, o) for i, o in zip(inflows, outflows, strict=True)),
            )
        )
    if not scenarios:
        raise FinanceInputError("Geef ten minste één scenario op.", field="scenarios")
    return fc.project_all(scenarios)


def forecast_report(inputs: Mapping[str, Any], projections: list[fc.Projection]) -> Report:
    labels = max((p.labels for p in projections), key=len)
    realised_raw = inputs.get("realised") or []
    realised: dict[str, int] = {}
    if isinstance(realised_raw, list):
        for pair in realised_raw:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                realised[str(pair[0])] = num(pair[1], "gerealiseerd")
    headers = ["Periode", *(p.name for p in projections)]
    if realised:
        headers.append("Gerealiseerd")
    rows = []
    for i, label in enumerate(labels):
        row = [Cell(label)]
        row += [Cell(p.rows[i].end if i < len(p.rows) else None, "int") for p in projections]
        if realised:
            row.append(Cell(realised.get(label), "int"))
        rows.append(tuple(row))
    flow_rows = tuple(
        (
            Cell(p.name),
            Cell(r.label),
            Cell(r.start, "int"),
            Cell(r.inflow, "int"),
            Cell(r.outflow, "int"),
            Cell(r.end, "int"),
        )
        for p in projections
        for r in p.rows
    )
    series = [Series(p.name, tuple(float(r.end) for r in p.rows)) for p in projections]
    if realised:
        series.append(
            Series("Gerealiseerd", tuple(_f(realised.get(lbl)) for lbl in labels), dashed=True)
        )
    return Report(
        title="Prognose uitkeringsbestand",
        summary=tuple((f"{p.name}: eindstand", Cell(p.rows[-1].end, "int")) for p in projections),
        tables=(
            Table("Stand aan het eind van elke periode", tuple(headers), tuple(rows)),
            Table(
                "Stromen per scenario",
                ("Scenario", "Periode", "Begin", "Instroom", "Uitstroom", "Eind"),
                flow_rows,
            ),
        ),
        charts=(
            Chart(
                title="Aantal uitkeringsgerechtigden per scenario",
                kind="line",
                labels=tuple(labels),
                series=tuple(series),
            ),
        ),
        notes=("Stand(t+1) = stand(t) + instroom(t) - uitstroom(t).",),
    )


# --- registry ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Calculator:
    kind: str
    title: str
    defaults: Callable[[], Inputs]
    compute: Callable[..., Any]
    report: Callable[[Mapping[str, Any], Any], Report]

    def run(self, inputs: Mapping[str, Any], **kwargs: Any) -> tuple[Any, Report]:
        result = self.compute(inputs, **kwargs)
        return result, self.report(inputs, result)


CALCULATORS: dict[str, Calculator] = {
    "cost_split": Calculator(
        "cost_split", "Verdeelsleutel", cost_split_defaults, cost_split_compute, cost_split_report
    ),
    "business_case": Calculator(
        "business_case",
        "Businesscase",
        business_case_defaults,
        business_case_compute,
        business_case_report,
    ),
    "safety_net": Calculator(
        "safety_net", "BUIG en vangnet", safety_net_defaults, safety_net_compute, safety_net_report
    ),
    "forecast": Calculator(
        "forecast",
        "Prognose uitkeringsbestand",
        forecast_defaults,
        forecast_compute,
        forecast_report,
    ),
}

LADDER_LABELS = LADDER_STEP_LABELS_NL
