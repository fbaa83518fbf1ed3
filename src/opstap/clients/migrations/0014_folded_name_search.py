"""Name search without accents and case (`clients.search`): on PostgreSQL the folding function
`opstap_fold` over the `unaccent` extension, and a trigram index on the client's folded name
so that `opstap_fold(name) LIKE '%word%'` is an index search at national scale. SQLite (demo,
tests) registers the function per connection and needs nothing here."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations

from opstap.clients.search import FOLD_FUNCTION, folded_words

INDEX_NAME = "client_folded_name_trgm"


def _index() -> GinIndex:
    # The same expression as `clients.selectors.name_words_q`, built by the same helper, so
    # that the SQL of the index and of the query are identical and the planner matches them.
    return GinIndex(
        OpClass(folded_words("first_name", "last_name_prefix", "last_name"), name="gin_trgm_ops"),
        name=INDEX_NAME,
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # IMMUTABLE (unaccent itself is only STABLE: its dictionary could change) so that an
    # index may use it; the dictionary is named with its schema for the same reason.
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$"
    )
    schema_editor.add_index(apps.get_model("clients", "Client"), _index())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("clients", "Client"), _index())
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FOLD_FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("clients", "0013_validity_shared_base")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
