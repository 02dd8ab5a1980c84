"""The staff dashboard: server-rendered Dutch pages under /staff, in the intake service's app."""

from bot.web.staff.app import install_staff_dashboard

__all__ = ["install_staff_dashboard"]
