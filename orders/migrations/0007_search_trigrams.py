"""Trigram indexes for the order list's search (orders.filters.OrderFilter.search): a
piece of a number, PO, customer name or model found through an index at any size.
PostgreSQL only (pg_trgm, a trusted extension); on SQLite the search scans, as a
small local database can afford."""

from django.db import migrations

# (index, table, column): the expression is the one Django's icontains writes.
TRIGRAMS = (
    ("order_number_trgm", "orders_order", "number"),
    ("order_customer_po_trgm", "orders_order", "customer_po"),
    ("customer_name_trgm", "orders_customer", "name"),
    ("orderline_model_code_trgm", "orders_orderline", "model_code"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAMS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAMS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
