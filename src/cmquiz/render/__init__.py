"""Rich renderables for every screen; with ``cli`` the only place that imports rich.

``common`` (consoles, panels, CJK wrapping, bars, messages), ``quiz`` (a question, its prompt,
feedback, the answer sheet), ``report`` (the end of a run), ``tables`` (stats, topics, check,
exams, papers). Bank and history text is always wrapped in ``Text`` (never markup) and has its
control characters stripped.
"""
