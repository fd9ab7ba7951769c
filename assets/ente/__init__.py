"""The Camera's own figures: balance sheet, staff, companies, targets, published values, benchmarking panels."""
