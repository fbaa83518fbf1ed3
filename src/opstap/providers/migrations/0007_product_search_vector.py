"""The guide's Dutch full-text match read from a stored vector (issue 18): on PostgreSQL a
generated column `providers_product.search_vector`, to_tsvector('dutch', search_text) as the
guide computed it for every product on each search before, with a GIN index. PostgreSQL
keeps it up to date on every write of `search_text`, so the services need no change.

The column is not a field of the model: no other read of a product loads it, and SQLite (the
demo and `make test`) has no tsvector; there the guide keeps its substring match and this
migration does nothing. `providers.selectors.StoredSearchVector` reads it."""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "product_search_vector_idx"


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("providers", "Product")._meta.db_table)
    # The expression SearchVector("search_text", config="dutch") compiles to, so the stored
    # vector is the one the guide computed.
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS "
        "(to_tsvector('dutch'::regconfig, COALESCE(search_text, ''))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin ({COLUMN})")


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("providers", "Product")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {COLUMN}")  # drops the index too


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0006_help_texts_without_rule_ids"),
    ]

    operations = [migrations.RunPython(add_vector, drop_vector)]
