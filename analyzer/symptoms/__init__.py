"""Pure: symptom check-ins, heel-drop sessions and VISA-A results, and their validation.

Nothing here knows about the store; it checks and converts what it is handed.
"""
