"""The officers' console: server-rendered pages (Jinja2, autoescaped) for a unit's inbox
and tickets, with live updates over server-sent events. Works without JavaScript."""
