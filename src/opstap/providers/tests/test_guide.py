"""The instrument guide (R-NET-5): one search page with free text and filters; the price
valid today; constant queries; a public variant without prices behind a setting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opstap.providers import selectors, services
from opstap.providers.models import Product
from opstap.providers.services import LocationInput

D = dt.date


@pytest.fixture
def catalogue(contracted_a, provider_b, contract_manager, make_product, jobcoaching_zevenaar):
    services.contract_create(
        actor=contract_manager,
        provider=provider_b,
        reference="LEON-B",
        start_date=D(2024, 1, 1),
        terms_granted=3,
    )
    make_product(
        provider_b,
        name="Jobcoaching Duiven",
        product_code=5,
        tile_codes=["EW08"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("75.00"),
        locations=[LocationInput(city="Duiven")],
        ladder_steps=["5"],
    )
    make_product(
        provider_b,
        name="Taalcoaching Zevenaar",
        tile_codes=["EW03"],
        locations=[LocationInput(city="Zevenaar")],
        ladder_steps=["2b", "3"],
        target_groups=["migration"],
        price=Decimal("900.00"),
        nominal_duration_days=60,
    )
    make_product(
        contracted_a,
        name="Jobcoaching Arnhem trede 4",
        product_code=5,
        tile_codes=["EW08"],
        price_type="hourly",
        service_kind="jobcoaching",
        price=Decimal("70.00"),
        locations=[LocationInput(city="Arnhem")],
        ladder_steps=["4"],
    )
    return jobcoaching_zevenaar


TODAY = D(2026, 11, 22)


def _names(user, on=TODAY, **filters):
    return [p.name for p in selectors.guide_products(user, selectors.GuideQuery(**filters), on=on)]


def test_guide_text_finds_parts_of_words_on_every_database(catalogue, case_manager) -> None:
    """R-NET-5: "coach" finds Jobcoaching and Taalcoaching on SQLite and PostgreSQL alike
    (PostgreSQL's Dutch full-text search alone would not match a part of a compound)."""
    names = _names(case_manager, text="coach")
    assert "Jobcoaching op de werkplek" in names and "Taalcoaching Zevenaar" in names
    assert _names(case_manager, text="taalcoach zevenaar") == ["Taalcoaching Zevenaar"]


def test_guide_filters(catalogue, case_manager, org) -> None:
    """R-NET-5: free text plus tile, target group, ladder step, municipality, provider,
    price and duration."""
    zevenaar = org and catalogue.locations.get().municipality
    assert _names(case_manager, text="jobcoaching zevenaar") == ["Jobcoaching op de werkplek"]
    assert _names(case_manager, text="jobcoaching", ladder_step="5") == [
        "Jobcoaching Duiven",
        "Jobcoaching op de werkplek",
    ]
    assert _names(case_manager, municipality_id=zevenaar.pk) == [
        "Jobcoaching op de werkplek",
        "Taalcoaching Zevenaar",
    ]
    assert _names(case_manager, tile="EW03") == ["Taalcoaching Zevenaar"]
    assert _names(case_manager, target_group="migration") == ["Taalcoaching Zevenaar"]
    assert _names(case_manager, max_price=Decimal("75.00"), text="jobcoaching") == [
        "Jobcoaching Arnhem trede 4",
        "Jobcoaching Duiven",
    ]
    assert _names(case_manager, max_duration_days=60) == ["Taalcoaching Zevenaar"]
    assert _names(case_manager, provider_id=catalogue.provider_id, text="jobcoaching") == [
        "Jobcoaching Arnhem trede 4",
        "Jobcoaching op de werkplek",
    ]


def test_guide_page_one_search_shows_price_duration_location_provider(
    catalogue, case_manager, client: Client, org
) -> None:
    """R-NET-5: a case manager finds "jobcoaching in Zevenaar for a client on step 5" in one
    search; the result shows the price valid today, duration, location and provider."""
    client.force_login(case_manager)
    html = client.get(
        "/instrumentengids/", {"q": "jobcoaching Zevenaar", "trede": "5"}
    ).content.decode()
    assert "1 product gevonden" in html
    assert "Jobcoaching op de werkplek" in html
    assert "Werkkracht Liemers B.V." in html
    assert "€\u00a080,00 per uur" in html
    assert "365 dagen" in html and "Zevenaar" in html


# The statements of the guide page beyond those of every signed-in request (the user with its
# organisation and roles; the session comes from the cache, issue 18): the filter choices, the
# page's rows with the count, their tiles, locations, target groups and ladder steps, and the
# promoted modules (issue 18; it was 11).
GUIDE_PAGE_QUERIES = 4


def _request_queries(client: Client) -> int:
    """The statements every signed-in request costs here (a page without queries of its
    own is not at hand, so: the guide's total minus its own)."""
    with CaptureQueriesContext(connection) as ctx:
        client.get("/instrumentengids/", {"q": "jobcoaching"})
    return len(ctx.captured_queries) - GUIDE_PAGE_QUERIES


def test_guide_page_constant_queries(
    catalogue, case_manager, client: Client, django_assert_num_queries, make_product
) -> None:
    """R-NET-5: the guide is a constant number of queries whatever the page holds: four of
    its own (issue 18), whatever the number of products, tiles and locations; the session is
    read from the cache (cached_db, issue 18: was 6)."""
    client.force_login(case_manager)
    client.get("/instrumentengids/")  # warm session/user caches
    with django_assert_num_queries(5) as ctx:
        html = client.get("/instrumentengids/", {"q": "jobcoaching"}).content.decode()
    assert "3 producten gevonden" in html
    before = len(ctx.captured_queries)
    for i in range(10):
        make_product(
            catalogue.provider,
            name=f"Jobcoaching extra {i}",
            locations=[LocationInput(city="Duiven"), LocationInput(city="Zevenaar")],
        )
    with django_assert_num_queries(before):
        html = client.get("/instrumentengids/", {"q": "jobcoaching"}).content.decode()
    assert "13 producten gevonden" in html


def _row(html: str, name: str) -> str:
    start = html.index(f"{name}<")
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_guide_rows_show_tiles_locations_groups_and_steps_in_order(
    catalogue, case_manager, client: Client, make_product, provider_b
) -> None:
    """R-NET-5 (issue 18: the rows and their details are read in two statements): a row
    shows its tiles by number, its locations by city, its target groups by name, its ladder
    steps in ladder order, and "offerte" when no price is valid today."""
    product = make_product(
        provider_b,
        name="Breed traject",
        tile_codes=["EW09", "EW04", "EW05"],
        locations=[LocationInput(city="Zevenaar"), LocationInput(city="Duiven")],
        ladder_steps=["5", "2b", "4"],
        target_groups=["youth"],
        price_type="variable",
        price=None,
    )
    client.force_login(case_manager)
    html = client.get("/instrumentengids/", {"q": "breed traject"}).content.decode()
    assert "1 product gevonden" in html
    row = _row(html, "Breed traject")
    assert (
        '<span class="opstap-badge">3. Oriëntatie op de arbeidsmarkt</span> '
        '<span class="opstap-badge">4. Werkfit</span> '
        '<span class="opstap-badge">8. Nazorg</span>'
    ) in row
    assert "<td>Duiven, Zevenaar</td>" in row
    assert "<td>2b, 4, 5</td>" in row
    assert "Code 3 · Jongeren (tot 27 jaar)" in row
    assert "<td>Stichting Ontplooi</td>" in row
    assert '<td class="num">182 dagen</td>' in row
    assert '<td class="num">offerte</td>' in row
    assert f'href="/trajecten/bestellen/?product={product.pk}"' in row


def test_guide_pages_count_with_the_rows(
    catalogue, case_manager, client: Client, make_product, provider_b
) -> None:
    """R-NET-5 (issue 18: the count comes with the rows): 30 matches on pages of 25; a page
    past the end or below 1 shows the last page and one that is no number the first, as
    Django's paginator does; only those cost the extra count."""
    for i in range(30):
        make_product(provider_b, name=f"Reeks {i:02d}")
    client.force_login(case_manager)
    base = _request_queries(client)

    def page(number: str, queries: int) -> str:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/instrumentengids/", {"q": "reeks", "pagina": number})
        assert len(ctx.captured_queries) == base + queries, number
        return html.content.decode()

    first = page("1", GUIDE_PAGE_QUERIES)
    assert "30 producten gevonden" in first and "Pagina 1 van 2" in first
    assert "Reeks 24<" in first and "Reeks 25<" not in first
    assert "pagina=2" in first and "Vorige" not in first
    second = page("2", GUIDE_PAGE_QUERIES)
    assert "30 producten gevonden" in second and "Pagina 2 van 2" in second
    assert "Reeks 25<" in second and "Reeks 29<" in second and "Reeks 24<" not in second
    assert "pagina=1" in second and "Volgende" not in second
    past = page("9", GUIDE_PAGE_QUERIES + 2)  # the count, then the last page
    assert "Pagina 2 van 2" in past and "Reeks 29<" in past and "Reeks 24<" not in past
    below = page("0", GUIDE_PAGE_QUERIES + 1)  # the count, then the last page
    assert "Pagina 2 van 2" in below and "Reeks 29<" in below
    text = page("abc", GUIDE_PAGE_QUERIES)
    assert "Pagina 1 van 2" in text and "Reeks 00<" in text
    nothing = client.get("/instrumentengids/", {"q": "bestaatniet"}).content.decode()
    assert "0 producten gevonden" in nothing and "<table" not in nothing


def test_guide_shows_filter_choices_and_promoted_modules(
    catalogue, case_manager, client: Client
) -> None:
    """R-NET-5 (issue 18: the choices in one statement, the promoted modules in one): work
    tiles by number, municipalities and active providers by name; each promoted module with
    its tile numbers."""
    client.force_login(case_manager)
    html = client.get("/instrumentengids/").content.decode()
    tiles = html[html.index('name="tegel"') : html.index("</select>", html.index('name="tegel"'))]
    assert tiles.index("1. Diagnostiek (intake)") < tiles.index("3. Oriëntatie op de")
    assert tiles.index("3. Oriëntatie op de") < tiles.index("4. Werkfit")
    assert tiles.index("4. Werkfit") < tiles.index("8. Nazorg")
    assert '<option value="EW04">4. Werkfit</option>' in tiles
    towns = html[
        html.index('name="gemeente"') : html.index("</select>", html.index('name="gemeente"'))
    ]
    assert towns.index(">Duiven<") < towns.index(">Westervoort<") < towns.index(">Zevenaar<")
    sellers = html[
        html.index('name="aanbieder"') : html.index("</select>", html.index('name="aanbieder"'))
    ]
    assert sellers.index(">Stichting Ontplooi<") < sellers.index(">Werkkracht Liemers B.V.<")
    assert "<li>Leerwerktraject (tegels 4 + 5 + 6 + 7)</li>" in html
    assert "<li>Maatschappelijk-fit-coach (tegel 2)</li>" in html


def test_guide_needs_permission(catalogue, make_user, client: Client) -> None:
    from opstap.core.roles import RoleCode

    client.force_login(make_user(RoleCode.FINANCE_CLERK))
    assert client.get("/instrumentengids/").status_code == 403


def test_public_guide_behind_setting_without_prices(
    catalogue, contract_manager, org, client: Client
) -> None:
    """R-NET-5: a read-only public variant without prices for residents and employers."""
    url = f"/instrumentengids/openbaar/{org.slug}/"
    assert client.get(url).status_code == 404
    services.network_settings_update(
        actor=contract_manager, organisation=org, public_guide_enabled=True
    )
    html = client.get(url, {"q": "jobcoaching zevenaar"}).content.decode()
    assert "Jobcoaching op de werkplek" in html
    assert "€" not in html and "80,00" not in html
    assert "max_prijs" not in html


def test_ended_products_and_providers_not_in_guide(
    catalogue, contract_manager, case_manager
) -> None:
    services.product_end(actor=contract_manager, product=catalogue, reason="Vervangen")
    assert "Jobcoaching op de werkplek" not in _names(case_manager, text="jobcoaching")
    assert Product.objects.filter(pk=catalogue.pk).exists()


def test_guide_rows_are_guide_products(catalogue, case_manager, make_product, provider_b) -> None:
    """Issue 18: the page's rows (one statement for the products and the count, one for
    their details) hold what `guide_products` with its prefetches holds, in its order."""
    make_product(
        provider_b,
        name="Breed traject",
        tile_codes=["EW09", "EW04", "EW05"],
        locations=[LocationInput(city="Zevenaar"), LocationInput(city="Duiven")],
        ladder_steps=["5", "2b", "4"],
        target_groups=["youth", "migration"],
    )
    query = selectors.GuideQuery()
    products = list(selectors.guide_products(case_manager, query, on=TODAY))
    rows, total = selectors.guide_rows(
        selectors.guide_products(case_manager, query, on=TODAY), offset=0, limit=25
    )
    assert total == len(products) == 5
    assert [r.pk for r in rows] == [p.pk for p in products]
    for row, product in zip(rows, products, strict=True):
        assert row.tiles == [f"{t.number}. {t.name}" for t in product.tiles.all()]
        assert row.locations == [loc.city for loc in product.locations.all()]
        assert sorted(row.target_groups) == sorted(g.code for g in product.target_groups.all())
        assert sorted(row.ladder_steps) == sorted(s.step for s in product.ladder_steps.all())
        assert (row.name, row.code, row.provider, row.duration_days, row.price) == (
            product.name,
            product.product_code.code,
            product.provider.name,
            product.nominal_duration_days,
            product.price_on,
        )
        assert row.hourly == (product.price_type == "hourly")
    assert selectors.guide_rows(
        selectors.guide_products(case_manager, query, on=TODAY), offset=25, limit=25
    ) == ([], None)


def test_guide_filter_choices_are_the_selectors_choices(catalogue, org, contract_manager) -> None:
    """Issue 18: the choices statement gives what the ORM gives: the purchasable work tiles
    valid on the day, the organisation's municipalities and its active providers by name;
    nothing of another organisation, no ended provider."""
    from opstap.organisations.selectors import municipalities_of
    from opstap.organisations.services import organisation_create
    from opstap.providers.models import Provider

    other = organisation_create(name="Elders", slug="elders")
    services.provider_create(organisation=other, name="Aanbieder elders")
    ended = services.provider_create(organisation=org, name="Aanbieder gestopt")
    services.provider_end_participation(
        actor=contract_manager, provider=ended, ended_on=D(2026, 5, 1), reason="Gestopt"
    )
    for day in (D(1990, 1, 1), TODAY):
        choices = selectors.guide_filter_choices(org.pk, on=day)
        assert [(t.code, str(t)) for t in choices.tiles] == [
            (t.code, str(t)) for t in selectors.work_tiles(day)
        ]
        assert choices.municipalities == [
            selectors.Choice(m.pk, m.name) for m in municipalities_of(org.pk).order_by("name")
        ]
        assert choices.providers == [
            selectors.Choice(p.pk, p.name)
            for p in Provider.objects.filter(organisation=org, status="active").order_by("name")
        ]
    assert len(choices.tiles) == 8 and len(choices.municipalities) == 3
    assert [c.name for c in choices.providers] == [
        "Stichting Ontplooi",
        "Werkkracht Liemers B.V.",
    ]


# --- The stored search vector (issue 18) ------------------------------------------------------

SEARCHES = [
    "coach",
    "jobcoaching",
    "Jobcoaching zevenaar",
    "trajecten",  # Dutch stem: finds "traject"
    "werkplekken",
    "de",  # no word of three letters: the full-text match alone on PostgreSQL
    "op de",
    '"op de werkplek"',
    "jobcoaching -arnhem",
    "taal or duiven",
    "5",
    "duiven 75",
    "zzz-niets",
    "   ",
]


def _text_filter_computed(qs, text):
    """The guide's text filter as it was before the stored vector: the Dutch vector computed
    for every product (PostgreSQL), the substring match alone elsewhere."""
    from django.db.models import Q

    text = text.strip()
    if not text:
        return qs
    words = [w for w in text.split() if len(w) > 2 or w.isdigit()]
    substring = Q()
    for word in words:
        substring &= Q(search_text__icontains=word)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("search_text", config="dutch")
        query = SearchQuery(text, config="dutch", search_type="websearch")
        full_text = Q(_search=query)
        return qs.annotate(_search=vector).filter(full_text | substring if words else full_text)
    return qs.filter(substring)


def test_guide_search_finds_what_the_computed_vector_found(
    catalogue, case_manager, make_product, provider_b, contract_manager
) -> None:
    """Issue 18: the search on the stored vector (PostgreSQL) finds the same products in the
    same order as the vector computed per product did, and the page shows the same rows; on
    SQLite the substring match is unchanged. Also after a product's text changes (the
    generated column follows `search_text`)."""
    make_product(provider_b, name="Werkfit-trajecten Duiven", description="Op de werkplek.")
    renamed = make_product(provider_b, name="Oriëntatie")
    services.product_update(
        actor=contract_manager, product=renamed, changes={"name": "Traject oriëntatie Arnhem"}
    )
    base = Product.objects.filter(
        status="active", provider__status="active", organisation_id=catalogue.organisation_id
    ).order_by("name", "pk")
    found_any = set()
    for text in SEARCHES:
        query = selectors.GuideQuery(text=text)
        expected = list(_text_filter_computed(base, text).values_list("pk", flat=True))
        products = selectors.guide_products(case_manager, query, on=TODAY)
        assert [p.pk for p in products] == expected, text
        rows, total = selectors.guide_rows(
            selectors.guide_products(case_manager, query, on=TODAY), offset=0, limit=25
        )
        assert [r.pk for r in rows] == expected, text
        assert total == (len(expected) or None), text
        found_any.update(expected)
    assert renamed.pk in found_any
    # Only the stem matches "trajecten" to the renamed product: PostgreSQL alone finds it.
    found = "Traject oriëntatie Arnhem" in _names(case_manager, text="trajecten")
    assert found == (connection.vendor == "postgresql")


def test_guide_search_reads_the_stored_vector(catalogue, case_manager) -> None:
    """Issue 18: on PostgreSQL the search reads the generated column and computes no vector
    (also when the guide's query is a subquery of another); elsewhere no vector at all."""
    query = selectors.GuideQuery(text="jobcoaching")
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.guide_products(case_manager, query, on=TODAY))
        in_subquery = Product.objects.filter(
            pk__in=selectors.guide_products(case_manager, query, on=TODAY).values("pk")
        )
        assert sorted(p.name for p in in_subquery) == sorted(
            _names(case_manager, text="jobcoaching")
        )
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "to_tsvector" not in sql
    assert ("search_vector" in sql) == (connection.vendor == "postgresql")


def test_search_vector_column_and_index(db) -> None:
    """Migration 0007: on PostgreSQL a stored generated tsvector column with a GIN index; on
    SQLite nothing (the model has no such field)."""
    table = Product._meta.db_table
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        constraints = connection.introspection.get_constraints(cursor, table)
        if connection.vendor != "postgresql":
            assert "search_vector" not in columns
            return
        cursor.execute(
            "SELECT data_type, is_generated, generation_expression FROM "
            "information_schema.columns WHERE table_name = %s AND column_name = 'search_vector'",
            [table],
        )
        data_type, generated, expression = cursor.fetchone()
    assert (data_type, generated) == ("tsvector", "ALWAYS")
    assert "to_tsvector('dutch'::regconfig" in expression
    index = constraints["product_search_vector_idx"]
    assert index["columns"] == ["search_vector"] and index["type"] == "gin"


def test_promoted_rows_are_the_selectors_modules(catalogue, org) -> None:
    """Issue 18: the written-out statement gives what `promoted_modules` gives: the modules
    valid on the day, the organisation's own and those for all, by name, each with its tile
    numbers by kind and number; a module without tiles shows without numbers."""
    from opstap.organisations.services import organisation_create
    from opstap.providers.models import PromotedModule, Tile

    other = organisation_create(name="Elders", slug="elders")
    work = {t.number: t for t in Tile.objects.filter(kind="work")}
    own = PromotedModule.objects.create(
        organisation=org, name="Eigen module", valid_from=D(2026, 1, 1)
    )
    own.tiles.set([work[7], work[2], work[5]])
    PromotedModule.objects.create(organisation=org, name="Zonder tegels", valid_from=D(2026, 1, 1))
    PromotedModule.objects.create(
        organisation=org, name="Afgelopen", valid_from=D(2020, 1, 1), valid_until=D(2026, 6, 30)
    )
    PromotedModule.objects.create(organisation=other, name="Elders", valid_from=D(2020, 1, 1))
    for day in (D(1990, 1, 1), D(2026, 6, 30), TODAY):
        for organisation_id in (org.pk, other.pk):
            expected = [
                (m.name, [t.number for t in m.tiles.order_by("kind", "number")])
                for m in selectors.promoted_modules(organisation_id, day).order_by("name", "pk")
            ]
            assert [
                (r.name, r.tile_numbers) for r in selectors.promoted_rows(organisation_id, day)
            ] == expected
    today = [r.name for r in selectors.promoted_rows(org.pk, TODAY)]
    assert "Eigen module" in today and "Zonder tegels" in today
    assert "Afgelopen" not in today and "Elders" not in today
    assert ("Eigen module", [2, 5, 7]) in [
        (r.name, r.tile_numbers) for r in selectors.promoted_rows(org.pk, TODAY)
    ]


def _search_cases(org, provider_b) -> list[selectors.GuideQuery]:
    from opstap.providers.models import ProductLocation

    municipality = (
        ProductLocation.objects.filter(municipality__isnull=False)
        .values_list("municipality_id", flat=True)
        .first()
    )
    q = selectors.GuideQuery
    return [
        q(),
        q(text="coach"),
        q(text="taalcoach zevenaar"),
        q(text="jobcoaching"),
        q(text="trajecten"),
        q(text="  Werkplek  "),
        q(text="ab"),  # no word of three letters: on PostgreSQL the full-text match only
        q(text="100%_x"),  # LIKE's own characters are text
        q(text="bestaatniet"),
        q(tile="EW08"),
        q(target_group="migration"),
        q(ladder_step="5"),
        q(municipality_id=municipality or 0),
        q(provider_id=provider_b.pk),
        q(max_price=Decimal("80.00")),
        q(max_price=Decimal("75")),
        q(max_duration_days=60),
        q(
            text="coaching",
            tile="EW08",
            ladder_step="5",
            max_price=Decimal("100"),
            max_duration_days=400,
        ),
    ]


def test_the_written_search_is_the_orms_search(
    catalogue, case_manager, contract_manager, make_product, provider_b, make_user, org
) -> None:
    """Issue 18: `GuideSearch` (one written-out statement) gives the rows, the number and
    the count that `guide_rows` gives of `guide_products` (signed in) and of
    `guide_products_public` (no user), for every filter and for users of every reach: a
    case manager, provider staff (their own provider's products only), a user without the
    guide's permissions, an inactive user, a user of another organisation (R-SEC-1)."""
    from opstap.core.roles import RoleCode
    from opstap.organisations.services import organisation_create
    from opstap.providers.services import provider_add_staff

    make_product(
        provider_b,
        name="Breed traject 100%_x",
        tile_codes=["EW09", "EW04", "EW05"],
        locations=[LocationInput(city="Zevenaar"), LocationInput(city="Duiven")],
        ladder_steps=["5", "2b", "4"],
        target_groups=["youth", "migration"],
        price_type="variable",
        price=None,
    )
    staff = make_user(RoleCode.PROVIDER_STAFF, username="zoek-aanbieder")
    provider_add_staff(provider=provider_b, user=staff)
    staff_without_provider = make_user(RoleCode.PROVIDER_STAFF, username="zoek-los")
    clerk = make_user(RoleCode.FINANCE_CLERK, username="zoek-administratie")
    inactive = make_user(RoleCode.CASE_MANAGER, username="zoek-inactief")
    inactive.is_active = False
    other_org = organisation_create(name="Andere gemeente", slug="andere-gemeente")
    elsewhere = make_user(RoleCode.CASE_MANAGER, username="zoek-elders", organisation=other_org)
    users = [case_manager, contract_manager, staff, staff_without_provider, clerk, inactive]
    users.append(elsewhere)
    seen_any = False
    for query in _search_cases(org, provider_b):
        for user in [*users, None]:
            if user is None:
                qs = selectors.guide_products_public(org.pk, query, on=TODAY)
            else:
                qs = selectors.guide_products(user, query, on=TODAY)
            search = selectors.GuideSearch.of(user, org.pk, query, on=TODAY)
            who = (query, getattr(user, "username", "public"))
            for offset, limit in ((0, 25), (1, 2), (25, 25)):
                expected = selectors.guide_rows(qs, offset=offset, limit=limit)
                assert search.rows(offset=offset, limit=limit) == expected, (*who, offset)
            assert search.count() == qs.count(), who
            seen_any = seen_any or search.count() > 0
    assert seen_any
    staff_rows, _n = selectors.GuideSearch.of(staff, org.pk, selectors.GuideQuery(), on=TODAY).rows(
        offset=0, limit=25
    )
    assert staff_rows and {r.provider for r in staff_rows} == {provider_b.name}


def test_the_guide_page_reads_the_written_search(catalogue, case_manager, client: Client) -> None:
    """The page's rows come from the written-out statement: no ORM statement of products."""
    client.force_login(case_manager)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/instrumentengids/", {"q": "jobcoaching", "trede": "5"}).content
    assert b"gevonden" in html
    sql = [q["sql"] for q in ctx.captured_queries if "providers_product" in q["sql"]]
    assert any(s.startswith("SELECT p.id, p.name, c.code") for s in sql)
    assert not any('"providers_product"."id"' in s for s in sql)


def test_the_guides_fields_are_written_as_the_include_wrote_them(catalogue, org) -> None:
    """Issue 18: `fields_html` writes what `{% include "providers/_field.html" %}` wrote for
    every field of the guide's form: unbound, bound and valid, bound with errors, and the
    public form without the price; and for a checkbox and a multiple-checkbox field."""
    from django import forms as django_forms
    from django.template import engines

    from opstap.providers.forms import GuideForm
    from opstap.providers.views import fields_html

    include = engines["django"].from_string(
        '{% for field in form %}{% include "providers/_field.html" %}{% endfor %}'
    )
    choices = selectors.guide_filter_choices(org.pk, on=TODAY)
    kwargs = {
        "tiles": choices.tiles,
        "municipalities": choices.municipalities,
        "providers": choices.providers,
    }

    class Other(django_forms.Form):
        ja = django_forms.BooleanField(label="Akkoord <ja>", required=True)
        keuze = django_forms.MultipleChoiceField(
            label="Soorten",
            choices=[("a", "A & B"), ("c", "C")],
            widget=django_forms.CheckboxSelectMultiple,
        )

    forms_to_check = [
        GuideForm(None, **kwargs),
        GuideForm({"q": 'job "<coach>"', "trede": "5", "tegel": "EW08"}, **kwargs),
        GuideForm({"max_prijs": "veel", "max_weken": "-1", "trede": "99"}, **kwargs),
        GuideForm({"q": "x"}, with_price=False, **kwargs),
        Other(None),
        Other({"keuze": ["z"]}),
    ]
    for form in forms_to_check:
        form.is_valid()
        assert str(fields_html(form)) == include.render({"form": form}), form.data
