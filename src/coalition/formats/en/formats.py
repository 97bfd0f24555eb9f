# "2 June 2025" rather than Django's "June 2, 2025": the coalition's documents write it so.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
