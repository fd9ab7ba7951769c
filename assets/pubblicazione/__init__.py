"""Publishing: the chapter "Analisi del contesto" with the health report, charts and tables, per edition."""
