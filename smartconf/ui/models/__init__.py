"""Qt item models over the services' DTOs (each owns a list of rows; see DESIGN.md §7)."""
