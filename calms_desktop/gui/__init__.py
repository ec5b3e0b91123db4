"""The Qt skin: windows and screens over the core.

Start-up imports only what the first window needs; matplotlib (charts) and
ReportLab (reports) are imported when a chart or export is first used.
"""
