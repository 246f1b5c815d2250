"""Staff accounts: roles, login with mandatory TOTP, lockout, session lifetime."""
