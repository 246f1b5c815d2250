"""Trajectories: longer support per resident, with ZRM scores and warm handovers."""
