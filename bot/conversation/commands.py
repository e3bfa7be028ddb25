"""The commands every chat client sends, read before the NLU sees the text.

The chat apps' ``/start`` (also ``/start PAYLOAD`` deep links and ``/start@botname``
in groups), rasa-webchat's ``initPayload`` (``/greet``, ``/get_started``),
``/help``, ``/restart``, and Rasa-style intent payloads
``/intent{"slot": "value"}`` (see :mod:`nlu.rasa_payload`). Pure parsing only:
the dialogue decides what a command does (``dialogue._client_command``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from nlu.entities import DEFAULT_TICKET_PREFIX


class CommandKind(StrEnum):
    """What a client command asks for."""

    WELCOME = "welcome"  # /start, /greet, /get_started, /hello
    HELP = "help"
    RESTART = "restart"  # end the current dialogue


#: Command names (without the slash) and what they ask for.
COMMANDS: dict[str, CommandKind] = {
    "start": CommandKind.WELCOME,
    "greet": CommandKind.WELCOME,
    "get_started": CommandKind.WELCOME,
    "getstarted": CommandKind.WELCOME,
    "mulai": CommandKind.WELCOME,
    "help": CommandKind.HELP,
    "bantuan": CommandKind.HELP,
    "restart": CommandKind.RESTART,
    "reset": CommandKind.RESTART,
    "ulang": CommandKind.RESTART,
}

# "/start", "/start@PintuBot", "/start PTU-2026-000123", "/greet{...}" (slots ignored here).
_COMMAND = re.compile(
    r"^/(?P<name>[A-Za-z_]+)(?:@(?P<bot>\w+))?(?P<slots>\{.*\})?(?:\s+(?P<arg>\S.*))?$",
    re.DOTALL,
)
# Deep-link payloads are [A-Za-z0-9_-]{1,64} (chat-app deep links); words that open a menu entry.
_DEEP_LINK_WORDS: dict[str, str] = {
    "lapor": "report", "report": "report", "complaint": "report", "pengaduan": "report",
    "status": "status", "cek": "status", "info": "info", "informasi": "info",
    "petugas": "agent", "agent": "agent",
}


@dataclass(frozen=True)
class ClientCommand:
    """One client command: its kind, and the deep-link argument when there is one."""

    kind: CommandKind
    name: str
    argument: str = ""

    def ticket_number(self, prefix: str = DEFAULT_TICKET_PREFIX) -> str | None:
        """The ticket number a deep link names ("PTU-2026-000123", also lower case or with
        underscores, which deep links allow), normalised; else None."""
        match = re.fullmatch(
            rf"({re.escape(prefix)})[-_]?(\d{{4}})[-_]?(\d{{1,6}})", self.argument.strip(),
            re.IGNORECASE,
        )
        if match is None:
            return None
        return f"{match.group(1).upper()}-{match.group(2)}-{int(match.group(3)):06d}"

    @property
    def menu_entry(self) -> str | None:
        """"report", "status", "info" or "agent" when the deep link names a menu entry."""
        return _DEEP_LINK_WORDS.get(self.argument.strip().casefold())


def parse_command(text: str | None) -> ClientCommand | None:
    """The client command ``text`` is, or None (also for any other ``/payload``)."""
    match = _COMMAND.match((text or "").strip())
    if match is None:
        return None
    name = match.group("name").casefold()
    kind = COMMANDS.get(name)
    if kind is None:
        return None
    return ClientCommand(kind, name, (match.group("arg") or "").strip()[:64])
