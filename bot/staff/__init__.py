"""Staff: officers, supervisors and admins.

- :mod:`bot.staff.passwords`  argon2id hashing and verification
- :mod:`bot.staff.accounts`   usernames, roles, password policy, creating users
- :mod:`bot.staff.signin`     credential checks, throttling of failed sign-ins
- :mod:`bot.staff.sessions`   console sessions and API tokens (issue, check, end), CSRF
- :mod:`bot.staff.visibility` which units and tickets each user may see
- :mod:`bot.staff.audit`      the audit trail of staff actions

The request side (bearer token, session cookie, FastAPI dependencies) belongs
to the web edge, in its ``staff_deps`` module.
"""
