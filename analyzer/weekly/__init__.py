"""Daily and weekly frames: the only place where dates and time zones meet."""
