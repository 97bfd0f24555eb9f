"""The site's date formats (settings.FORMAT_MODULE_PATH): one long date per language for
every page, the way the accession decisions always read ("2 June 2025", "2 juin 2025",
"2 червня 2025"); French keeps Django's. ISO 8601 stays in exports and the API."""
