"""Conference planning screens: the conference and room dialogs, the day timetable, the
agenda session dialog, the conflicts panel and the agenda PDF."""
