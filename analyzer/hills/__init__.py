"""Hills: segments of one activity (segments.py); later, recurring hills and routes."""
