"""The web edge: HTTP and socket.io routes over the features (REST channel, provider
webhooks, web chat, staff API, console pages, NLU admin pages, reports, /model/parse).
Each module exposes a ``feature`` that ``bot.app.features`` lists."""
