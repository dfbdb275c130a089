"""Bringing contacts in: the import wizard (CSV, XLSX, vCard) and the duplicates finder."""
