"""Getting messages to citizens: queueing replies in the outbox and the worker that
delivers them through the channel adapters, with retries and ordering."""
