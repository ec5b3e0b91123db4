"""Helper for ``test_phone_crash_app.py``: the REAL app, its phones open, in a process to kill.

Run as ``python phone_app_child.py DATA_DIR WORKSHOP_ID PORT PIN``. It starts
the main window (offscreen), opens the workshop — resuming it when the app
was killed before, as a facilitator would answer the resume question (phone
voting then reopens by itself, checked here) — else goes to Culture and
opens phone voting on 127.0.0.1:PORT with PIN; prints ``ready``
and runs the Qt event loop until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from calms_desktop.gui.app import create_window, offer_resume

    data_dir, workshop_id, port, pin = sys.argv[1:5]
    app = QApplication(sys.argv[:1])
    window = create_window(Path(data_dir), phone_port=int(port))
    window.show()
    if offer_resume(window, lambda _text: True):
        # the resumed workshop reopened phone voting by itself, where it was
        panel = window.phones
        assert panel is not None and panel.running, panel and panel.status.text()
        assert panel.server is not None
        assert (panel.server.host, panel.server.port, panel.server.pin) == (
            "127.0.0.1", int(port), pin)
    else:
        window.open_workshop(workshop_id)
        window.go_to("culture")
        window.toggle_phones()
        assert window.phones is not None and window.phones.open_voting("127.0.0.1", pin)
    os.write(1, b"ready\n")
    app.exec()


if __name__ == "__main__":
    main()
