"""The pure dialogue step, driven with hand-made NLU results."""

from __future__ import annotations

import json

from bot.conversation import dialogue as dlg
from channels.base import Attachment, InboundMessage, Location
from nlu.types import Entity, NluResult, Prediction, Region

BATU = Region(
    code="35.79",
    name="Kota Batu",
    level="regency",
    province_code="35",
    province_name="Jawa Timur",
    regency_code="35.79",
    regency_name="Kota Batu",
)


def nlu(
    intent: str,
    conf: float = 0.9,
    *,
    category: str | None = None,
    cat_conf: float = 0.9,
    region: Region | None = None,
    tickets: tuple[str, ...] = (),
    lang: str = "id",
    text: str = "",
) -> NluResult:
    ents = tuple(Entity("ticket_number", n, 0, len(n)) for n in tickets)
    return NluResult(
        text=text,
        intent=Prediction(intent, conf, confident=conf >= 0.45),
        category=None
        if category is None
        else Prediction(category, cat_conf, confident=cat_conf >= 0.4),
        entities=ents,
        region=region,
        lang=lang,
    )


def msg(text: str = "", payload: str | None = None, **kw: object) -> InboundMessage:
    return InboundMessage(channel="rest", sender_id="u1", text=text, payload=payload, **kw)  # type: ignore[arg-type]


def replies(actions: list[dlg.Action]) -> list[dlg.Reply]:
    return [a for a in actions if isinstance(a, dlg.Reply)]


def test_complaint_with_what_and_where_goes_straight_to_confirmation() -> None:
    text = "jalan di depan SD 3 berlubang besar sudah sebulan di Kota Batu"
    s, actions = dlg.step(
        dlg.DialogueState(),
        msg(text),
        nlu("complaint", category="infrastructure", region=BATU, text=text),
    )
    assert s.mode == "confirming"
    assert s.draft is not None and s.draft.region_code == "35.79"
    assert s.draft.category == "infrastructure"
    (reply,) = replies(actions)
    assert "Infrastruktur" in reply.text and "Kota Batu" in reply.text
    assert [b.payload for b in reply.buttons] == [
        dlg.P_CONFIRM, dlg.P_CONFIRM_CONFIDENTIAL, dlg.P_EDIT, dlg.P_CANCEL]
    assert all(len(b.title) <= 20 for b in reply.buttons)  # fits WhatsApp button titles


def test_missing_place_is_asked_for_then_confirmed_then_filed() -> None:
    text = "sampah di pinggir jalan tidak diangkut sudah dua minggu"
    s, actions = dlg.step(
        dlg.DialogueState(), msg(text), nlu("complaint", category="environment", text=text)
    )
    assert s.mode == "awaiting_where"
    assert "lokasi" in replies(actions)[0].text.lower()
    s, actions = dlg.step(s, msg("Jl. Diponegoro, Kota Batu"), nlu("complaint", 0.3, region=BATU))
    assert s.mode == "confirming"
    assert s.draft is not None and s.draft.location_text == "Jl. Diponegoro, Kota Batu"
    s, actions = dlg.step(s, msg("ya"), nlu("thanks", 0.5))
    assert s.mode == "idle" and s.draft is None
    (create,) = [a for a in actions if isinstance(a, dlg.CreateTicket)]
    assert create.draft.description == text
    assert create.draft.category == "environment"
    assert create.draft.region_code == "35.79"


def test_bare_announcement_asks_what_happened() -> None:
    s, actions = dlg.step(dlg.DialogueState(), msg("mau lapor min"), nlu("complaint"))
    assert s.mode == "awaiting_what"
    assert "ceritakan" in replies(actions)[0].text.lower()
    text = "lampu jalan mati semua di RT 03 Kota Batu"
    s, actions = dlg.step(s, msg(text), nlu("complaint", category="infrastructure", region=BATU))
    assert s.mode == "confirming"
    assert s.draft is not None and s.draft.description == text


def test_bare_announcement_opens_a_report_whatever_the_model_read() -> None:
    """"saya mau lapor" is a report even when the model leans to a status check."""
    for text, read, kind in (("saya mau lapor", "ticket_status", "complaint"),
                             ("mau usul pak", "information", "aspiration"),
                             ("I want to complain", "greet", "complaint")):
        s, actions = dlg.step(dlg.DialogueState(), msg(text), nlu(read, 0.3, text=text))
        assert s.mode == "awaiting_what", text
        assert s.draft is not None and s.draft.kind == kind and s.draft.description == "", text
        assert [type(a).__name__ for a in actions] == ["FlagForReview", "Reply"], text


def test_numbered_reply_answers_the_offered_buttons() -> None:
    text = "air PDAM mati tiga hari di Kota Batu tolong"
    s, _ = dlg.step(
        dlg.DialogueState(), msg(text), nlu("complaint", category="water_supply", region=BATU)
    )
    assert s.mode == "confirming"
    s, actions = dlg.step(s, msg("1"), nlu("out_of_scope", 0.2))
    assert any(isinstance(a, dlg.CreateTicket) for a in actions)


def test_cancel_during_report_drops_the_draft() -> None:
    s, _ = dlg.step(dlg.DialogueState(), msg("mau lapor"), nlu("complaint"))
    s, actions = dlg.step(s, msg("gak jadi deh"), nlu("out_of_scope", 0.3))
    assert s.mode == "idle" and s.draft is None
    assert "dibatalkan" in replies(actions)[0].text


def test_extra_detail_while_confirming_is_kept() -> None:
    text = "jembatan penghubung desa retak parah di Kota Batu"
    s, _ = dlg.step(
        dlg.DialogueState(), msg(text), nlu("complaint", category="infrastructure", region=BATU)
    )
    s, actions = dlg.step(
        s,
        msg("oh iya sudah retak sejak banjir kemarin"),
        nlu("complaint", 0.7, category="disaster", cat_conf=0.3),
    )
    assert s.mode == "confirming"
    assert s.draft is not None
    assert "sejak banjir kemarin" in s.draft.description
    assert s.draft.category == "infrastructure"  # an unsure guess does not replace a sure one
    assert "catat" in replies(actions)[0].text


def test_status_with_number_reports_it() -> None:
    s, actions = dlg.step(
        dlg.DialogueState(),
        msg("status PTU-2026-000123 gimana"),
        nlu("ticket_status", tickets=("PTU-2026-000123",)),
    )
    assert actions == [dlg.ReportStatus("PTU-2026-000123")]
    assert s.mode == "idle"


def test_status_without_number_asks_and_lists_tickets() -> None:
    s, actions = dlg.step(
        dlg.DialogueState(), msg("laporan saya sudah sampai mana ya"), nlu("ticket_status")
    )
    assert s.mode == "awaiting_ticket_number"
    assert any(isinstance(a, dlg.ListMyTickets) for a in actions)
    s, actions = dlg.step(
        s, msg("PTU-2026-000007"), nlu("ticket_status", tickets=("PTU-2026-000007",))
    )
    assert actions == [dlg.ReportStatus("PTU-2026-000007")]


def test_status_button_payload() -> None:
    _, actions = dlg.step(dlg.DialogueState(), msg(payload="/status PTU-2026-000009"), None)
    assert actions == [dlg.ReportStatus("PTU-2026-000009")]


def test_info_request_is_answered_from_the_catalog() -> None:
    text = "syarat bikin KTP apa aja ya"
    _, actions = dlg.step(
        dlg.DialogueState(), msg(text), nlu("info_request", category="population_registry")
    )
    assert actions == [dlg.AnswerInfo(query=text, category="population_registry")]


def test_handover_and_back_to_bot() -> None:
    s, actions = dlg.step(
        dlg.DialogueState(), msg("saya mau bicara dengan petugas"), nlu("human_agent")
    )
    assert s.mode == "handover"
    assert isinstance(actions[0], dlg.Handover)
    s.handover_ticket = "PTU-2026-000001"
    s, actions = dlg.step(s, msg("halo pak, jadi begini masalahnya"), nlu("greet"))
    assert actions == [dlg.RelayToOfficer("PTU-2026-000001")]
    s, actions = dlg.step(s, msg("menu"), nlu("out_of_scope", 0.3))
    assert s.mode == "idle"
    assert replies(actions)[0].buttons == dlg.menu_buttons("id")


def test_thanks_closes_the_conversation() -> None:
    _, actions = dlg.step(dlg.DialogueState(), msg("makasih ya min"), nlu("thanks"))
    assert isinstance(actions[-1], dlg.CloseConversation)


def test_english_message_gets_english_replies() -> None:
    text = "the street light in front of my house has been broken for weeks"
    s, actions = dlg.step(
        dlg.DialogueState(), msg(text), nlu("complaint", category="infrastructure", lang="en")
    )
    assert s.lang == "en"
    assert "Where" in replies(actions)[0].text


def test_greeting_offers_the_menu() -> None:
    _, actions = dlg.step(
        dlg.DialogueState(), msg("halo", display_name="Siti Aminah"), nlu("greet")
    )
    (reply,) = replies(actions)
    assert "Siti" in reply.text
    assert [b.payload for b in reply.buttons] == [
        dlg.P_COMPLAINT,
        dlg.P_STATUS,
        dlg.P_INFO,
        dlg.P_AGENT,
    ]


def test_unsure_message_is_flagged_and_offered_the_menu() -> None:
    _, actions = dlg.step(dlg.DialogueState(), msg("hmm gimana ya"), nlu("complaint", 0.2))
    assert isinstance(actions[0], dlg.FlagForReview)


def test_photo_without_text_starts_a_report_and_keeps_the_photo() -> None:
    photo = Attachment(kind="image", media_id="F1", caption=None)
    s, _ = dlg.step(dlg.DialogueState(), msg(attachments=(photo,)), None)
    assert s.mode == "awaiting_what"
    assert s.draft is not None and s.draft.attachments[0]["media_id"] == "F1"


def test_location_pin_answers_where() -> None:
    text = "pohon tumbang menutup jalan raya depan pasar"
    s, _ = dlg.step(dlg.DialogueState(), msg(text), nlu("complaint", category="disaster"))
    assert s.mode == "awaiting_where"
    s, _ = dlg.step(s, msg(location=Location(-7.87, 112.52)), None)
    assert s.mode == "confirming"
    assert s.draft is not None and s.draft.latitude == -7.87


def test_state_round_trips_through_json_dict() -> None:
    text = "jalan rusak parah di Kota Batu dekat alun-alun"
    s, _ = dlg.step(
        dlg.DialogueState(), msg(text), nlu("complaint", category="infrastructure", region=BATU)
    )
    again = dlg.DialogueState.from_dict(s.to_dict())
    assert again == s
    assert dlg.DialogueState.from_dict({"mode": "idle", "unknown": 1}).mode == "idle"


def test_mode_is_stored_as_its_plain_string_and_read_back_as_the_enum() -> None:
    s, _ = dlg.step(dlg.DialogueState(), msg("mau lapor"), nlu("complaint"))
    data = json.loads(json.dumps(s.to_dict()))
    assert type(s.to_dict()["mode"]) is str and data["mode"] == "awaiting_what"
    back = dlg.DialogueState.from_dict(data)
    assert back.mode is dlg.Mode.AWAITING_WHAT and back == s
    # Unknown or missing modes (older or damaged rows) start over idle.
    for stored in ({"mode": "no_such_mode"}, {"mode": None}, {"lang": "en"}):
        assert dlg.DialogueState.from_dict(stored).mode is dlg.Mode.IDLE


def test_every_mode_has_a_handler() -> None:
    assert set(dlg.MODE_HANDLERS) == set(dlg.Mode)


def test_step_does_not_mutate_the_given_state() -> None:
    s0, _ = dlg.step(dlg.DialogueState(), msg("mau lapor"), nlu("complaint"))
    before = s0.to_dict()
    dlg.step(s0, msg("jalan berlubang di depan sekolah dasar"), nlu("complaint"))
    assert s0.to_dict() == before


def test_reopen_request() -> None:
    _, actions = dlg.step(
        dlg.DialogueState(),
        msg("tolong buka lagi PTU-2026-000004"),
        nlu("ticket_status", tickets=("PTU-2026-000004",)),
    )
    assert actions == [dlg.ReopenTicket("PTU-2026-000004")]


def test_old_buttons_mid_report_never_become_report_text() -> None:
    s, _ = dlg.step(dlg.DialogueState(), msg("mau lapor"), nlu("complaint"))
    s, actions = dlg.step(s, msg("/std ktp-el", payload="/std ktp-el"), None)
    assert isinstance(actions[0], dlg.AnswerInfo)  # answered, and the report waits
    s, actions = dlg.step(s, msg("/complaint", payload="/complaint"), None)
    assert s.mode == "awaiting_what" and s.draft is not None and s.draft.description == ""
    assert "ceritakan" in replies(actions)[0].text.lower()
    s, actions = dlg.step(s, msg("skm:cost:4", payload="skm:cost:4"), None)
    assert s.draft is not None and s.draft.description == ""


def test_menu_navigation_mid_report_leaves_the_report() -> None:
    s, _ = dlg.step(dlg.DialogueState(), msg("mau lapor"), nlu("complaint"))
    s, actions = dlg.step(s, msg("/status", payload="/status"), None)
    assert s.mode == "awaiting_ticket_number" and s.draft is None
    assert any(isinstance(a, dlg.ListMyTickets) for a in actions)


def test_confidential_filing_by_button_or_word() -> None:
    text = "pegawai kelurahan minta uang pelicin untuk surat domisili di Kota Batu"
    for answer in (msg(payload=dlg.P_CONFIRM_CONFIDENTIAL), msg("kirim tapi rahasiakan")):
        s, _ = dlg.step(dlg.DialogueState(), msg(text),
                        nlu("complaint", category="civil_service", region=BATU))
        assert s.mode == "confirming"
        _, actions = dlg.step(s, answer, nlu("complaint", 0.3))
        (create,) = [a for a in actions if isinstance(a, dlg.CreateTicket)]
        assert create.draft.confidential is True
    s, _ = dlg.step(dlg.DialogueState(), msg(text),
                    nlu("complaint", category="civil_service", region=BATU))
    _, actions = dlg.step(s, msg("ya"), nlu("thanks", 0.5))
    (create,) = [a for a in actions if isinstance(a, dlg.CreateTicket)]
    assert create.draft.confidential is False


def _with_service(result: NluResult, code: str, conf: float, *, oversight: bool) -> NluResult:
    from dataclasses import replace

    from nlu.types import ServicePrediction

    return replace(result, service=ServicePrediction(
        code, conf, "civil_service" if oversight else "population_registry",
        confident=conf >= 0.5, oversight=oversight))


def test_a_report_about_an_officer_is_confidential_unless_the_citizen_says_not() -> None:
    text = "petugas kelurahan minta uang 200rb buat urus KK di Kota Batu"
    parsed = _with_service(nlu("complaint", category="civil_service", region=BATU, text=text),
                           "pungli-aparatur", 0.9, oversight=True)
    s, actions = dlg.step(dlg.DialogueState(), msg(text), parsed)
    assert s.draft is not None
    assert (s.draft.service_code, s.draft.oversight, s.draft.confidential) == (
        "pungli-aparatur", True, True)
    (reply,) = replies(actions)
    assert "Inspektorat" in reply.text and "dirahasiakan" in reply.text
    assert [b.payload for b in reply.buttons] == [
        dlg.P_CONFIRM_CONFIDENTIAL, dlg.P_CONFIRM_OPEN, dlg.P_EDIT, dlg.P_CANCEL]
    assert all(len(b.title) <= 20 for b in reply.buttons)  # fits WhatsApp button titles
    # "ya" keeps the default (confidential); the open button is the explicit choice.
    _, yes = dlg.step(dlg.DialogueState.from_dict(s.to_dict()), msg("ya"), None)
    assert [a.draft.confidential for a in yes if isinstance(a, dlg.CreateTicket)] == [True]
    _, open_ = dlg.step(dlg.DialogueState.from_dict(s.to_dict()), msg(payload=dlg.P_CONFIRM_OPEN),
                        None)
    assert [a.draft.confidential for a in open_ if isinstance(a, dlg.CreateTicket)] == [False]
    # Editing the description (#12: "Ubah" asks what to change) reads the service again:
    # a report no longer about an officer is open again.
    asked, _ = dlg.step(dlg.DialogueState.from_dict(s.to_dict()), msg(payload=dlg.P_EDIT), None)
    chosen, _ = dlg.step(asked, msg(payload="/edit_description"), None)
    new_text = "jalan depan kantor kelurahan berlubang besar"
    edited, _ = dlg.step(chosen, msg(new_text), nlu("complaint", text=new_text))
    assert edited.draft is not None
    assert (edited.draft.oversight, edited.draft.confidential, edited.draft.service_code) == (
        False, False, None)


def test_an_unsure_service_is_kept_but_changes_nothing_else() -> None:
    text = "urusan surat di Kota Batu lama"
    parsed = _with_service(nlu("complaint", category="population_registry", region=BATU,
                               text=text), "kartu-keluarga", 0.3, oversight=False)
    s, _ = dlg.step(dlg.DialogueState(), msg(text), parsed)
    assert s.draft is not None
    assert (s.draft.service_code, s.draft.service_confidence, s.draft.confidential) == (
        "kartu-keluarga", 0.3, False)
