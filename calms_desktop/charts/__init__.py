"""matplotlib figures shared by the screens and the reports (no Qt here).

The GUI puts these figures on a QtAgg canvas; reports render the very same
figures to SVG for the PDF, so the room and the take-home look alike.
Import this package lazily: matplotlib costs start-up time.
"""
