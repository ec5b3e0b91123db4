"""The library views: the browser, a team's progress, the portfolio, the merge dialog.

Each screen gets the :class:`~calms_desktop.core.storage.Library` in its
constructor; the numbers come from :mod:`calms_desktop.core.progress` and the
figures from :mod:`calms_desktop.charts.trend`. matplotlib is imported only
when a chart is first shown (:mod:`.canvas`).
"""
