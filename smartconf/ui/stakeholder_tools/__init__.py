"""Coordinator tools over the stakeholders of a filter: the stakeholder map, the contacts
export, data protection (subject access, erasure) and the audit trail."""
