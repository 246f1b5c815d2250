"""Areas of the municipality: gemeente, stadsdeel, wijk and buurt with their CBS codes."""
