"""Conversations with citizens: the pure dialogue step and the service that runs a
turn in one transaction (identify, store, parse, step, act, queue replies)."""
