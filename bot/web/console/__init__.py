"""The officers' console pages (server-rendered, no JavaScript framework)."""
