"""The live workshop, Qt-free: room state, typed changes, what the room may see.

* :mod:`.live` — :class:`~.live.Room`: step, statement, entry modes, timers,
  resume, scores and the one ballot path (with outcomes).
* :mod:`.changes` — typed change events and the :class:`~.changes.ChangeBus`.
* :mod:`.ballots` — ballot sources, per-source rules, :class:`~.ballots.BallotOutcome`.
* :mod:`.presentation` — what the room may see: the projector's slides, and the
  same rules for the console, the reports and phones.

Nothing here imports Qt; the console, projector, reports and phones all read it.
"""
