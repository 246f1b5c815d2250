"""Requests for help (hulpvragen) from every channel, their deadlines and their outcomes."""
