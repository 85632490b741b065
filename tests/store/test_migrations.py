"""The migrations create exactly the schema that ``store/schema.py`` describes."""

import subprocess
import sys
import time

import pytest
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


OPEN_AT = """
import sys, time
from synthesis.store import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # every process opens the new store at the same moment
Store(sys.argv[1]).close()
"""


def test_commands_opening_a_new_store_at_once_all_open_it(store_url):
    # before, every one of them created the tables, and all but one failed: "table codebooks already exists"
    start = time.time() + 8  # after the processes have imported the package
    children = [subprocess.Popen([sys.executable, "-c", OPEN_AT, store_url, str(start)], stderr=subprocess.PIPE,
                                 text=True) for _ in range(4)]
    errors = [child.communicate(timeout=120)[1] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0], errors
    with Store(store_url) as store, store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0010"
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
