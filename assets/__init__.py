"""Dagster asset definitions, one module per domain; asset keys mirror the warehouse's schema.table."""
