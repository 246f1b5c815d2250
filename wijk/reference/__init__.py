"""Managed reference lists: codes with labels and validity dates, edited by administrators."""
