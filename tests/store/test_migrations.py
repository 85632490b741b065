"""The migrations create exactly the schema that ``store/schema.py`` describes."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from synthesis.store import Store
from synthesis.store.schema import metadata


def test_migrated_schema_matches_the_table_definitions(store_url):
    with Store(store_url) as store, store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_migrating_twice_is_a_no_op(sqlite_url):
    Store(sqlite_url).close()
    with Store(sqlite_url) as store, store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0010"
