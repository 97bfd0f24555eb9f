"""Web login and sessions: password hashing, lockout after failures, TOTP two-factor.

`coalition.settings` imports `coalition.accounts.deploy` (pure, no Django), so this
package's import must stay free of Django models."""
