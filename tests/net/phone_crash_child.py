"""Helper for ``test_phone_crash.py``: the app's phone side in a process to kill.

Run as ``python phone_crash_child.py DATA_DIR WORKSHOP_ID PORT PIN BINDINGS``.
It opens the library as its writer, opens Culture for voting in the test
room (bindings kept in the BINDINGS file), serves phones on 127.0.0.1:PORT
and prints ``ready`` — then waits until it is killed.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from calms_desktop.core.model import Pillar
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library
from calms_desktop.net.server import PhoneServer
from calms_desktop.net.testing import FakeRoom


def main() -> None:
    data_dir, workshop_id, port, pin, bindings = sys.argv[1:6]
    library = Library(data_dir)
    room = FakeRoom(WorkshopSession(library.load(workshop_id), library),
                    bindings=Path(bindings))
    server = PhoneServer(room, "127.0.0.1", int(port), pin=pin)
    room.connect(server.publish)
    room.open_pillar(Pillar.CULTURE)
    server.start()
    os.write(1, b"ready\n")
    threading.Event().wait()


if __name__ == "__main__":
    main()
