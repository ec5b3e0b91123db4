"""One module per screen; each screen is a :class:`~.base.Screen`."""
