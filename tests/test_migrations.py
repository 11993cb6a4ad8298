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


def insert_row(connection, table: str, **values) -> None:
    columns = ', '.join(values)
    placeholders = ', '.join(f':{name}' for name in values)
    connection.execute(sa.text(f'INSERT INTO {table} ({columns}) VALUES ({placeholders})'), values)


def test_upgrading_keeps_existing_delegates_with_defaults(empty_app):
    """Batch ALTERs on a table that has rows: the new NOT NULL columns get their defaults."""
    stamp = '2023-01-01 00:00:00'
    with empty_app.app_context():
        flask_migrate.upgrade(revision='0001_foundation')
        with db.engine.begin() as connection:
            insert_row(
                connection,
                'admin_units',
                code='02',
                name='Tỉnh Hà Giang',
                kind='Tỉnh',
                tier='province',
            )
            insert_row(
                connection,
                'forums',
                id=1,
                title='T',
                theme='',
                host_body='UBND',
                organiser_body='',
                place='',
                locality='',
                province_code='02',
                held_on='2023-05-23',
                tier_depth=3,
                status='draft',
                created_at=stamp,
                updated_at=stamp,
            )
            insert_row(
                connection,
                'venues',
                id=1,
                forum_id=1,
                unit_code='02',
                tier='province',
                name='Tỉnh Hà Giang',
                address='',
                join_url='',
                connection_status='not_checked',
                status_note='',
            )
            insert_row(
                connection,
                'delegates',
                forum_id=1,
                venue_id=1,
                full_name='Nguyễn Thị Thảo',
                name_key='k',
                search_name='s',
                sort_key='1',
                position='',
                body='',
                email='',
                phone='',
                role='delegate',
                code='c0de',
                short_code='ACDEFGHJ',
                created_at=stamp,
                updated_at=stamp,
            )
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                sa.text('SELECT full_name, rsvp, substitute_name FROM delegates')
            ).one()
    assert tuple(row) == ('Nguyễn Thị Thảo', 'none', '')
