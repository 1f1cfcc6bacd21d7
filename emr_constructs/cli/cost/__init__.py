"""``emr-platform cost``: what each environment of a synthesized app costs per hour and per 30 days."""
