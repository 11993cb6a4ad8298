"""The migrations build exactly the schema the models describe, on every backend."""

import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forum.extensions import db


def test_migrations_build_the_schema_of_the_models(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={'compare_type': True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_downgrade_to_nothing_and_back(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision='base')
        assert set(sa.inspect(db.engine).get_table_names()) <= {'alembic_version'}
        flask_migrate.upgrade()
        assert 'delegates' in sa.inspect(db.engine).get_table_names()
