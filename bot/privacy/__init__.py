"""Citizens' data rights (UU 27/2022 on personal data protection).

:mod:`bot.privacy.rights` exports and erases one citizen's data and anonymises
closed tickets past ``privacy.retention_days``, each action audited;
:mod:`bot.privacy.consent` is the privacy notice with consent at a citizen's
first contact on each channel. ``pintu citizens export|erase`` and the admin
API (``/api/citizens/{id}/export|erase``) call the same functions.
"""

from __future__ import annotations

from bot.core.feature import Feature
from bot.privacy.rights import retention_loop

feature = Feature("privacy", background=(retention_loop,))
