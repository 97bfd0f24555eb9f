"""The limits of a scenario (docs/spec/SCENARIO.md, "Limits"; scenario.schema.json).

Far above any real coalition's plan, they keep a hostile or mistaken file from costing
unbounded time or memory, and keep every number exact where the MILP needs it.
"""

from decimal import Decimal

MAX_HORIZON_DAYS = 3660  # from `start` to the latest `needed_by`: ten years
MAX_LEAD_TIME_DAYS = MAX_HORIZON_DAYS
MAX_REQUIREMENTS = 1000
MAX_OFFERS = 5000
MAX_FUNDS = 200
MAX_TIERS = 20  # per offer
MAX_CODES = 1000  # entries of a fund's `categories` or `origins`
MAX_COUNT = 10**9  # quantities, capacities, tier minimums: every product stays exact
MAX_WEIGHT = Decimal(10**9)
MIN_WEIGHT = Decimal("0.000001")
MAX_MONEY_DIGITS = 12  # before the decimal point: at most 999999999999.99
MAX_MONEY_CENTS = 10 ** (MAX_MONEY_DIGITS + 2) - 1
