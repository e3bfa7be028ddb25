"""Tickets: status and its transitions, the lifecycle (create, route, forward,
resolve, reopen, escalate), the staff actions shared by console and API."""
