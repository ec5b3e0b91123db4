"""The projector: a second window for the room (see :mod:`.window`).

Importing the package is cheap; :mod:`.window` imports matplotlib (for the
radar) only when a :class:`~.window.ProjectorWindow` is created.
"""
