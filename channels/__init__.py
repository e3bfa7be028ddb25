"""Channels: one module per channel (REST, terminal, web chat, Telegram, WhatsApp).

Each verifies its webhook, parses the provider's payload with a pure, lenient
function into a neutral ``InboundMessage`` and renders a neutral
``OutboundMessage`` in the provider's terms. ``channels.base`` holds the types,
the ``ChannelAdapter`` port and the capability Protocols. Adapters never
import ``bot``, ``routing`` or ``storage``.
"""
