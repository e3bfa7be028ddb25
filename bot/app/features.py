"""The features of the app, in the order their routes are added.

Order matters where paths overlap: a feature's mounts come before its
routers, and earlier features' routes match first.
"""

from __future__ import annotations

from bot.cases.feature import feature as cases
from bot.core.feature import Feature
from bot.nlu_admin import feature as nlu_admin_training
from bot.privacy import feature as privacy
from bot.surveys.offering import feature as surveys
from bot.tickets.escalation import escalation_loop
from bot.web import (
    api,
    catalog,
    health,
    limits,
    model_parse,
    open311,
    reports,
    rest,
    webchat,
    webhooks,
)
from bot.web import cases as cases_web
from bot.web import (
    privacy as privacy_api,
)
from bot.web.console import citizens as console_citizens
from bot.web.console import routes as console
from bot.web.console import services as console_services
from bot.web.nlu_admin import feature as nlu_admin_web

tickets = Feature("tickets", background=(escalation_loop,))

FEATURES: tuple[Feature, ...] = (
    limits.feature,
    health.feature,
    rest.feature,
    model_parse.feature,
    webhooks.feature,
    catalog.feature,
    api.feature,
    cases_web.feature,
    console.feature,
    console_services.feature,
    console_citizens.feature,
    webchat.feature,
    tickets,
    surveys,
    reports.feature,
    cases,
    open311.feature,
    nlu_admin_web,
    nlu_admin_training,
    privacy,
    privacy_api.feature,
)
