# "2 червня 2025" (the month in the genitive, `E`), not Django's zero-padded day and "year" suffix.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
