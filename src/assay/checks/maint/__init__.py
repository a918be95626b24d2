"""Maintainability checks (``maint.*``): measures of how easy the code is to change."""
