"""The coalition's procurement in the Open Contracting Data Standard 1.1: one contracting
process per competition, its releases (releases.py), the release and record packages
with compiled releases (packages.py, merge.py). What the coalition marks confidential
(prices, suppliers) is never written (redaction happens while building, not after)."""

from coalition.procurement.ocds.packages import (
    package_json,
    record_package,
    release_package,
)

__all__ = ["package_json", "record_package", "release_package"]
