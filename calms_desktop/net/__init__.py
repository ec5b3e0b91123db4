"""Phones vote over the room's own network (Qt-free).

* :mod:`.gateway` — the small contract between the phone server and the
  room (ballots in, outcomes and a published :class:`~.gateway.RoomView` out);
  the GUI implements it, :mod:`.testing` has a fake over a real core session.
* :mod:`.server` — :class:`~.server.PhoneServer`, aiohttp HTTP + WebSocket on
  its own thread with its own event loop; it never touches a workshop.
* :mod:`.protocol` — the messages, their checks, error codes and limits
  (documented in ``docs/phone-protocol.md``).
* :mod:`.addresses` — which address to serve on, the join URL and its QR code.

Nothing here imports PySide6.
"""
