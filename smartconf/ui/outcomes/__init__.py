"""The Outcomes page's parts: the rapporteur's form, the follow-up tracker, coverage."""
