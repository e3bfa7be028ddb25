"""Whole results of the pure dialogue's pieces and steps: the stored state, the menu,
and step results (state and actions) on paths tests/bot/test_dialogue.py leaves out."""

from __future__ import annotations

import pytest

from bot.conversation import dialogue as dlg
from bot.conversation.places import Place, PlaceReading, read_place
from bot.core.i18n import category_label, t, tc
from channels.base import Attachment, Button, InboundMessage
from nlu.types import Entity, NluResult, Prediction, ServicePrediction


def test_the_menu_in_both_languages() -> None:
    assert dlg.menu_buttons("id") == (
        Button("Buat laporan", "/complaint"), Button("Cek status", "/status"),
        Button("Info layanan", "/info"), Button("Bicara dgn petugas", "/agent"))
    assert dlg.menu_buttons("en") == (
        Button("Report a problem", "/complaint"), Button("Check status", "/status"),
        Button("Service info", "/info"), Button("Talk to an officer", "/agent"))


@pytest.mark.parametrize(("value", "mode"), [
    ("confirming", dlg.Mode.CONFIRMING), ("survey", dlg.Mode.SURVEY), ("CONFIRMING", dlg.Mode.IDLE),
    ("", dlg.Mode.IDLE), (None, dlg.Mode.IDLE), (3, dlg.Mode.IDLE),
])
def test_stored_modes_are_read_back_or_idle(value: object, mode: dlg.Mode) -> None:
    assert dlg.Mode.parse(value) is mode


def test_state_from_a_stored_dict_keeps_known_keys_only() -> None:
    stored = {
        "lang": "en", "mode": "awaiting_where", "turns": 3, "retired_key": 1,
        "draft": {"description": "lampu mati", "category": "infrastructure",
                  "asked_where": True, "retired_draft_key": "x"},
        "choices": [["/edit", "Ubah"]], "last_ticket": "PTU-2026-000001",
    }
    assert dlg.DialogueState.from_dict(stored) == dlg.DialogueState(
        lang="en", mode=dlg.Mode.AWAITING_WHERE, turns=3,
        draft=dlg.DraftReport(description="lampu mati", category="infrastructure",
                              asked_where=True),
        choices=[["/edit", "Ubah"]], last_ticket="PTU-2026-000001")
    assert dlg.DialogueState.from_dict(None) == dlg.DialogueState()
    assert dlg.DialogueState.from_dict({}) == dlg.DialogueState()
    assert dlg.DialogueState.from_dict({"mode": "idle", "draft": {}}) == dlg.DialogueState()


# ---------------------------------------------------------------- steps, whole results

CFG = dlg.DialogueConfig(ticket_example="LPR-2026-000123")


def nlu(intent: str, conf: float = 0.9, *, tickets: tuple[str, ...] = (), text: str = "",
        category: str | None = None, cat_conf: float = 0.9,
        service: ServicePrediction | None = None, lang: str = "id") -> NluResult:
    return NluResult(
        text=text, intent=Prediction(intent, conf, confident=conf >= 0.45),
        category=None if category is None else Prediction(category, cat_conf,
                                                          confident=cat_conf >= 0.4),
        entities=tuple(Entity("ticket_number", n, 0, len(n)) for n in tickets),
        lang=lang, service=service)


def msg(text: str = "", payload: str | None = None, **kw: object) -> InboundMessage:
    return InboundMessage(channel="rest", sender_id="u1", text=text, payload=payload,
                          **kw)  # type: ignore[arg-type]


def menu(lang: str = "id") -> tuple[Button, ...]:
    return dlg.menu_buttons(lang)


def busy() -> dlg.DialogueState:
    """A state with everything a command ends: a draft, a handover, a survey."""
    return dlg.DialogueState(mode=dlg.Mode.SURVEY, draft=dlg.DraftReport(description="x"),
                             handover_ticket="PTU-2026-000009", handover_acked=True,
                             survey_id=4, turns=2)


def ended(turns: int = 3, **kw: object) -> dlg.DialogueState:
    return dlg.DialogueState(turns=turns, **kw)  # type: ignore[arg-type]


def test_restart_ends_everything_and_greets_by_first_name() -> None:
    s, actions = dlg.step(busy(), msg("/restart", display_name="Budi Santoso"), None, CFG)
    assert s == ended(choices=[[b.title, b.payload] for b in menu()])
    assert actions == [dlg.Reply(tc("restarted", "id")),
                       dlg.Reply(t("greeting", "id", name=" Budi"), menu())]


def test_help_keeps_the_dialogue_and_shows_the_ticket_example() -> None:
    s, actions = dlg.step(busy(), msg(payload="/help"), None, CFG)
    assert actions == [dlg.Reply(tc("help", "id", example="LPR-2026-000123"), menu())]
    assert (s.mode, s.survey_id, s.handover_ticket) == (dlg.Mode.SURVEY, 4, "PTU-2026-000009")


def test_start_with_a_ticket_of_the_configured_prefix_reports_its_status() -> None:
    s, actions = dlg.step(busy(), msg("/start lpr_2026_42"), None, CFG)
    assert (s, actions) == (ended(), [dlg.ReportStatus("LPR-2026-000042")])
    # The default prefix is not this bot's: a plain welcome.
    s, actions = dlg.step(busy(), msg("/start PTU-2026-42"), None, CFG)
    assert actions == [dlg.Reply(t("greeting", "id", name=""), menu())]
    assert s == ended(choices=[[b.title, b.payload] for b in menu()])


@pytest.mark.parametrize(("word", "mode", "actions"), [
    ("lapor", dlg.Mode.AWAITING_WHAT, [dlg.Reply(t("ask_what", "id"))]),
    ("status", dlg.Mode.AWAITING_TICKET_NUMBER,
     [dlg.Reply(t("ask_ticket_number", "id", example="LPR-2026-000123")), dlg.ListMyTickets()]),
    ("info", dlg.Mode.AWAITING_INFO_QUERY, [dlg.Reply(t("ask_info_query", "id"))]),
    ("petugas", dlg.Mode.HANDOVER, [dlg.Handover(reason="button")]),
])
def test_start_with_a_menu_word_opens_that_entry(word: str, mode: dlg.Mode,
                                                 actions: list[dlg.Action]) -> None:
    s, got = dlg.step(busy(), msg(f"/start {word}"), nlu("complaint", text=word), CFG)
    assert got == actions
    draft = dlg.DraftReport(kind="complaint") if mode == dlg.Mode.AWAITING_WHAT else None
    assert s == ended(mode=mode, draft=draft)


def test_back_to_the_bot_from_a_handover() -> None:
    state = dlg.DialogueState(mode=dlg.Mode.HANDOVER, handover_ticket="PTU-2026-000009",
                              draft=dlg.DraftReport(description="x"))
    s, actions = dlg.step(state, msg("menu"), nlu("other"), CFG)
    assert actions == [dlg.Reply(t("back_to_bot", "id"), menu())]
    assert s == dlg.DialogueState(turns=1, choices=[[b.title, b.payload] for b in menu()])
    s, actions = dlg.step(state, msg(payload="/menu"), None, CFG)
    assert (s.mode, s.handover_ticket, actions) == (
        dlg.Mode.IDLE, None, [dlg.Reply(t("back_to_bot", "id"), menu())])
    s, actions = dlg.step(state, msg("masih menunggu pak"), nlu("other"), CFG)
    assert (s.mode, actions) == (dlg.Mode.HANDOVER, [dlg.RelayToOfficer("PTU-2026-000009")])


def test_ticket_number_mode() -> None:
    state = dlg.DialogueState(mode=dlg.Mode.AWAITING_TICKET_NUMBER)
    numbers = ("PTU-2026-000001", "PTU-2026-000002", "PTU-2026-000003", "PTU-2026-000004")
    s, actions = dlg.step(state, msg("ini"), nlu("ticket_status", tickets=numbers), CFG)
    assert (s.mode, actions) == (dlg.Mode.IDLE, [dlg.ReportStatus(n) for n in numbers[:3]])
    s, actions = dlg.step(state, msg("lupa"), nlu("other"), CFG)
    assert (s.mode, actions) == (dlg.Mode.IDLE, [
        dlg.Reply(t("ask_ticket_number", "id", example="LPR-2026-000123"))])
    # A bare photo starts something new: a report.
    photo = msg(attachments=(Attachment("image", media_id="m1"),))
    s, actions = dlg.step(state, photo, None, CFG)
    assert (s.mode, actions) == (dlg.Mode.AWAITING_WHAT, [dlg.Reply(t("ask_what", "id"))])


def test_info_query_mode() -> None:
    state = dlg.DialogueState(mode=dlg.Mode.AWAITING_INFO_QUERY)
    read = nlu("info_request", category="population_registry", text="syarat ktp")
    s, actions = dlg.step(state, msg("syarat ktp"), read, CFG)
    assert (s.mode, actions) == (dlg.Mode.IDLE, [
        dlg.AnswerInfo(query="syarat ktp", category="population_registry")])
    photo = msg(attachments=(Attachment("image", media_id="m1"),))
    s, actions = dlg.step(state, photo, None, CFG)
    assert (s.mode, actions) == (dlg.Mode.AWAITING_WHAT, [dlg.Reply(t("ask_what", "id"))])


SCORE_CHOICES = [["Sangat puas", "skm:completion_time:4"], ["Tidak puas", "skm:completion_time:1"]]


def survey(choices: list[list[str]] | None = None, **kw: object) -> dlg.DialogueState:
    return dlg.DialogueState(mode=dlg.Mode.SURVEY, survey_id=7,
                             choices=SCORE_CHOICES if choices is None else choices,
                             **kw)  # type: ignore[arg-type]


def test_survey_takes_typed_scores_even_when_they_read_as_complaints() -> None:
    s, actions = dlg.step(survey(), msg("tidak puas"), nlu("complaint"), CFG)
    assert actions == [dlg.SurveyInput(7)]
    assert (s.mode, s.survey_id, s.choices) == (dlg.Mode.SURVEY, 7, SCORE_CHOICES)
    s, actions = dlg.step(survey(), msg(payload="skm:completion_time:4"), None, CFG)
    assert (actions, s.choices) == ([dlg.SurveyInput(7)], SCORE_CHOICES)


def test_survey_answers_an_aside_and_resumes() -> None:
    state = survey(last_standard="ktp-el")
    s, actions = dlg.step(state, msg("berapa biayanya?"), nlu("info_request", 0.3), CFG)
    assert actions == [dlg.AnswerInfo(query="", standard_id="ktp-el"),
                       dlg.SurveyInput(7, resume=True)]
    assert (s.mode, s.choices) == (dlg.Mode.SURVEY, SCORE_CHOICES)


def test_survey_low_rating_follow_up_takes_the_citizens_own_words() -> None:
    offered = [["Ya, sudah", "skm:followup:yes"], ["Belum", "skm:followup:no"]]
    s, actions = dlg.step(survey(offered), msg("masih sama saja, air belum mengalir"),
                          nlu("complaint", 0.95), CFG)
    assert (actions, s.mode, s.choices) == ([dlg.SurveyInput(7)], dlg.Mode.SURVEY, offered)
    # ... unless the citizen sends a ticket number: a new request.
    s, actions = dlg.step(survey(offered), msg("cek PTU-2026-000001"),
                          nlu("ticket_status", tickets=("PTU-2026-000001",)), CFG)
    assert (actions, s.mode, s.survey_id) == (
        [dlg.ReportStatus("PTU-2026-000001")], dlg.Mode.IDLE, None)


@pytest.mark.parametrize(("intent", "conf", "moves_on"), [
    ("complaint", 0.9, True), ("info_request", 0.9, True), ("ticket_status", 0.9, True),
    ("human_agent", 0.9, True), ("complaint", 0.3, False), ("greet", 0.9, False),
    ("thanks", 0.9, False),
])
def test_survey_is_left_only_for_a_sure_new_request(intent: str, conf: float,
                                                    moves_on: bool) -> None:
    s, actions = dlg.step(survey(), msg("jalan di depan rumah rusak parah sekali"),
                          nlu(intent, conf), CFG)
    if moves_on:
        assert (s.mode, s.survey_id) != (dlg.Mode.SURVEY, 7)
        assert s.survey_id is None
        assert dlg.SurveyInput(7) not in actions
    else:
        assert (s.mode, s.survey_id, actions) == (dlg.Mode.SURVEY, 7, [dlg.SurveyInput(7)])


def test_a_survey_mode_without_a_survey_is_idle() -> None:
    state = dlg.DialogueState(mode=dlg.Mode.SURVEY)
    s, actions = dlg.step(state, msg("terima kasih"), nlu("thanks"), CFG)
    assert (s.mode, s.survey_id) == (dlg.Mode.IDLE, None)
    assert actions == [dlg.Reply(t("goodbye", "id")), dlg.CloseConversation()]


def test_an_old_button_mid_report_repeats_the_question() -> None:
    draft = dlg.DraftReport(description="lampu jalan mati di depan sekolah")
    what = dlg.DialogueState(mode=dlg.Mode.AWAITING_WHAT, draft=draft)
    assert dlg.step(what, msg(payload="/confirm"), None, CFG)[1] == [
        dlg.Reply(t("ask_what", "id"))]
    where = dlg.DialogueState(mode=dlg.Mode.AWAITING_WHERE, draft=draft)
    assert dlg.step(where, msg(payload="/confirm"), None, CFG)[1] == [
        dlg.Reply(t("ask_where", "id"))]


def test_a_picked_place_that_is_no_wilayah_code_is_not_taken() -> None:
    draft = dlg.DraftReport(description="lampu jalan mati", asked_where=True)
    state = dlg.DialogueState(mode=dlg.Mode.AWAITING_WHERE, draft=draft)
    s, _ = dlg.step(state, msg(payload="/place 35.79.02"), None, CFG)
    assert s.draft is not None
    assert (s.mode, s.draft.region_code, s.draft.region_name) == (
        dlg.Mode.CONFIRMING, "35.79.02", "Kec. Bumiaji, Kota Batu")
    s, _ = dlg.step(state, msg(payload="/place 99.99"), None, CFG)
    assert s.draft is not None
    assert (s.mode, s.draft.region_code, s.draft.region_name) == (
        dlg.Mode.CONFIRMING, None, None)


def test_a_sure_topic_replaces_an_unsure_one_but_not_a_sure_one() -> None:
    def detail(draft: dlg.DraftReport, category: str, conf: float) -> dlg.DraftReport:
        state = dlg.DialogueState(mode=dlg.Mode.CONFIRMING, draft=draft)
        s, _ = dlg.step(state, msg("dan juga bau sekali di sana"),
                        nlu("complaint", category=category, cat_conf=conf), CFG)
        assert s.draft is not None
        return s.draft

    unsure = dlg.DraftReport(description="x", category="environment", category_confidence=0.49,
                             asked_where=True)
    assert (detail(unsure, "health", 0.9).category, detail(unsure, "health", 0.3).category) == (
        "health", "environment")
    sure = dlg.DraftReport(description="x", category="environment", category_confidence=0.5,
                           asked_where=True)
    assert detail(sure, "health", 0.9).category == "environment"


def test_a_sure_service_replaces_an_unsure_one_but_not_a_sure_one() -> None:
    def detail(draft: dlg.DraftReport, code: str, conf: float) -> dlg.DraftReport:
        service = ServicePrediction(code, conf, "infrastructure", confident=conf >= 0.5)
        state = dlg.DialogueState(mode=dlg.Mode.CONFIRMING, draft=draft)
        s, _ = dlg.step(state, msg("dan juga gelap sekali di sana"),
                        nlu("complaint", service=service), CFG)
        assert s.draft is not None
        return s.draft

    unsure = dlg.DraftReport(description="x", service_code="drainase", service_confidence=0.49,
                             asked_where=True)
    assert detail(unsure, "penerangan-jalan", 0.8).service_code == "penerangan-jalan"
    assert detail(unsure, "penerangan-jalan", 0.3).service_code == "drainase"
    sure = dlg.DraftReport(description="x", service_code="drainase", service_confidence=0.5,
                           asked_where=True)
    assert detail(sure, "penerangan-jalan", 0.9).service_code == "drainase"


def test_a_short_yes_in_english_files_the_report() -> None:
    draft = dlg.DraftReport(description="street light out", category="infrastructure",
                            region_code="35.79", region_name="Kota Batu", asked_where=True)
    state = dlg.DialogueState(lang="en", mode=dlg.Mode.CONFIRMING, draft=draft)
    s, actions = dlg.step(state, msg("ok"), nlu("other", lang="en"), CFG)
    assert (s.mode, s.draft, actions) == (dlg.Mode.IDLE, None, [dlg.CreateTicket(draft)])


# ---------------------------------------------------------------- editing at the confirm step


def confirming(**kw: object) -> dlg.DialogueState:
    draft = dlg.DraftReport(description="lampu jalan mati di depan sekolah",
                            category="infrastructure", category_confidence=0.6,
                            region_code="35.79", region_name="Kota Batu", asked_where=True,
                            topics=["environment", "infrastructure", "other", "health"],
                            service_code="penerangan-jalan", service_confidence=0.8, **kw)
    return dlg.DialogueState(mode=dlg.Mode.CONFIRMING, draft=draft)


def test_ubah_asks_what_to_change() -> None:
    s, actions = dlg.step(confirming(), msg("Ubah"), nlu("other"), CFG)
    buttons = (Button("Keterangan", "/edit_description"), Button("Lokasi", "/edit_place"),
               Button("Topik", "/edit_topic"))
    assert actions == [dlg.Reply(
        "Apa yang ingin Anda ubah? Bagian lain laporan tetap seperti semula.", buttons)]
    assert (s.mode, s.draft, s.choices) == (
        dlg.Mode.CONFIRMING, confirming().draft, [[b.title, b.payload] for b in buttons])
    en = dlg.DialogueState(lang="en", mode=dlg.Mode.CONFIRMING, draft=dlg.DraftReport("x"))
    assert dlg.step(en, msg(payload="/edit"), None, CFG)[1][0].buttons == (  # type: ignore[union-attr]
        Button("Description", "/edit_description"), Button("Place", "/edit_place"),
        Button("Topic", "/edit_topic"))


def test_the_topic_menu_offers_the_current_then_the_likely_topics_then_other() -> None:
    _, actions = dlg.step(confirming(), msg(payload="/edit_topic"), None, CFG)
    assert actions == [dlg.Reply("Pilih topik yang paling tepat untuk laporan ini:", (
        Button("Infrastruktur", "/topic infrastructure"),
        Button("Lingkungan hidup", "/topic environment"),
        Button("Kesehatan", "/topic health"),
        Button("Air bersih", "/topic water_supply"),
        Button("Ketertiban umum", "/topic public_order"),
        Button("Lainnya (dipilah petugas)", "/topic other"),
    ))]
    bare = dlg.DialogueState(lang="en", mode=dlg.Mode.CONFIRMING,
                             draft=dlg.DraftReport(description="x", asked_where=True))
    _, actions = dlg.step(bare, msg(payload="/edit_topic"), None, CFG)
    assert actions == [dlg.Reply("Pick the topic that fits this report best:", (
        Button("Infrastructure", "/topic infrastructure"),
        Button("Water supply", "/topic water_supply"),
        Button("Environment", "/topic environment"),
        Button("Public order", "/topic public_order"),
        Button("Health", "/topic health"),
        Button("Other (sorted by an officer)", "/topic other"),
    ))]


def test_a_picked_topic_is_sure_and_drops_the_old_service() -> None:
    s, actions = dlg.step(confirming(), msg(payload="/topic health"), None, CFG)
    assert s.draft is not None
    assert (s.mode, s.draft.category, s.draft.category_confidence, s.draft.service_code,
            s.draft.service_confidence) == (dlg.Mode.CONFIRMING, "health", 1.0, None, None)
    assert len(actions) == 1 and isinstance(actions[0], dlg.Reply)
    assert "Kesehatan" in actions[0].text


def test_a_new_description_replaces_the_old_and_the_service_is_read_again() -> None:
    s, actions = dlg.step(confirming(oversight=True, confidential=True),
                          msg(payload="/edit_description"), None, CFG)
    assert actions == [dlg.Reply("Silakan tulis keterangan yang baru. Lokasi dan topik tetap.")]
    assert s.draft is not None
    assert (s.mode, s.draft.editing) == (dlg.Mode.AWAITING_WHAT, "description")
    s, _ = dlg.step(s, msg("lampu jalan padam total sejak kemarin"), nlu("complaint"), CFG)
    assert s.draft == dlg.DraftReport(
        description="lampu jalan padam total sejak kemarin", category="infrastructure",
        category_confidence=0.6, region_code="35.79", region_name="Kota Batu", asked_where=True,
        topics=["environment", "infrastructure", "other", "health"])
    assert s.mode == dlg.Mode.CONFIRMING


def test_a_new_place_forgets_the_old_one_and_the_pin() -> None:
    state = confirming()
    assert state.draft is not None
    state.draft.latitude, state.draft.longitude = -7.87, 112.52
    state.draft.location_text = "depan SD 3"
    s, actions = dlg.step(state, msg(payload="/edit_place"), None, CFG)
    assert actions == [dlg.Reply(t("ask_where", "id"))]
    assert s.draft is not None
    assert (s.mode, s.draft.editing) == (dlg.Mode.AWAITING_WHERE, "place")
    s, _ = dlg.step(s, msg("pasar besar"), nlu("other"), CFG)
    assert s.draft is not None
    assert (s.draft.region_code, s.draft.region_name, s.draft.location_text, s.draft.latitude,
            s.draft.longitude, s.draft.editing) == (None, None, "pasar besar", None, None, None)


# ---------------------------------------------------------------- a fresh request by intent

NOT_UNDERSTOOD = [dlg.FlagForReview("low_confidence"),
                  dlg.Reply(t("not_understood", "id"), dlg.menu_buttons("id"))]


@pytest.mark.parametrize(("read", "mode", "actions"), [
    (nlu("human_agent", 0.3, text="saya perlu bicara dengan orang"), dlg.Mode.HANDOVER,
     [dlg.Handover(reason="saya perlu bicara dengan orang")]),
    (nlu("thanks"), dlg.Mode.IDLE, [dlg.Reply(t("goodbye", "id")), dlg.CloseConversation()]),
    (nlu("thanks", 0.3), dlg.Mode.IDLE, NOT_UNDERSTOOD),
    (nlu("greet"), dlg.Mode.IDLE,
     [dlg.Reply(t("greeting", "id", name=" Siti"), dlg.menu_buttons("id"))]),
    (nlu("jam_buka"), dlg.Mode.IDLE, [dlg.AnswerCustomIntent("jam_buka")]),
    (nlu("jam_buka", 0.3), dlg.Mode.IDLE, NOT_UNDERSTOOD),
    (nlu("out_of_scope"), dlg.Mode.IDLE,
     [dlg.Reply(t("out_of_scope", "id"), dlg.menu_buttons("id"))]),
    (nlu("out_of_scope", 0.3), dlg.Mode.IDLE, NOT_UNDERSTOOD),
    (None, dlg.Mode.IDLE, NOT_UNDERSTOOD),
    (nlu("ticket_status"), dlg.Mode.AWAITING_TICKET_NUMBER,
     [dlg.Reply(t("ask_ticket_number", "id", example="LPR-2026-000123")), dlg.ListMyTickets()]),
    (nlu("info_request", category="health"), dlg.Mode.IDLE,
     [dlg.AnswerInfo(query="saya perlu bicara dengan orang", category="health")]),
])
def test_a_fresh_message_by_intent(read: NluResult | None, mode: dlg.Mode,
                                   actions: list[dlg.Action]) -> None:
    state = dlg.DialogueState(draft=None, turns=4)
    s, got = dlg.step(state, msg("saya perlu bicara dengan orang", display_name="Siti Aminah"),
                      read, CFG)
    assert (s.mode, s.draft, got) == (mode, None, actions)


@pytest.mark.parametrize(("text", "intent", "kind", "key"), [
    ("mau lapor", "complaint", "complaint", "ask_what"),
    ("mau lapor", "aspiration", "aspiration", "ask_what_aspiration"),
    ("mau lapor", "greet", "complaint", "ask_what"),
    ("saya mau kasih usulan", "greet", "aspiration", "ask_what_aspiration"),
])
def test_a_bare_announcement_opens_the_kind_it_says(text: str, intent: str, kind: str,
                                                    key: str) -> None:
    s, actions = dlg.step(dlg.DialogueState(), msg(text), nlu(intent), CFG)
    assert (s.mode, s.draft, actions) == (
        dlg.Mode.AWAITING_WHAT, dlg.DraftReport(kind=kind), [dlg.Reply(t(key, "id"))])


def test_back_to_the_bot_in_english() -> None:
    state = dlg.DialogueState(lang="en", mode=dlg.Mode.HANDOVER, handover_ticket="T")
    _, actions = dlg.step(state, msg("back"), None, CFG)
    assert actions == [dlg.Reply(t("back_to_bot", "en"), dlg.menu_buttons("en"))]


# ---------------------------------------------------------------- describing a report


def test_details_join_the_description_and_the_topic_is_read() -> None:
    state = dlg.DialogueState(mode=dlg.Mode.AWAITING_WHAT,
                              draft=dlg.DraftReport(description="lampu jalan mati"))
    s, actions = dlg.step(state, msg("sudah seminggu gelap"),
                          nlu("complaint", category="infrastructure", cat_conf=0.8), CFG)
    assert s.draft == dlg.DraftReport(description="lampu jalan mati\nsudah seminggu gelap",
                                      category="infrastructure", category_confidence=0.8,
                                      asked_where=True)
    assert (s.mode, actions) == (dlg.Mode.AWAITING_WHERE, [dlg.Reply(t("ask_where", "id"))])


def test_an_announcement_while_asked_what_asks_again() -> None:
    state = dlg.DialogueState(mode=dlg.Mode.AWAITING_WHAT, draft=dlg.DraftReport())
    s, actions = dlg.step(state, msg("mau lapor"), nlu("complaint"), CFG)
    assert (s.mode, s.draft, actions) == (
        dlg.Mode.AWAITING_WHAT, dlg.DraftReport(), [dlg.Reply(t("ask_what", "id"))])


def test_a_new_description_without_a_parse_keeps_no_service() -> None:
    state = confirming(oversight=True, confidential=True)
    s, _ = dlg.step(state, msg(payload="/edit_description"), None, CFG)
    s, _ = dlg.step(s, msg("jalan berlubang"), None, CFG)
    assert s.draft is not None
    assert (s.draft.description, s.draft.service_code, s.draft.oversight,
            s.draft.confidential, s.draft.editing) == ("jalan berlubang", None, False, False,
                                                      None)


def test_a_place_name_found_in_several_regions_is_asked_with_buttons() -> None:
    home = dlg.DialogueConfig(home_region="35.79")
    s, actions = dlg.step(dlg.DialogueState(), msg("jalan rusak parah di desa sukamaju"),
                          nlu("complaint"), home)
    assert (s.mode, s.draft) == (dlg.Mode.AWAITING_WHERE, dlg.DraftReport(
        description="jalan rusak parah di desa sukamaju", asked_where=True))
    # Names are cut to 60 characters (the chat apps' button limits).
    assert actions == [dlg.Reply(
        "Nama tempat itu ada di beberapa daerah. Yang mana yang Anda maksud?", (
            Button("Desa Sukamaju, Kec. Tigapanah, Kabupaten Karo", "/place 12.06.04.2023"),
            Button("Desa Sukamaju, Kec. Sunggal, Kabupaten Deli Serdang",
                   "/place 12.07.23.2012"),
            Button("Kelurahan Sukamaju, Kec. Siantar Marihat, Kota Pematangsiant",
                   "/place 12.72.05.1007"),
            Button("Desa Sukamaju, Kec. Bantan, Kabupaten Bengkalis", "/place 14.03.02.2015"),
            Button("Kelurahan Sukamaju, Kec. Sail, Kota Pekanbaru", "/place 14.71.03.1003"),
        ))]



# ---------------------------------------------------------------- places (bot.conversation.places)


def test_the_most_specific_place_named_wins_wherever_it_comes() -> None:
    text = "jalan rusak di Bumiaji desa Sidomulyo"
    assert read_place(text, None, "35.79") == PlaceReading(
        place=Place("35.79.01.2007", "Desa Sidomulyo, Kec. Batu, Kota Batu"))


def test_regions_the_nlu_found_alone_are_offered_once_each() -> None:
    def region(code: str, name: str) -> Entity:
        return Entity("region", name, 0, 1, extra={"code": code})

    read = NluResult(text="x", intent=Prediction("complaint", 0.9, confident=True),
                     category=None, entities=(
                         Entity("ticket_number", "PTU-2026-000001", 0, 3),
                         region("34.04", "Kabupaten Sleman"),
                         region("34.71", "Kota Yogyakarta"),
                         region("34.04", "Kabupaten Sleman")))
    assert read_place("tolong dicek", read, "35.79") == PlaceReading(choices=(
        Place("34.04", "Kabupaten Sleman"), Place("34.71", "Kota Yogyakarta")))
    one = NluResult(text="x", intent=Prediction("complaint", 0.9, confident=True),
                    category=None, entities=read.entities[:2])
    assert read_place("tolong dicek", one, "35.79") == PlaceReading()



def test_a_place_picked_after_ubah_forgets_the_old_place_words() -> None:
    state = confirming()
    assert state.draft is not None
    state.draft.location_text = "depan SD 3"
    s, _ = dlg.step(state, msg(payload="/edit_place"), None, CFG)
    s, _ = dlg.step(s, msg(payload="/place 35.79.02"), None, CFG)
    assert s.draft is not None
    assert (s.mode, s.draft.region_code, s.draft.region_name, s.draft.location_text,
            s.draft.latitude, s.draft.editing) == (
        dlg.Mode.CONFIRMING, "35.79.02", "Kec. Bumiaji, Kota Batu", None, None, None)


def test_a_topic_button_without_a_topic_changes_nothing() -> None:
    s, _ = dlg.step(confirming(), msg(payload="/topic"), None, CFG)
    assert s.draft is not None
    assert (s.mode, s.draft.category, s.draft.category_confidence, s.draft.service_code) == (
        dlg.Mode.CONFIRMING, "infrastructure", 0.6, None)


# ---------------------------------------------------------------- in English, whole results

EN_MENU = dlg.menu_buttons("en")


def en(mode: dlg.Mode = dlg.Mode.IDLE, draft: dlg.DraftReport | None = None,
       **kw: object) -> dlg.DialogueState:
    return dlg.DialogueState(lang="en", mode=mode, draft=draft, **kw)  # type: ignore[arg-type]


def confirm_text(draft: dlg.DraftReport, location: str, lang: str = "en") -> str:
    return t("confirm", lang, kind=t("kind_complaint", lang), description=draft.description,
             category=category_label(draft.category, lang), location=location)


SEND_BUTTONS_EN = (Button("Yes, send", "/confirm"),
                   Button("Send confidentially", "/confirm_confidential"),
                   Button("Edit", "/edit"), Button("Cancel", "/cancel"))


@pytest.mark.parametrize(("draft", "location"), [
    (dlg.DraftReport(description="d", region_name="Kota Batu",
                     location_text="depan SD 3 kota batu", asked_where=True),
     "depan SD 3 kota batu"),
    (dlg.DraftReport(description="d", region_name="Kota Batu", location_text="depan SD 3",
                     asked_where=True), "depan SD 3, Kota Batu"),
    (dlg.DraftReport(description="d", latitude=-7.87, longitude=112.52, asked_where=True),
     "(-7.87000, 112.52000)"),
    (dlg.DraftReport(description="d", latitude=-7.87, asked_where=True), "(not given)"),
    (dlg.DraftReport(description="d", longitude=112.52, asked_where=True), "(not given)"),
    (dlg.DraftReport(description="d", region_name="Kota Batu", latitude=-7.87,
                     longitude=112.52, asked_where=True), "Kota Batu, (-7.87000, 112.52000)"),
])
def test_more_detail_at_the_confirm_step_shows_the_report_again(
    draft: dlg.DraftReport, location: str,
) -> None:
    s, actions = dlg.step(en(dlg.Mode.CONFIRMING, draft), msg("it is very dark at night"),
                          nlu("complaint", lang="en"), CFG)
    assert s.draft is not None
    assert s.draft.description == "d\nit is very dark at night"
    assert actions == [dlg.Reply(t("detail_added", "en")),
                       dlg.Reply(confirm_text(s.draft, location), SEND_BUTTONS_EN)]
    assert s.mode == dlg.Mode.CONFIRMING


def test_the_oversight_offer_buttons_in_english() -> None:
    draft = dlg.DraftReport(description="the officer asked for money", oversight=True,
                            confidential=True, region_name="Kota Batu", asked_where=True)
    _, actions = dlg.step(en(dlg.Mode.CONFIRMING, draft), msg(payload="/topic other"), None,
                          CFG)
    assert actions == [dlg.Reply(
        confirm_text(draft, "Kota Batu") + t("oversight_confidential_offer", "en"),
        (Button("Send confidentially", "/confirm_confidential"),
         Button("Send with my name", "/confirm_open"), Button("Edit", "/edit"),
         Button("Cancel", "/cancel")))]


def test_no_at_the_confirm_step_cancels_in_english() -> None:
    draft = dlg.DraftReport(description="d", asked_where=True)
    s, actions = dlg.step(en(dlg.Mode.CONFIRMING, draft), msg("no"), nlu("other", lang="en"),
                          CFG)
    assert (s.mode, s.draft, actions) == (
        dlg.Mode.IDLE, None, [dlg.Reply(t("cancelled", "en"), EN_MENU)])
    # A "no" button payload is not the word "no".
    s, actions = dlg.step(en(dlg.Mode.CONFIRMING, draft), msg("no", payload="/cancel"),
                          None, CFG)
    assert (s.mode, s.draft, actions) == (
        dlg.Mode.IDLE, None, [dlg.Reply(t("cancelled", "en"), EN_MENU)])


def test_a_press_with_nothing_typed_at_the_confirm_step_shows_the_report_again() -> None:
    draft = dlg.DraftReport(description="d", asked_where=True)
    _, actions = dlg.step(en(dlg.Mode.CONFIRMING, draft), msg(payload="/topic"), None, CFG)
    assert actions == [dlg.Reply(confirm_text(draft, "(not given)"), SEND_BUTTONS_EN)]


@pytest.mark.parametrize(("verified", "key"), [("+6281234567890", "contact_thanks"),
                                              (None, "contact_other")])
def test_a_shared_contact_is_thanked_in_english(verified: str | None, key: str) -> None:
    event = msg(contact_phone="081234567890", verified_phone=verified)
    s, actions = dlg.step(en(), event, None, CFG)
    assert (s.mode, actions) == (dlg.Mode.IDLE, [dlg.Reply(tc(key, "en"), EN_MENU)])


def test_a_contact_with_a_photo_starts_a_report() -> None:
    event = msg(contact_phone="081234567890", attachments=(Attachment("image", media_id="m"),))
    s, actions = dlg.step(en(), event, None, CFG)
    assert (s.mode, actions) == (dlg.Mode.AWAITING_WHAT, [dlg.Reply(t("ask_what", "en"))])
    assert s.draft is not None and s.draft.kind == "complaint"


@pytest.mark.parametrize(("payload", "mode", "key"), [
    ("/complaint", dlg.Mode.AWAITING_WHAT, "ask_what"),
    ("/info", dlg.Mode.AWAITING_INFO_QUERY, "ask_info_query"),
])
def test_menu_entries_in_english(payload: str, mode: dlg.Mode, key: str) -> None:
    s, actions = dlg.step(en(), msg(payload=payload), None, CFG)
    assert (s.mode, actions) == (mode, [dlg.Reply(t(key, "en"))])


def test_commands_in_english() -> None:
    _, actions = dlg.step(en(), msg("/restart"), None, CFG)
    assert actions == [dlg.Reply(tc("restarted", "en")),
                       dlg.Reply(t("greeting", "en", name=""), EN_MENU)]
    _, actions = dlg.step(en(), msg("/help"), None, CFG)
    assert actions == [dlg.Reply(tc("help", "en", example="LPR-2026-000123"), EN_MENU)]


def test_an_old_button_in_english_repeats_the_question() -> None:
    draft = dlg.DraftReport(description="d")
    for mode, key in ((dlg.Mode.AWAITING_WHAT, "ask_what"),
                      (dlg.Mode.AWAITING_WHERE, "ask_where")):
        _, actions = dlg.step(en(mode, draft), msg(payload="/confirm"), None, CFG)
        assert actions == [dlg.Reply(t(key, "en"))]


def test_a_short_unsure_complaint_is_flagged_and_kept() -> None:
    s, actions = dlg.step(dlg.DialogueState(), msg("lampu jalan mati"),
                          nlu("complaint", 0.3, category="infrastructure"), CFG)
    assert actions == [dlg.FlagForReview("low_confidence"), dlg.Reply(t("ask_what", "id"))]
    assert s.draft == dlg.DraftReport(description="lampu jalan mati",
                                      category="infrastructure", category_confidence=0.9)
    # Four words are a description: on to the place.
    s, actions = dlg.step(dlg.DialogueState(), msg("lampu jalan mati total"),
                          nlu("complaint", category="infrastructure"), CFG)
    assert (s.mode, actions) == (dlg.Mode.AWAITING_WHERE, [dlg.Reply(t("ask_where", "id"))])


def test_ticket_numbers_with_a_complaint_open_a_report() -> None:
    number = ("PTU-2026-000001",)
    s, actions = dlg.step(dlg.DialogueState(), msg("lampu jalan di depan rumah mati lagi"),
                          nlu("complaint", tickets=number), CFG)
    assert (s.mode, actions) == (dlg.Mode.AWAITING_WHERE, [dlg.Reply(t("ask_where", "id"))])
    s, _ = dlg.step(dlg.DialogueState(), msg("usul taman di depan rumah saya"),
                    nlu("aspiration", tickets=number), CFG)
    assert s.draft is not None and s.draft.kind == "aspiration"
