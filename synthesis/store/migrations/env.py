"""Alembic environment. The store passes its open connection in ``config.attributes["connection"]``;
developers can also run ``alembic -c synthesis/store/alembic.ini -x url=sqlite:///x.sqlite revision --autogenerate``."""

from alembic import context
from sqlalchemy import create_engine

from synthesis.store.schema import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///migrations-dev.sqlite")
        with create_engine(url).connect() as connection:
            _run(connection)
            connection.commit()
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
