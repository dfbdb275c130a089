"""smartconf: stakeholder CRM, conferences, badges and check-in for KCSS SMART Balkans."""

__version__ = "0.1.0"
