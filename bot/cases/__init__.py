"""Case handling beyond LAPOR! (issue 16): the clocks' compliance report and escalation,
the low-rating reopen, officer alerts and quiet handover, media, me-too and the exports
other systems read (SP4N-LAPOR! file, Open311)."""
