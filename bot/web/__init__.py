"""Web front ends of the service environment: the staff dashboard (bot/web/staff)."""
