"""The stakeholder CRM screens: the persons list (lazy, searched as you type, sorted by
collation), filters and smart groups, person and organisation dialogs with undo, and the
person panel."""
