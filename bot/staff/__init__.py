"""Staff: officers, supervisors and admins; sign-in, sessions, which units each may
see, and the audit trail."""
